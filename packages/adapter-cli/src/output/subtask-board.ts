import {
  createRunState,
  type OrchestratorEvent,
  type RunActivity,
  type RunState,
  reduceRunState,
  runStateTokens,
  type SubtaskState,
} from '@codex-orchestrator/core';
import { pathInWorktree, toTerminalLine, unwrapShellCommand } from './terminal-text.js';

/** What a subtask is doing, as the live view labels it (core's `SubtaskPhase` in the CLI's words). */
export type SubtaskPhase =
  | 'planned'
  | 'ready'
  | 'queued'
  | 'codex'
  | 'testing'
  | 'reviewing'
  | 'waiting'
  | 'merging'
  | 'merged'
  | 'conflict'
  | 'failed'
  | 'cancelled'
  | 'done';

/** One row of the live view: a worktree and what happens in it. */
export interface SubtaskRow {
  worktree: string;
  branch?: string;
  phase: SubtaskPhase;
  /** The last thing codex or the orchestrator did there, one line. */
  lastAction: string;
  /** Worker tokens spent in this worktree. */
  tokens: number;
  /** When the command that `lastAction` names is still running: when it started (ISO time). */
  runningSince?: string;
}

/** The state behind the live view: core's run state, in the CLI's words. */
export interface SubtaskBoard {
  /** Feeds one event; returns true when the board changed. */
  apply(event: OrchestratorEvent): boolean;
  rows(): SubtaskRow[];
  /** Total tokens: workers plus the orchestrator model, when reported. */
  totalTokens(): number;
  /** Estimated cost in USD so far (from `usage-update`), when reported. */
  costUsd(): number | undefined;
  /** What the orchestrator itself is doing (`thinking (turn 3)`, `merging task-x`), one line. */
  status(): string;
  /** The run state the board shows. */
  state(): RunState;
}

const labels: Record<SubtaskState['phase'], SubtaskPhase> = {
  planned: 'planned',
  ready: 'ready',
  queued: 'queued',
  running: 'codex',
  testing: 'testing',
  reviewing: 'reviewing',
  'awaiting-approval': 'waiting',
  merging: 'merging',
  merged: 'merged',
  conflict: 'conflict',
  failed: 'failed',
  cancelled: 'cancelled',
  removed: 'done',
};

/**
 * Creates the board: one row per task worktree (main is not a subtask), in order of appearance.
 * The state is core's `reduceRunState`; this only words it (worker tokens are summed per turn
 * there, per worker run and per worktree).
 */
export function createSubtaskBoard(): SubtaskBoard {
  let state = createRunState();
  return {
    apply(event) {
      const next = reduceRunState(state, event);
      // Only what the board shows counts (a command in main changes the state, not the board).
      const changed =
        next.subtasks !== state.subtasks ||
        next.activity !== state.activity ||
        next.usage !== state.usage ||
        next.workerRuns !== state.workerRuns;
      state = next;
      return changed;
    },
    rows: () => state.subtasks.map(toRow),
    totalTokens: () => runStateTokens(state),
    costUsd: () => state.usage?.costUsd,
    status: () => describeActivity(state.activity),
    state: () => state,
  };
}

function toRow(subtask: SubtaskState): SubtaskRow {
  const running = runningCommandOf(subtask);
  return {
    worktree: subtask.worktree,
    ...(subtask.branch === undefined ? {} : { branch: subtask.branch }),
    phase: labels[subtask.phase],
    lastAction: toTerminalLine(
      subtask.activity === undefined
        ? (subtask.planTitle ?? '')
        : describeSubtaskActivity(subtask.activity, subtask.worktree),
      200,
    ),
    tokens: subtask.tokens,
    ...(running === undefined ? {} : { runningSince: running }),
  };
}

/** The start time of the command the subtask's last activity started, while it still runs. */
function runningCommandOf(subtask: SubtaskState): string | undefined {
  const activity = subtask.activity;
  if (activity?.type !== 'command-start' && activity?.type !== 'worker-command-start') return undefined;
  const source = activity.type === 'command-start' ? 'orchestrator' : 'codex';
  return subtask.running.findLast(
    (command) => command.source === source && command.command === activity.command,
  )?.startedAt;
}

function describeActivity(activity: RunActivity): string {
  switch (activity.kind) {
    case 'starting':
    case 'planning':
      return activity.kind;
    case 'model-call':
      return `${activity.agent} thinking (turn ${activity.turn})`;
    case 'tools':
      return `${activity.agent} waiting for tools`;
    case 'model-error':
      return `${activity.agent} model error`;
    case 'merging':
      return `merging ${toTerminalLine(activity.branch, 60)}`;
    case 'ended':
      return activity.status;
  }
}

/** The last thing that happened in a subtask, in a few words. */
function describeSubtaskActivity(event: OrchestratorEvent, worktree: string): string {
  switch (event.type) {
    case 'review-start':
      return `review (${event.mode}) of ${event.branch}`;
    case 'review-end':
      return `review: ${event.verdict}: ${event.summary}`;
    case 'approval-start':
      return 'waiting for merge approval';
    case 'approval-end':
      return event.approved ? 'merge approved' : 'merge declined';
    case 'merge-start':
      return `merging ${event.branch} into main`;
    case 'merge-end':
      return event.outcome === 'merged' || event.outcome === 'already-merged'
        ? 'merged into main'
        : `merge ${event.outcome}: ${event.reason ?? ''}`;
    case 'merge-conflict':
      return `conflict in ${event.files.join(', ')}`;
    case 'smoke-test-start':
      return `smoke test in main: ${event.command}`;
    case 'smoke-test-end':
      return `smoke test ${event.passed ? 'passed' : `failed (exit ${event.exitCode ?? '?'})`}`;
    case 'worktree-create':
      return event.reused ? `reused worktree (${event.branch})` : `worktree from ${event.base}`;
    case 'worktree-remove':
      return `worktree ${event.reason}`;
    case 'worker-start':
      return `codex: ${event.prompt}`;
    case 'worker-command-start':
      return `codex $ ${unwrapShellCommand(event.command)}`;
    case 'worker-command-end':
      return `codex $ ${unwrapShellCommand(event.command)} → exit ${event.exitCode ?? '?'}`;
    case 'worker-file-change':
      return `codex edited ${event.changes.map((change) => pathInWorktree(change.path, worktree)).join(', ')}`;
    case 'worker-message':
      return `codex: ${event.text}`;
    case 'worker-end':
      return `codex ${event.result.status}: ${event.result.finalMessage}`;
    case 'command-start':
      return `$ ${event.command}`;
    case 'command-end':
      return `$ ${event.command} → exit ${event.exitCode ?? '?'}`;
    case 'command-denied':
      return `denied: ${event.command}`;
    default:
      return '';
  }
}
