/** The smoke test the merge queue runs in main after each merge. */
import { defaultSecretEnvNames } from '../audit/redact-secrets.js';
import { createCommandEnv } from '../command/command-env.js';
import { runShellCommand } from '../command/run-shell-command.js';
import type { OrchestratorEventInput } from '../events.js';

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
}

const maxOutputBytes = 4096;

/**
 * Runs the smoke test with bash (secret env vars removed, pushing impossible), emitting
 * smoke-test-start / smoke-test-end. A timeout, an abort or a start failure counts as failed.
 */
export async function runSmokeTest(
  run: SmokeTestRun,
): Promise<{ passed: boolean; exitCode: number | null; output: string }> {
  const { command, branch, mainCommit, emit, taskField } = run;
  emit({ type: 'smoke-test-start', branch, command, mainCommit, ...taskField });
  const started = performance.now();
  const outcome = await runShellCommand({
    command,
    cwd: run.cwd,
    env: createCommandEnv({ remove: defaultSecretEnvNames }),
    timeoutMs: run.timeoutMs ?? 10 * 60_000,
    killGraceMs: 2000,
    maxOutputBytes,
    ...(run.signal ? { signal: run.signal } : {}),
  });
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
