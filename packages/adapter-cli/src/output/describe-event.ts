import type { OrchestratorEvent } from '@codex-orchestrator/core';
import { formatDuration, pathInWorktree, toTerminalLine, unwrapShellCommand } from './terminal-text.js';

/** One human-readable line about an event. */
export interface EventLine {
  /** The worktree it happened in (`main`, `task-x`), or `run` for the whole run. */
  where: string;
  text: string;
  level: 'info' | 'success' | 'warning' | 'error';
  /** Worth a line in the live view too (merges, denials, failures); the rest only in plain mode. */
  notable: boolean;
}

const maxText = 160;

/**
 * Describes an event as one line, or `undefined` for events too noisy for a line of their own
 * (token usage, command starts, reasoning). Untrusted text is stripped of control characters.
 */
export function describeEvent(event: OrchestratorEvent): EventLine | undefined {
  const line = (
    where: string,
    text: string,
    level: EventLine['level'] = 'info',
    notable = false,
  ): EventLine => ({ where: toTerminalLine(where, 40), text: toTerminalLine(text, maxText), level, notable });
  switch (event.type) {
    case 'command-end': {
      // A codex run is reported by its worker-end line, with more to say.
      if (/^\s*codex\s+exec\b/.test(event.command) && !event.cancelled && !event.timedOut) return undefined;
      const status = event.dryRun
        ? 'dry run, not executed'
        : event.cancelled
          ? 'cancelled'
          : event.timedOut
            ? 'timed out'
            : `exit ${event.exitCode ?? '?'}`;
      const failed = !event.dryRun && event.exitCode !== 0;
      return line(
        event.worktree,
        `$ ${event.command} → ${status} (${formatDuration(event.durationMs)})`,
        failed ? 'warning' : 'info',
      );
    }
    case 'command-denied':
      return line(event.worktree, `denied: ${event.command} (${event.reason})`, 'warning', true);
    case 'worktree-create':
      return line(
        event.worktree,
        `${event.reused ? 'reused' : 'created'} worktree on branch ${event.branch} from ${event.base}`,
      );
    case 'worktree-remove':
      return line(event.worktree, `worktree ${event.reason}`);
    case 'worker-start':
      return line(event.worktree, `${event.worker} started: ${event.prompt}`);
    case 'worker-command-end':
      return line(
        event.worktree,
        `codex $ ${unwrapShellCommand(event.command)} → exit ${event.exitCode ?? '?'}`,
      );
    case 'worker-file-change':
      return line(
        event.worktree,
        `codex ${event.changes.map((change) => `${change.kind} ${pathInWorktree(change.path, event.worktree)}`).join(', ')}`,
      );
    case 'worker-message':
      if (event.kind === 'reasoning') return undefined;
      return line(
        event.worktree,
        `codex${event.kind === 'error' ? ' error' : ''}: ${event.text}`,
        event.kind === 'error' ? 'warning' : 'info',
      );
    case 'worker-warning':
      return line(event.worktree, `codex warning: ${event.message}`, 'warning');
    case 'worker-end': {
      const result = event.result;
      const ok = result.status === 'completed';
      const files = result.filesChanged.length;
      return line(
        event.worktree,
        `codex ${result.status} in ${formatDuration(result.durationMs)}, ${files} file${files === 1 ? '' : 's'} changed, ${result.usage.totalTokens} tokens`,
        ok ? 'success' : 'error',
        true,
      );
    }
    case 'error':
      return line('run', `${event.code}: ${event.message}`, 'error', true);
    case 'run-start':
      return line(
        'run',
        `started with ${event.model} in ${event.baseDir} (main at ${event.startCommit.slice(0, 7)})${event.resume ? ', resuming' : ''}`,
      );
    case 'run-end': {
      const level = event.status === 'completed' ? 'success' : 'error';
      const main =
        event.mainState === 'merged'
          ? `main at ${event.mainCommit.slice(0, 7)}`
          : `main ${event.mainState === 'start' ? 'unchanged' : 'restored'}`;
      return line(
        'run',
        `${event.status} in ${formatDuration(event.durationMs)}, ${main}${event.error ? `: ${event.error}` : ''}`,
        level,
        true,
      );
    }
    case 'plan-update':
      return line(
        'plan',
        event.steps
          .map(
            (step) =>
              `${step.status === 'done' ? '✔' : step.status === 'in-progress' ? '●' : '○'} ${step.title}`,
          )
          .join('; '),
        'info',
        true,
      );
    case 'model-call-end':
      return event.error === undefined
        ? undefined
        : line(event.agent, `model call failed: ${event.error}`, 'error', true);
    case 'model-call-retry':
      return line(
        event.agent,
        `${event.reason}; retrying in ${formatDuration(event.delayMs)}`,
        'warning',
        true,
      );
    case 'budget-exceed':
      return line(
        'run',
        `budget reached: ${event.used} of ${event.cap} ${event.limit === 'tokens' ? 'tokens' : 'USD'}; no new codex runs`,
        'warning',
        true,
      );
    case 'review-start':
      return line(
        event.worktree ?? event.branch,
        `review (${event.mode}) of ${event.branch} at ${event.commit.slice(0, 7)}`,
      );
    case 'review-end':
      return line(
        event.worktree ?? event.branch,
        `review: ${event.verdict}: ${event.summary}${event.error ? ` (${event.error})` : ''}`,
        event.verdict === 'approve' ? 'success' : 'warning',
        true,
      );
    case 'approval-end':
      return line(
        event.worktree ?? event.branch,
        `merge ${event.approved ? 'approved' : 'declined'}${event.error ? ` (${event.error})` : ''}`,
        event.approved ? 'success' : 'warning',
        true,
      );
    case 'merge-end': {
      const merged = event.outcome === 'merged' || event.outcome === 'already-merged';
      return line(
        'main',
        merged
          ? `${event.outcome === 'merged' ? 'merged' : 'already merged:'} ${event.branch} (main at ${event.mainCommit.slice(0, 7)})`
          : `merge of ${event.branch} ${event.outcome}${event.reason ? `: ${event.reason}` : ''}`,
        merged ? 'success' : 'warning',
        true,
      );
    }
    case 'merge-conflict':
      return line(
        'main',
        `conflict merging ${event.branch} in ${event.files.join(', ')}; merge aborted, main clean`,
        'warning',
        true,
      );
    case 'smoke-test-end':
      return line(
        'main',
        `smoke test ${event.passed ? 'passed' : `failed (exit ${event.exitCode ?? '?'})`} after ${event.branch}: ${event.command}`,
        event.passed ? 'success' : 'error',
        !event.passed,
      );
    case 'main-restore':
      return line(
        'main',
        `main restored from ${event.from.slice(0, 7)} to ${event.to.slice(0, 7)}: ${event.reason}${event.rescueBranch ? ` (kept on ${event.rescueBranch})` : ''}`,
        'warning',
        true,
      );
    case 'task-queue':
      return line(
        event.taskId,
        `queued from ${event.source}${event.reason === 'received' ? '' : ` (${event.reason})`}`,
      );
    case 'task-start':
      return line(
        event.taskId,
        `started (attempt ${event.attempt}${event.resume ? ', resuming' : ''})`,
        'info',
        true,
      );
    case 'task-end':
      return line(
        event.taskId,
        `${event.outcome} in ${formatDuration(event.durationMs)}${event.error ? `: ${event.error}` : ''}`,
        event.outcome === 'completed' ? 'success' : 'error',
        true,
      );
    case 'task-interrupt':
      return line(event.taskId, `interrupted earlier; will ${event.action}`, 'warning', true);
    default:
      return undefined;
  }
}
