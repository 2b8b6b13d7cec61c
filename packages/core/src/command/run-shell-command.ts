import { type ProcessOutcome, startProcess } from '../process/start-process.js';
import { type CapturedOutput, createOutputCapture } from './output-capture.js';

/** Options of `runShellCommand`. */
export interface RunShellCommandOptions {
  /** The script, executed verbatim as `bash -c <command>`. */
  command: string;
  /**
   * The argv of `command` when it is one plain external command (`plainCommandArgv`): executed
   * directly, which is what bash would do itself, without bash's start-up.
   */
  argv?: string[];
  cwd: string;
  /** The complete environment of the process (nothing is inherited beyond it). */
  env: NodeJS.ProcessEnv;
  timeoutMs: number;
  /** Time between SIGTERM and SIGKILL to the process group. */
  killGraceMs: number;
  /** Cap per stream, in bytes. */
  maxOutputBytes: number;
  signal?: AbortSignal;
  /** The command is a sandbox's (`ConfinedCommand.infoFd`): wait for its whole namespace. */
  infoFd?: boolean;
}

/** How the process ended. */
export interface ShellCommandOutcome extends ProcessOutcome {
  stdout: CapturedOutput;
  stderr: CapturedOutput;
}

/**
 * Runs `bash -c <command>` (or `argv` directly) with `startProcess` (own process group, timeout
 * and abort kill the whole tree, leftover background jobs killed at exit), stdout and stderr
 * streamed into capped captures. A program that moves itself into a new session after the
 * command ended escapes the group kill: the sandbox's PID namespace is what stops those.
 * Never rejects.
 */
export async function runShellCommand(options: RunShellCommandOptions): Promise<ShellCommandOutcome> {
  const stdout = createOutputCapture(options.maxOutputBytes);
  const stderr = createOutputCapture(options.maxOutputBytes);
  const finish = (outcome: Omit<ShellCommandOutcome, 'stdout' | 'stderr'>): ShellCommandOutcome => ({
    ...outcome,
    stdout: stdout.finish(),
    stderr: stderr.finish(),
  });
  if (options.signal?.aborted) return finish({ exitCode: null, timedOut: false, cancelled: true });

  const [file, ...args] = options.argv ?? ['bash', '-c', options.command];
  const child = startProcess({
    file: file as string,
    args,
    cwd: options.cwd,
    env: options.env,
    timeoutMs: options.timeoutMs,
    killGraceMs: options.killGraceMs,
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.infoFd ? { infoFd: true } : {}),
  });
  child.stdout.on('data', (chunk: Uint8Array) => stdout.write(chunk));
  child.stderr.on('data', (chunk: Uint8Array) => stderr.write(chunk));
  return finish(await child.done);
}
