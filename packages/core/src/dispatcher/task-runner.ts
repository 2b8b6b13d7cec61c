import type { OrchestratorEventInput } from '../events.js';
import type { MergeApprover, Task, TaskOutcome } from '../types.js';

/** What the dispatcher hands its runner with each task. */
export interface TaskRunnerOptions {
  /** Fires when the task is cancelled (`cancel(taskId)`) or the dispatcher stops with `cancelRunning`. */
  signal: AbortSignal;
  /**
   * Sends an event to the sinks, in order. `time` is stamped when missing and `taskId` defaults to
   * the task's id. Never throws and never blocks: sinks are called in the background.
   */
  emit: (event: OrchestratorEventInput) => void;
  /** Present when a sink can approve merges; ask it before each merge into main. */
  approveMerge?: MergeApprover;
  /** 1 for the first run of this task; counts on across restarts. */
  attempt: number;
  /**
   * True when an earlier attempt was interrupted (the process died or stopped) and the dispatcher
   * runs with `onInterrupted: 'resume'`: the runner should continue that work (skip branches
   * already merged, reuse worktrees) instead of starting over. Merges must be idempotent anyway.
   */
  resume: boolean;
}

/** How a run ended, as the runner reports it. */
export interface TaskRunResult {
  outcome: TaskOutcome;
  /** The final report in markdown, passed to sinks' `onTaskEnd`. */
  reportMarkdown?: string;
  /** The structured report, passed to sinks' `onTaskEnd` as is. */
  report?: unknown;
}

/**
 * Runs one task. A runner that throws marks the task `failed` (or `cancelled` when its signal was
 * aborted by `cancel`); it never affects other tasks.
 *
 * @example
 * const run: TaskRunner = async (task, { signal, emit }) => {
 *   emit({ type: 'worker-message', workerRunId: 'r1', worktree: 'main', kind: 'message', text: task.text });
 *   return { outcome: 'completed', reportMarkdown: `Done: ${task.text}` };
 * };
 */
export type TaskRunner = (task: Task, options: TaskRunnerOptions) => Promise<TaskRunResult>;
