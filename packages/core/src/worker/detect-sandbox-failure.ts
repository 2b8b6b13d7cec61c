/**
 * Recognises a codex sandbox that could not start. Where user namespaces are not allowed (many
 * containers), `read-only` and `workspace-write` fail every command with a bubblewrap error and
 * codex still exits 0, so this is read from the events, not from the exit code.
 */
import type { ParsedCodexRun } from './codex-event-parser.js';

/**
 * Output of a command that failed because the sandbox itself failed (not because the command
 * did). Measured on Linux with codex 0.169: `bwrap: Creating new namespace failed: nesting depth
 * or /proc/sys/user/max_*_namespaces exceeded (ENOSPC)`; the others are the messages bubblewrap,
 * landlock and seccomp give in other setups.
 */
export const sandboxFailurePattern =
  /\bbwrap:|creating new namespace|new namespace failed|no permissions to creat\w* new namespace|setting up uid map|user namespaces? (?:are|is) (?:not|disabled)|unshare(?:\(\))?:? .*(?:operation not permitted|failed)|landlock|seccomp|sandbox(?:ing)? (?:error|denied|failed|setup)|codex-linux-sandbox|operation not permitted/i;

/** Why a run counts as a sandbox failure, or `undefined` when it does not. */
export function detectSandboxFailure(run: ParsedCodexRun): string | undefined {
  const finished = run.commands.filter((command) => command.exitCode !== null);
  if (finished.some((command) => command.exitCode === 0)) return undefined;
  const denied = finished.filter((command) => sandboxFailurePattern.test(command.outputTail));
  if (denied.length === 0) return undefined;
  if (denied.length < finished.length) return undefined;
  const sample = (denied[0]?.outputTail ?? '').trim().split('\n')[0] ?? '';
  const patches = run.failedFileChanges > 0 ? ` and ${run.failedFileChanges} patch(es)` : '';
  return (
    `the codex sandbox could not run commands: all ${denied.length} command(s)${patches} failed with a ` +
    `sandbox error (${sample.slice(0, 300)}). This happens where user namespaces are not allowed ` +
    "(many containers). Run codex there with createCodexWorker({ sandbox: 'danger-full-access' }) " +
    'and rely on the container for isolation.'
  );
}
