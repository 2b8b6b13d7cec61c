import { execa } from 'execa';
import { createCommandEnv } from '../command/command-env.js';

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
  env?: NodeJS.ProcessEnv;
}

/**
 * Runs git with argv (never through a shell), stdin closed, in the command environment
 * (`createCommandEnv`: no push, no repository redirection). Never rejects for a non-zero exit:
 * the caller decides what a failure means. Rejects only when git cannot be started or `signal`
 * aborts.
 */
export async function runGit(args: readonly string[], options: RunGitOptions): Promise<GitResult> {
  const result = await execa('git', args, {
    cwd: options.cwd,
    env: options.env ?? createCommandEnv(),
    extendEnv: false,
    stdin: 'ignore',
    reject: false,
    ...(options.signal ? { cancelSignal: options.signal } : {}),
  });
  if (result.isCanceled) throw options.signal?.reason ?? new Error('git was cancelled');
  if (result.failed && result.exitCode === undefined) throw result;
  return { exitCode: result.exitCode ?? 1, stdout: result.stdout, stderr: result.stderr };
}
