/** The smoke test the merge queue runs in main after each merge. */
import { basename, dirname } from 'node:path';
import { defaultSecretEnvNames } from '../audit/redact-secrets.js';
import { createCommandEnv } from '../command/command-env.js';
import { runShellCommand, type ShellCommandOutcome } from '../command/run-shell-command.js';
import type { OrchestratorEventInput } from '../events.js';
import { createSandbox, type Sandbox } from '../sandbox/create-sandbox.js';
import { errorMessage } from '../shared/error-message.js';
import { readWorktreePorts } from '../worktree/worktree-ports.js';

/** What to run, where, and for which merge. */
export interface SmokeTestRun {
  command: string;
  cwd: string;
  branch: string;
  /** Main's commit under test (the merge commit). */
  mainCommit: string;
  timeoutMs?: number;
  signal?: AbortSignal;
  emit: (event: OrchestratorEventInput) => void;
  taskField: { taskId?: string };
  /** The run's sandbox (default: a new one, on); main writable, its git dir read-only. */
  sandbox?: Sandbox;
}

const maxOutputBytes = 4096;

/**
 * Runs the smoke test with bash in the sandbox (main writable, its git dir read-only, secrets
 * hidden, environment allowlisted, pushing impossible), emitting
 * smoke-test-start / smoke-test-end. A timeout, an abort or a start failure counts as failed.
 */
export async function runSmokeTest(
  run: SmokeTestRun,
): Promise<{ passed: boolean; exitCode: number | null; output: string }> {
  const { command, branch, mainCommit, emit, taskField } = run;
  emit({ type: 'smoke-test-start', branch, command, mainCommit, ...taskField });
  const started = performance.now();
  const outcome = await runConfined(run);
  const passed =
    outcome.exitCode === 0 && !outcome.timedOut && !outcome.cancelled && outcome.spawnError === undefined;
  const output = [
    outcome.stdout.text,
    outcome.stderr.text,
    outcome.spawnError ?? '',
    outcome.timedOut ? '(timed out)' : '',
    outcome.cancelled ? '(cancelled)' : '',
  ]
    .filter((part) => part.trim() !== '')
    .join('\n')
    .slice(-maxOutputBytes);
  emit({
    type: 'smoke-test-end',
    branch,
    command,
    mainCommit,
    passed,
    exitCode: outcome.exitCode,
    durationMs: Math.round(performance.now() - started),
    output,
    ...taskField,
  });
  return { passed, exitCode: outcome.exitCode, output };
}

async function runConfined(run: SmokeTestRun): Promise<ShellCommandOutcome> {
  const sandbox = run.sandbox ?? createSandbox();
  let confined: Awaited<ReturnType<Sandbox['confine']>>;
  const ports = await readWorktreePorts(dirname(run.cwd), basename(run.cwd));
  try {
    confined = await sandbox.confine({
      argv: ['bash', '-c', run.command],
      worktree: run.cwd,
      git: 'read',
      readable: [dirname(run.cwd)],
      env: createCommandEnv({ remove: defaultSecretEnvNames }),
      ...(ports === undefined ? {} : { set: ports.env }),
    });
  } catch (error) {
    // Fail closed: a smoke test that cannot be confined does not run, and counts as failed.
    const empty = { text: '', truncated: false, totalBytes: 0, omittedBytes: 0 };
    return {
      exitCode: null,
      timedOut: false,
      cancelled: false,
      spawnError: errorMessage(error),
      stdout: empty,
      stderr: empty,
    };
  }
  return runShellCommand({
    command: run.command,
    argv: confined.argv,
    cwd: confined.cwd,
    env: confined.env,
    infoFd: confined.infoFd,
    timeoutMs: run.timeoutMs ?? 10 * 60_000,
    killGraceMs: 2000,
    maxOutputBytes,
    ...(run.signal ? { signal: run.signal } : {}),
  });
}
