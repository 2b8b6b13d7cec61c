import { readFileSync } from 'node:fs';
import { errorMessage, sanitizeTerminalText } from '@codex-orchestrator/core/shared';
import { CliError, isUserError } from './cli-error.js';
import { type CliIo, type ResolvedCliIo, resolveCliIo } from './cli-io.js';
import { ExitCode } from './exit-codes.js';
import { createInterrupt, type Interrupt } from './interrupt.js';
import { type ParsedArguments, parseArguments } from './parse-arguments.js';

/** What every command implementation receives. */
export interface CommandContext {
  parsed: ParsedArguments;
  io: ResolvedCliIo;
  interrupt: Interrupt;
  /**
   * Routes the CLI's own notices (the "Cancelling…" of Ctrl-C) through the command's output, so
   * they do not tear the live view. Returns a function that restores the previous route.
   */
  routeNotices(write: (text: string) => void): () => void;
}

/**
 * Runs the `orchestrator` command line in-process and resolves to its exit code (never throws,
 * never calls `process.exit`). Heavy modules (core, the Agents SDK) are imported only by the
 * commands that need them, so `--help` stays fast.
 *
 * @example
 * import { runCli } from '@codex-orchestrator/adapter-cli';
 * const code = await runCli(['--base-dir', '/work/shop', 'add a users search endpoint']);
 * process.exitCode = code;
 */
export async function runCli(argv: readonly string[], io: Partial<CliIo> = {}): Promise<number> {
  const resolved = resolveCliIo(io);
  let parsed: ParsedArguments;
  try {
    parsed = parseArguments(argv);
  } catch (error) {
    return reportError(error, resolved, false);
  }
  if (parsed.command === 'help') {
    resolved.stdout.write(parsed.helpText ?? '');
    return ExitCode.success;
  }
  if (parsed.command === 'version') {
    resolved.stdout.write(`${readVersion()}\n`);
    return ExitCode.success;
  }
  let notice = (text: string) => resolved.stderr.write(`\n${text}\n`);
  const interrupt = createInterrupt({
    ...(resolved.signal === undefined ? {} : { signal: resolved.signal }),
    handleSignals: resolved.handleSignals === true,
    onFirstInterrupt: (cause) =>
      notice(
        cause === 'SIGTERM'
          ? 'SIGTERM received. Cancelling: stopping codex runs, keeping worktrees and commits (a second SIGTERM quits now)…'
          : 'Cancelling: stopping codex runs, keeping worktrees and commits (Ctrl-C again to quit now)…',
      ),
  });
  const context: CommandContext = {
    parsed,
    io: resolved,
    interrupt,
    routeNotices(write) {
      const previous = notice;
      notice = write;
      return () => {
        notice = previous;
      };
    },
  };
  try {
    const code = await runCommand(context);
    return interrupt.interrupted ? interruptedExitCode(interrupt) : code;
  } catch (error) {
    if (interrupt.interrupted) {
      resolved.stderr.write(interrupt.cause === 'SIGTERM' ? 'Terminated (SIGTERM).\n' : 'Interrupted.\n');
      return interruptedExitCode(interrupt);
    }
    return reportError(error, resolved, parsed.flags.trace === true);
  } finally {
    interrupt.dispose();
  }
}

async function runCommand(context: CommandContext): Promise<number> {
  switch (context.parsed.command) {
    case 'run':
      return (await import('./commands/run-task-command.js')).runTaskCommand(context);
    case 'dispatch':
      return (await import('./commands/dispatch-command.js')).dispatchCommand(context);
    case 'demo':
      return (await import('./commands/demo-command.js')).demoCommand(context);
    case 'worktrees':
      return (await import('./commands/worktrees-command.js')).worktreesCommand(context);
    case 'serve':
      return (await import('./commands/serve-command.js')).serveCommand({
        configPath: context.parsed.flags.config as string,
        check: context.parsed.flags.check === true,
        stdout: context.io.stdout,
        stderr: context.io.stderr,
        env: context.io.env,
        cwd: context.io.cwd,
        signal: context.interrupt.signal,
      });
    case 'policy':
      return (await import('./commands/policy-command.js')).policyCommand(context);
    default:
      throw new CliError(`Unknown command "${context.parsed.command}".`, { code: 'bad-argument' });
  }
}

/** 143 after a SIGTERM, 130 after Ctrl-C or the embedder's signal. */
export function interruptedExitCode(interrupt: Interrupt): number {
  return interrupt.cause === 'SIGTERM' ? ExitCode.terminated : ExitCode.interrupted;
}

/** Prints an error as one line (user errors) or with the stack under --trace; returns the exit code. */
function reportError(error: unknown, io: ResolvedCliIo, trace: boolean): number {
  // Messages quote offending values (a task, a config field, a model's answer): cleaned for the terminal.
  const line = (text: string) => io.stderr.write(`error: ${sanitizeTerminalText(text)}\n`);
  if (CliError.isInstance(error)) {
    line(error.message);
    return error.exitCode;
  }
  if (isUserError(error)) {
    line(error.message);
    return ExitCode.usage;
  }
  line(errorMessage(error));
  if (trace && error instanceof Error && error.stack)
    io.stderr.write(`${sanitizeTerminalText(error.stack)}\n`);
  else io.stderr.write('(run again with --trace for details)\n');
  return ExitCode.taskFailed;
}

/** The package version, read when asked for (keeps it out of the startup path). */
export function readVersion(): string {
  // src/run-cli.ts and dist/*.js both sit one level below package.json.
  const packageJson = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  return packageJson.version;
}
