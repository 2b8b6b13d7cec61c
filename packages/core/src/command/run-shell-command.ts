import { execa } from 'execa';
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
}

/** How the process ended. */
export interface ShellCommandOutcome {
  exitCode: number | null;
  /** Signal that ended bash itself, if any. */
  signal?: string;
  stdout: CapturedOutput;
  stderr: CapturedOutput;
  timedOut: boolean;
  cancelled: boolean;
  /** Set when the process could not be started at all. */
  spawnError?: string;
}

// Process groups still running, killed if this process exits first (a detached group would
// otherwise outlive the orchestrator).
const liveGroups = new Set<number>();
let exitHookInstalled = false;

function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // ESRCH: the group is already gone.
  }
}

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const pid of liveGroups) killGroup(pid, 'SIGKILL');
  });
}

/**
 * Runs `bash -c <command>` (or `argv` directly) as the leader of a new process group, stdin ignored. On timeout or
 * abort the whole group gets SIGTERM, then SIGKILL after `killGraceMs`. When bash exits, whatever
 * it left running in its group (background jobs) is killed too, so no command outlives its call
 * and a background job holding the output pipes cannot hang it. (A program that moves itself into
 * a new session escapes any process-group kill; that is outside what this guards against.)
 * stdout and stderr are streamed into capped captures. Never rejects.
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
  const subprocess = execa(file as string, args, {
    cwd: options.cwd,
    env: options.env,
    extendEnv: false,
    stdin: 'ignore',
    detached: true,
    buffer: false,
    reject: false,
    stripFinalNewline: false,
  });
  const pid = subprocess.pid;
  let timedOut = false;
  let cancelled = false;
  let forceKill: NodeJS.Timeout | undefined;

  const terminate = () => {
    if (pid === undefined || forceKill) return;
    killGroup(pid, 'SIGTERM');
    forceKill = setTimeout(() => killGroup(pid, 'SIGKILL'), options.killGraceMs);
  };
  const onAbort = () => {
    cancelled = true;
    terminate();
  };
  const timer = setTimeout(
    () => {
      timedOut = true;
      terminate();
    },
    Math.min(options.timeoutMs, 2 ** 31 - 1),
  );
  options.signal?.addEventListener('abort', onAbort, { once: true });
  if (pid !== undefined) {
    installExitHook();
    liveGroups.add(pid);
    subprocess.once('exit', () => killGroup(pid, 'SIGKILL'));
  }
  subprocess.stdout?.on('data', (chunk: Uint8Array) => stdout.write(chunk));
  subprocess.stderr?.on('data', (chunk: Uint8Array) => stderr.write(chunk));

  try {
    const result = await subprocess;
    const spawnError =
      result.exitCode === undefined && result.signal === undefined && !timedOut && !cancelled
        ? result.originalMessage || result.shortMessage
        : undefined;
    return finish({
      exitCode: result.exitCode ?? null,
      ...(result.signal ? { signal: result.signal } : {}),
      timedOut,
      cancelled: cancelled && !timedOut,
      ...(spawnError ? { spawnError } : {}),
    });
  } finally {
    clearTimeout(timer);
    if (forceKill) clearTimeout(forceKill);
    options.signal?.removeEventListener('abort', onAbort);
    if (pid !== undefined) liveGroups.delete(pid);
  }
}
