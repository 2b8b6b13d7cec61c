import type { CommandContext } from '../run-cli.js';

/**
 * `orchestrator policy ...`: hands the arguments to the policy CLI of
 * `@codex-orchestrator/policy` (`orchestrator-policy`), unchanged. Its exit codes: 0 allowed,
 * 1 denied, 2 usage or config error.
 */
export async function policyCommand(context: CommandContext): Promise<number> {
  const { io, parsed, interrupt } = context;
  const { runPolicyCli } = await import('@codex-orchestrator/policy');
  return runPolicyCli(parsed.passThrough, {
    stdin: io.stdin ?? process.stdin,
    stdout: io.stdout,
    stderr: io.stderr,
    signal: interrupt.signal,
  });
}
