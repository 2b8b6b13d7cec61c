/** Assembles a `WorkerResult` from the parsed events and how the codex process ended. */
import type { WorkerResult, WorkerStatus } from '../types.js';
import type { ParsedCodexCommand, ParsedCodexRun } from './codex-event-parser.js';
import { cutText } from './cut-text.js';
import { detectRefusals } from './detect-refusals.js';
import { detectSandboxFailure } from './detect-sandbox-failure.js';
import { unreportedCommands } from './rollout-commands.js';

/** How the codex process ended. */
export interface CodexRunOutcome {
  exitCode: number | null;
  timedOut: boolean;
  cancelled: boolean;
  timeoutMs: number;
  /** The last 8000 characters codex wrote to stderr. */
  stderrTail: string;
  /** Content of the `-o` file, when codex wrote it. */
  lastMessage?: string | undefined;
  /** Why codex did not start at all. */
  spawnError?: string;
  /** Why the run was stopped early: codex could not reach its model (one line, names the endpoint). */
  modelUnreachable?: string;
  /** Guarded git metadata (config, hooks) codex changed; already put back. */
  gitMetadataRestored?: string[];
  /** The commands codex's session file records (`readRolloutCommands`), when it has one. */
  recordedCommands?: ParsedCodexCommand[];
}

/** Lines of codex's stderr that are noise, not a reason for a failure. */
const stderrNoise = [
  /^Reading additional input from stdin/,
  /^WARNING: proceeding, even though we could not create PATH/,
];

function seconds(milliseconds: number): string {
  return String(Math.round(milliseconds / 100) / 10);
}

/** Codex 0.169 words every HTTP 5xx of the model provider as "high demand"; say what it means. */
function explain(error: string): string {
  return /experiencing high demand/i.test(error)
    ? `${error} (codex reports any HTTP 5xx answer of the model provider this way: check the provider)`
    : error;
}

function stderrReason(stderrTail: string): string | undefined {
  const lines = stderrTail
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !stderrNoise.some((pattern) => pattern.test(line)));
  return lines.length === 0 ? undefined : cutText(lines.slice(-10).join('\n'), 2000);
}

/** The result of one run: status, message, files, commands, usage, errors. */
export function buildWorkerResult(
  run: ParsedCodexRun,
  outcome: CodexRunOutcome,
  durationMs: number,
): WorkerResult {
  const errors = run.errors.filter((error) => error !== '').map((error) => cutText(explain(error), 2000));
  const sandboxFailure = detectSandboxFailure(run);
  let status: WorkerStatus;
  if (outcome.modelUnreachable !== undefined) {
    status = 'failed';
    errors.push(outcome.modelUnreachable);
  } else if (outcome.cancelled) {
    status = 'cancelled';
    errors.push('the run was cancelled; codex and every process it started were stopped');
  } else if (outcome.timedOut) {
    status = 'timed-out';
    errors.push(
      `codex did not finish within ${seconds(outcome.timeoutMs)} s; codex and every process it ` +
        'started were killed. If no model turn completed, the model server did not answer (codex waits ' +
        'forever for response headers).',
    );
  } else if (outcome.spawnError !== undefined) {
    status = 'failed';
    errors.push(outcome.spawnError);
  } else if (sandboxFailure !== undefined) {
    status = 'sandbox-failure';
    errors.push(sandboxFailure);
  } else if (outcome.exitCode === 0 && !run.turnFailed) {
    status = 'completed';
  } else {
    status = 'failed';
    if (errors.length === 0) {
      const reason = run.notices.at(-1) ?? stderrReason(outcome.stderrTail);
      errors.push(`codex exited with code ${outcome.exitCode}${reason === undefined ? '' : `: ${reason}`}`);
    }
  }
  if (outcome.gitMetadataRestored !== undefined && outcome.gitMetadataRestored.length > 0) {
    status = status === 'completed' ? 'failed' : status;
    errors.push(
      `codex changed git metadata that can run programs (${outcome.gitMetadataRestored.join(', ')}); ` +
        'the changes were undone. Workers may commit, but not change git config or hooks.',
    );
  }
  if (run.malformedLines > 0)
    errors.push(`${run.malformedLines} line(s) of codex output were not JSON events`);
  const fromFile = outcome.lastMessage?.trim();
  const result: WorkerResult = {
    status,
    finalMessage: fromFile !== undefined && fromFile !== '' ? (outcome.lastMessage ?? '') : run.lastMessage,
    filesChanged: run.filesChanged.map((change) => ({ ...change })),
    commands: run.commands.map(({ command, exitCode, status: commandStatus }) => ({
      command,
      exitCode,
      status: commandStatus,
    })),
    usage: { ...run.usage },
    exitCode: outcome.exitCode,
    durationMs,
    errors: errors.slice(-20),
  };
  if (run.threadId !== undefined) result.threadId = run.threadId;
  // A command codex's --json left out (openai/codex#47433) is still checked for a refusal.
  const unreported = unreportedCommands(run.commands, outcome.recordedCommands ?? []);
  const refusals = detectRefusals({ ...run, commands: [...run.commands, ...unreported] });
  if (refusals.length > 0) result.refusals = refusals;
  return result;
}
