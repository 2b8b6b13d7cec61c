/**
 * The one place core starts a child process: own process group and session, stdin closed, a
 * timeout and an AbortSignal that kill the whole tree, an exit hook that kills what still runs
 * when the orchestrator exits, the owner marker in its environment (`owner-marker.ts`: the next
 * start kills what a crashed orchestrator left), and a tidy end (leftover background jobs of the
 * group are killed, pipes held by escaped orphans are released). Hand-written on
 * `node:child_process` rather than execa: the kill semantics (tree, groups, sessions) are security-relevant and must be exact.
 */
import { spawn } from 'node:child_process';
import type { Readable } from 'node:stream';
import { isProcessAlive, killProcessTree } from './kill-process-tree.js';
import { ownerMarker, ownerMarkerName } from './owner-marker.js';

/** Options of `startProcess`. */
export interface StartProcessOptions {
  file: string;
  args: readonly string[];
  cwd: string;
  /** The complete environment of the process (nothing is inherited beyond it). */
  env: NodeJS.ProcessEnv;
  /** Wall-clock limit; the tree is killed when it passes (default: none). */
  timeoutMs?: number;
  /** Time between SIGTERM and SIGKILL when the tree is killed (default 2000). */
  killGraceMs?: number;
  signal?: AbortSignal;
  /**
   * Open fd 3 as a pipe for bubblewrap's `--info-fd 3`. bubblewrap reports `{"child-pid": N}`
   * there (N: the init of its PID namespace) and exits as soon as the command does, while the
   * kernel is still killing what the command left in the namespace; `done` then waits until N
   * is gone, so nothing started inside outlives the call.
   */
  infoFd?: boolean;
  /**
   * Own process group and session (default true). False keeps short calls such as git in the
   * caller's group, so that a kill of the orchestrator's group stops them mid-way too.
   */
  ownGroup?: boolean;
}

/** How a process ended. */
export interface ProcessOutcome {
  exitCode: number | null;
  /** The signal that ended the process itself, if any. */
  signal?: string;
  timedOut: boolean;
  /** Ended by the AbortSignal (never set together with `timedOut`). */
  cancelled: boolean;
  /** Set when the process could not be started at all. */
  spawnError?: string;
}

/** A started process. */
export interface StartedProcess {
  pid: number | undefined;
  stdout: Readable;
  stderr: Readable;
  /** Resolves once the process ended and its pipes closed. Never rejects. */
  done: Promise<ProcessOutcome>;
  /** Kills the whole tree (SIGTERM, then SIGKILL after the grace time). */
  stop(): Promise<void>;
}

/** Polls until `pid` no longer runs (at most 5 s: a SIGKILLed namespace ends within milliseconds). */
async function waitUntilGone(pid: number): Promise<void> {
  const deadline = Date.now() + 5000;
  while (isProcessAlive(pid) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 2));
}

// Process groups still running, killed if this process exits first (a detached group would
// otherwise outlive the orchestrator). The one exit hook of core.
const liveGroups = new Set<number>();
let exitHookInstalled = false;

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // ESRCH: the group is already gone.
  }
}

function track(pid: number): void {
  liveGroups.add(pid);
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const group of liveGroups) signalGroup(group, 'SIGKILL');
  });
}

/**
 * Starts `file args` as the leader of a new process group and session, stdin ignored, stdout
 * and stderr piped. On timeout or abort the whole tree (descendants, their groups and sessions)
 * gets SIGTERM, then SIGKILL after `killGraceMs`. When the process exits, what it left running
 * in its group is killed, and pipes still held by escaped descendants are closed after 2 s.
 *
 * @example
 * const child = startProcess({ file: 'git', args: ['status'], cwd, env });
 * child.stdout.on('data', (chunk) => ...);
 * const outcome = await child.done;
 */
export function startProcess(options: StartProcessOptions): StartedProcess {
  const child = spawn(options.file, [...options.args], {
    cwd: options.cwd,
    // The owner marker lets the next start find what a crashed orchestrator left running
    // (`reapDeadRunOwners`). A sandboxed command needs none: its PID namespace ends with it.
    env: options.infoFd ? options.env : { ...options.env, [ownerMarkerName]: ownerMarker() },
    stdio: options.infoFd ? ['ignore', 'pipe', 'pipe', 'pipe'] : ['ignore', 'pipe', 'pipe'],
    detached: process.platform !== 'win32' && options.ownGroup !== false,
  });
  const grouped = process.platform !== 'win32' && options.ownGroup !== false;
  const pid = child.pid;
  let timedOut = false;
  let cancelled = false;
  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    if (pid === undefined) return Promise.resolve();
    stopping ??= killProcessTree(pid, { graceMs: options.killGraceMs ?? 2000 });
    return stopping;
  };
  const timer =
    options.timeoutMs === undefined
      ? undefined
      : setTimeout(
          () => {
            if (cancelled) return;
            timedOut = true;
            void stop();
          },
          Math.min(options.timeoutMs, 2 ** 31 - 1),
        );
  const onAbort = () => {
    if (timedOut) return;
    cancelled = true;
    void stop();
  };
  if (options.signal?.aborted) onAbort();
  else options.signal?.addEventListener('abort', onAbort, { once: true });
  if (pid !== undefined && grouped) track(pid);
  let namespaceInit: number | undefined;
  if (options.infoFd) {
    let info = '';
    const stream = child.stdio[3] as Readable;
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => {
      info += chunk;
      const match = /"child-pid"\s*:\s*(\d+)/.exec(info);
      if (match) namespaceInit = Number(match[1]);
    });
    stream.on('error', () => undefined);
  }

  const done = new Promise<ProcessOutcome>((resolve) => {
    let spawnError: string | undefined;
    child.once('error', (error) => {
      spawnError = error.message;
      // No 'close' follows an 'error' from spawn when the process never started.
      if (pid === undefined) finish(null, null);
    });
    child.once('exit', () => {
      if (pid !== undefined && grouped) signalGroup(pid, 'SIGKILL');
      setTimeout(() => {
        child.stdout?.destroy();
        child.stderr?.destroy();
      }, 2000).unref();
    });
    child.once('close', (code, signal) => finish(code, signal));
    const finish = (code: number | null, signal: NodeJS.Signals | null) => {
      if (timer) clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      if (pid !== undefined) liveGroups.delete(pid);
      void Promise.resolve(stopping)
        .then(() => (namespaceInit === undefined ? undefined : waitUntilGone(namespaceInit)))
        .then(() =>
          resolve({
            exitCode: code,
            ...(signal ? { signal } : {}),
            timedOut,
            cancelled,
            ...(spawnError === undefined ? {} : { spawnError }),
          }),
        );
    };
  });
  // Both are pipes (stdio above), never null.
  return { pid, stdout: child.stdout as Readable, stderr: child.stderr as Readable, done, stop };
}
