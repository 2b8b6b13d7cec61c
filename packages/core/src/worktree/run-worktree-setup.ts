import { performance } from 'node:perf_hooks';
import { createCommandEnv } from '../command/command-env.js';
import { runShellCommand } from '../command/run-shell-command.js';
import { createSandbox, type Sandbox } from '../sandbox/create-sandbox.js';
import { errorMessage } from '../shared/error-message.js';

/** How the per-worktree setup command went. */
export interface WorktreeSetupResult {
  ok: boolean;
  exitCode: number | null;
  /** stdout and stderr, each capped to its head and tail. */
  output: string;
  durationMs: number;
  /** Why it failed, in words (absent when `ok`). */
  error?: string;
}

/** Options of `runWorktreeSetup`. */
export interface WorktreeSetupOptions {
  command: string;
  /** The base dir, given to the command as `ROOT`. */
  root: string;
  /** The new worktree: the command's cwd and `WORKTREE`. */
  worktreePath: string;
  timeoutMs: number;
  /** More environment (the worktree's port range). */
  env?: Record<string, string>;
  signal?: AbortSignal;
  /**
   * The run's sandbox (default: a new one, on): the worktree writable, `ROOT` readable, git dirs
   * read-only, network as the project configured it (`network: 'on'` for `npm ci`).
   */
  sandbox?: Sandbox;
}

/**
 * Runs the setup hook (`bash -c <command>`) in a new worktree with `ROOT` and `WORKTREE` set and
 * pushing disabled, confined by the sandbox, for things like copying `.env` files or installing dependencies. Never throws;
 * a failure is described in the result.
 */
export async function runWorktreeSetup(options: WorktreeSetupOptions): Promise<WorktreeSetupResult> {
  const started = performance.now();
  const sandbox = options.sandbox ?? createSandbox();
  const confined = await sandbox
    .confine({
      argv: ['bash', '-c', options.command],
      worktree: options.worktreePath,
      git: 'read',
      readable: [options.root],
      env: createCommandEnv(),
      set: { ...options.env, ROOT: options.root, WORKTREE: options.worktreePath },
    })
    .catch((error: unknown) => error as Error);
  if (confined instanceof Error) {
    const durationMs = performance.now() - started;
    return { ok: false, exitCode: null, output: '', durationMs, error: errorMessage(confined) };
  }
  const outcome = await runShellCommand({
    command: options.command,
    argv: confined.argv,
    cwd: confined.cwd,
    env: confined.env,
    infoFd: confined.infoFd,
    timeoutMs: options.timeoutMs,
    killGraceMs: 2000,
    maxOutputBytes: 8 * 1024,
    ...(options.signal ? { signal: options.signal } : {}),
  });
  const output = [outcome.stdout.text, outcome.stderr.text].filter((text) => text !== '').join('\n');
  const durationMs = performance.now() - started;
  const ok = outcome.exitCode === 0 && !outcome.timedOut && !outcome.cancelled;
  if (ok) return { ok, exitCode: 0, output, durationMs };
  const error = outcome.spawnError
    ? `the setup command could not start: ${outcome.spawnError}`
    : outcome.timedOut
      ? `the setup command timed out after ${Math.round(options.timeoutMs / 1000)} s`
      : outcome.cancelled
        ? 'the setup command was cancelled'
        : `the setup command exited with ${outcome.exitCode ?? outcome.signal}`;
  return { ok, exitCode: outcome.exitCode, output, durationMs, error };
}
