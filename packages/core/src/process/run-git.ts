import { spawnSync } from 'node:child_process';
import { createCommandEnv } from '../command/command-env.js';
import { startProcess } from './start-process.js';

/** What one git call produced. */
export interface GitResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/** Options of `runGit`. */
export interface RunGitOptions {
  cwd: string;
  signal?: AbortSignal;
  /** The environment (default `createCommandEnv()`); the hardening below is applied on top. */
  env?: NodeJS.ProcessEnv;
}

/**
 * Config every orchestrator git call runs with, whatever the repository says: hooks and the
 * fsmonitor command are code from the repository (a tracked `core.hooksPath` directory, as husky
 * sets it, is written by codex), and the orchestrator's own git calls run outside the sandbox.
 * Hooks run only in commands the sandbox confines (run_repo_command's `git commit`).
 */
export const hardenedGitConfig: ReadonlyArray<readonly [string, string]> = [
  ['core.hooksPath', '/dev/null'],
  ['core.fsmonitor', 'false'],
];

/** Returns `env` with `pairs` appended as `GIT_CONFIG_KEY_n`/`GIT_CONFIG_VALUE_n` (command-line strength). */
export function withGitConfig(
  env: NodeJS.ProcessEnv,
  pairs: ReadonlyArray<readonly [string, string]>,
): NodeJS.ProcessEnv {
  const result: NodeJS.ProcessEnv = { ...env };
  const parsed = Number.parseInt(result.GIT_CONFIG_COUNT ?? '0', 10);
  let count = Number.isInteger(parsed) && parsed > 0 ? parsed : 0;
  for (const [key, value] of pairs) {
    result[`GIT_CONFIG_KEY_${count}`] = key;
    result[`GIT_CONFIG_VALUE_${count}`] = value;
    count += 1;
  }
  result.GIT_CONFIG_COUNT = String(count);
  return result;
}

/**
 * The one git call of core: argv (never through a shell), stdin closed, in the command
 * environment (`createCommandEnv`: no push, no repository redirection) with hooks and fsmonitor
 * off (`hardenedGitConfig`). Never rejects for a non-zero exit: the caller decides what a failure
 * means. Rejects only when git cannot be started or `signal` aborts.
 *
 * @example
 * const { stdout } = await runGit(['rev-parse', 'HEAD'], { cwd });
 */
export async function runGit(args: readonly string[], options: RunGitOptions): Promise<GitResult> {
  if (options.signal?.aborted) throw options.signal.reason ?? new Error('git was cancelled');
  const child = startProcess({
    file: 'git',
    args,
    cwd: options.cwd,
    env: withGitConfig(options.env ?? createCommandEnv(), hardenedGitConfig),
    // In the orchestrator's group: killing the orchestrator's group stops git mid-way as well.
    ownGroup: false,
    ...(options.signal ? { signal: options.signal } : {}),
  });
  const stdout: Buffer[] = [];
  const stderr: Buffer[] = [];
  child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
  child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
  const outcome = await child.done;
  if (outcome.cancelled) throw options.signal?.reason ?? new Error('git was cancelled');
  if (outcome.spawnError !== undefined) throw new Error(`git could not be started: ${outcome.spawnError}`);
  // Like execa's default: one final newline stripped, so `stdout` of rev-parse is the bare value.
  const text = (chunks: Buffer[]) =>
    Buffer.concat(chunks)
      .toString('utf8')
      .replace(/\r?\n$/, '');
  return { exitCode: outcome.exitCode ?? 1, stdout: text(stdout), stderr: text(stderr) };
}

/**
 * `runGit` for the few places that must stay synchronous (option validation before a run
 * starts): same environment and hardening, stdin closed. Never throws for a non-zero exit.
 */
export function runGitSync(
  args: readonly string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv },
): GitResult {
  const result = spawnSync('git', [...args], {
    cwd: options.cwd,
    env: withGitConfig(options.env ?? createCommandEnv(), hardenedGitConfig),
    stdio: ['ignore', 'pipe', 'pipe'],
    encoding: 'utf8',
  });
  if (result.error !== undefined) throw new Error(`git could not be started: ${result.error.message}`);
  const text = (value: string) => value.replace(/\r?\n$/, '');
  return { exitCode: result.status ?? 1, stdout: text(result.stdout), stderr: text(result.stderr) };
}
