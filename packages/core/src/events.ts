/**
 * The one event vocabulary of codex-orchestrator: a discriminated union on `type`, named
 * noun-verb, always `start` / `delta` / `end` (plus `denied`, `conflict`... where an end is not the
 * whole story). Every event carries `time` (ISO 8601) and, when known, `taskId`.
 *
 * Adding an event: add its interface here, add it to `OrchestratorEvent` (`OrchestratorEventMap`
 * follows automatically), and give it one `case` in `reduceRunState` (run-state/) when it changes
 * what a run's views show: the CLI live view, the Telegram progress message and the report all
 * read the reducer's state.
 *
 * Token figures say whether they are per item or cumulative: `worker-usage` is per turn (add them
 * up), `model-call-end` is per call (add them up), `worker-end`'s `result.usage` is the whole
 * worker run, and `usage-update` is the run's running total (the last one replaces the others).
 */
import type {
  RunRepoCommandStatus,
  TaskOutcome,
  TokenUsage,
  WorkerFileChange,
  WorkerResult,
} from './types.js';

interface EventBase {
  /** ISO 8601 time the event was emitted. */
  time: string;
  taskId?: string;
}

/** A command passed to run_repo_command is about to execute (policy allowed it). */
export interface CommandStartEvent extends EventBase {
  type: 'command-start';
  callId: string;
  worktree: string;
  command: string;
  ruleId?: string;
  dryRun: boolean;
}

/** A command passed to run_repo_command finished (or was skipped in dry-run). */
export interface CommandEndEvent extends EventBase {
  type: 'command-end';
  callId: string;
  worktree: string;
  command: string;
  exitCode: number | null;
  durationMs: number;
  timedOut: boolean;
  cancelled: boolean;
  truncated: boolean;
  dryRun: boolean;
  /** How the call ended (never `denied`: that is a `command-denied` event). */
  status: Exclude<RunRepoCommandStatus, 'denied'>;
  /** The handler that ran it in-process (`codex`, `merge-queue`, `worktree`), if one did. */
  handler?: string;
  /** Why it failed, when the handler or the runner said (e.g. a codex run refused by the budget). */
  reason?: string;
}

/** run_repo_command refused a command (policy, bad worktree, ...) before any process started. */
export interface CommandDeniedEvent extends EventBase {
  type: 'command-denied';
  callId: string;
  worktree: string;
  command: string;
  reason: string;
  ruleId?: string;
}

export interface WorktreeCreateEvent extends EventBase {
  type: 'worktree-create';
  worktree: string;
  path: string;
  branch: string;
  base: string;
  /** True when an existing worktree was reused instead of created. */
  reused: boolean;
}

/** A new worktree was prepared by the orchestrator (files copied, dependencies reused, ports). */
export interface WorktreeBootstrapEvent extends EventBase {
  type: 'worktree-bootstrap';
  worktree: string;
  path: string;
  /** Gitignored paths copied from main. */
  copied: string[];
  /** `node_modules` folders reused from main. */
  dependencies: string[];
  method: 'reflink' | 'hardlink' | 'copy' | 'none';
  /** Why no dependencies were reused. */
  skipped?: string;
  /** First port of the worktree's range (`PORT`). */
  portBase?: number;
  durationMs: number;
}

export interface WorktreeRemoveEvent extends EventBase {
  type: 'worktree-remove';
  worktree: string;
  path: string;
  reason: 'removed' | 'pruned';
}

export interface WorkerStartEvent extends EventBase {
  type: 'worker-start';
  workerRunId: string;
  worker: string;
  worktree: string;
  prompt: string;
}

export interface WorkerCommandStartEvent extends EventBase {
  type: 'worker-command-start';
  workerRunId: string;
  worktree: string;
  itemId: string;
  command: string;
}

export interface WorkerCommandEndEvent extends EventBase {
  type: 'worker-command-end';
  workerRunId: string;
  worktree: string;
  itemId: string;
  command: string;
  exitCode: number | null;
  /** Output, cut to a bounded size. */
  output: string;
}

export interface WorkerFileChangeEvent extends EventBase {
  type: 'worker-file-change';
  workerRunId: string;
  worktree: string;
  changes: WorkerFileChange[];
}

export interface WorkerMessageEvent extends EventBase {
  type: 'worker-message';
  workerRunId: string;
  worktree: string;
  kind: 'message' | 'reasoning' | 'error';
  text: string;
}

/**
 * Tokens of ONE codex turn (`turn.completed`), not a running total: a run's usage is the sum of
 * its `worker-usage` events (and equals its `worker-end` result's usage).
 */
export interface WorkerUsageEvent extends EventBase {
  type: 'worker-usage';
  workerRunId: string;
  worktree: string;
  /** This turn's tokens only (per turn). */
  usage: TokenUsage;
}

/** Something odd but not fatal: a malformed JSONL line, a retry notice. */
export interface WorkerWarningEvent extends EventBase {
  type: 'worker-warning';
  workerRunId: string;
  worktree: string;
  message: string;
}

/** A worker run ended; `result.usage` is the whole run's tokens (cumulative over its turns). */
export interface WorkerEndEvent extends EventBase {
  type: 'worker-end';
  workerRunId: string;
  worktree: string;
  result: WorkerResult;
}

/**
 * An error that did not end the run by itself: the audit log could not be written, a listener
 * threw, an iterator fell behind, a worktree setup hook or pruning failed, main had to be repaired.
 * (Dispatcher source and sink failures go to the dispatcher's logger.)
 */
export interface ErrorEvent extends EventBase {
  type: 'error';
  code: string;
  message: string;
}

/**
 * The dispatcher accepted a task and put it in its queue: a new delivery (`received`), a task
 * found queued in the journal at start-up (`replayed`), or one that was running when the
 * process stopped and will run again (`interrupted`).
 */
export interface TaskQueueEvent extends EventBase {
  type: 'task-queue';
  taskId: string;
  source: string;
  reason: 'received' | 'replayed' | 'interrupted';
}

/** The dispatcher handed a task to its runner. `attempt` counts from 1 across restarts. */
export interface TaskStartEvent extends EventBase {
  type: 'task-start';
  taskId: string;
  source: string;
  attempt: number;
  /** True when the runner was asked to resume work an earlier, interrupted attempt started. */
  resume: boolean;
}

/** A task ended (its outcome is durable in the journal before this is emitted). */
export interface TaskEndEvent extends EventBase {
  type: 'task-end';
  taskId: string;
  source: string;
  outcome: TaskOutcome;
  attempt: number;
  durationMs: number;
  /** Why it failed, when the runner threw or the dispatcher gave up on it. */
  error?: string;
}

/**
 * A task stopped without ending: the process died while it ran (noticed at the next start) or
 * the dispatcher was stopped with `cancelRunning`. `action` is what happens next.
 */
export interface TaskInterruptEvent extends EventBase {
  type: 'task-interrupt';
  taskId: string;
  source: string;
  attempt: number;
  action: 'retry' | 'resume' | 'fail' | 'defer';
}

/**
 * How main ended a run: untouched (`start`), at a commit the merge queue merged and tested
 * (`merged`), put back there by the end-of-run guard (`restored`), or not verifiable (`unsafe`:
 * the guard failed; inspect it by hand).
 */
export type MainEndState = 'start' | 'merged' | 'restored' | 'unsafe';

/** A `runOrchestrator` run started. */
export interface RunStartEvent extends EventBase {
  type: 'run-start';
  runId: string;
  task: string;
  baseDir: string;
  /** Orchestrator model name. */
  model: string;
  /** Commit main was at when the run started. */
  startCommit: string;
  /** True when this run resumes an interrupted one (already merged branches are skipped). */
  resume: boolean;
  /** `off` when the run uses the explicit opt-out `sandbox: 'off'`: worktree code runs unconfined. */
  sandbox?: 'on' | 'off';
}

/** A `runOrchestrator` run ended; main has been checked and secured before this is emitted. */
export interface RunEndEvent extends EventBase {
  type: 'run-end';
  runId: string;
  status: TaskOutcome;
  /** The orchestrator's closing summary (empty when it did not get that far). */
  summary: string;
  /** Why the run failed or stopped, when it did. */
  error?: string;
  /** Commit main ended at. */
  mainCommit: string;
  mainState: MainEndState;
  /** What the end-of-run guard had to do to main (empty when it was already in order). */
  mainRepairs: string[];
  durationMs: number;
}

/** One step of the orchestrator's plan. */
export interface PlanStep {
  title: string;
  status: 'pending' | 'in-progress' | 'done' | 'blocked';
  /** Worktree the step works in, when it has one. */
  worktree?: string;
}

/** The orchestrator recorded (or revised) its plan. */
export interface PlanUpdateEvent extends EventBase {
  type: 'plan-update';
  steps: PlanStep[];
  note?: string;
}

/** A request to the orchestrator's (or the reviewer's) model is about to be sent. */
export interface ModelCallStartEvent extends EventBase {
  type: 'model-call-start';
  /** `orchestrator` or `reviewer`. */
  agent: string;
  model: string;
  /** 1-based count of this agent's model calls in the run. */
  turn: number;
}

/** A model call ended, with the token usage of this call only (absent when it failed). */
export interface ModelCallEndEvent extends EventBase {
  type: 'model-call-end';
  agent: string;
  model: string;
  turn: number;
  durationMs: number;
  usage?: TokenUsage;
  error?: string;
}

/**
 * A model request failed and is tried again after `delayMs`: a dropped connection, a body cut
 * short or malformed, a timeout, or HTTP 408/409/429/5xx (see `modelRequests` of the options).
 * With a streamed request, the events of the failed attempt were already passed on.
 */
export interface ModelCallRetryEvent extends EventBase {
  type: 'model-call-retry';
  agent: string;
  model: string;
  /** 1-based number of the attempt that failed. */
  attempt: number;
  delayMs: number;
  /** One line naming the endpoint and what went wrong. */
  reason: string;
}

/**
 * Running token and cost totals of a run, after each model call or worker turn: cumulative, so
 * the last one replaces every earlier one (never add them up).
 */
export interface UsageUpdateEvent extends EventBase {
  type: 'usage-update';
  /** Orchestrator and reviewer model calls. */
  orchestrator: TokenUsage;
  /** Every worker (codex) run. */
  workers: TokenUsage;
  /** Estimated cost in USD from the price table (an estimate, not a bill). */
  costUsd: number;
}

/** A budget cap was reached: no new worker run starts and the agent stops after its turn. */
export interface BudgetExceedEvent extends EventBase {
  type: 'budget-exceed';
  limit: 'tokens' | 'cost-usd';
  /** The cap that was set. */
  cap: number;
  /** What the run had used in all when it was noticed (cumulative). */
  used: number;
  action: 'finish-running' | 'cancel-running';
}

/** One remark of a review. */
export interface ReviewComment {
  file?: string;
  line?: number;
  comment: string;
}

/** A branch is being reviewed (agent reviewer or `codex`). */
export interface ReviewStartEvent extends EventBase {
  type: 'review-start';
  branch: string;
  worktree?: string;
  /** Head commit of the branch that is reviewed. */
  commit: string;
  mode: 'agent' | 'codex';
}

/** A review ended with a verdict (a failed review counts as `request-changes`, `error` set). */
export interface ReviewEndEvent extends EventBase {
  type: 'review-end';
  branch: string;
  worktree?: string;
  commit: string;
  mode: 'agent' | 'codex';
  verdict: 'approve' | 'request-changes';
  summary: string;
  comments: ReviewComment[];
  durationMs: number;
  error?: string;
}

/** The merge approval hook was asked about a branch. */
export interface ApprovalStartEvent extends EventBase {
  type: 'approval-start';
  branch: string;
  worktree?: string;
}

/** The merge approval hook answered (a hook that throws counts as declined, `error` set). */
export interface ApprovalEndEvent extends EventBase {
  type: 'approval-end';
  branch: string;
  worktree?: string;
  approved: boolean;
  durationMs: number;
  error?: string;
}

/** The merge queue starts merging a branch into main (it holds the merge lock). */
export interface MergeStartEvent extends EventBase {
  type: 'merge-start';
  branch: string;
  worktree?: string;
  /** Main before the merge. */
  mainCommit: string;
  /** Head of the branch being merged. */
  branchCommit: string;
}

/** How one merge request ended. */
export type MergeOutcome = 'merged' | 'already-merged' | 'refused' | 'conflict' | 'reverted' | 'failed';

/** A merge request to the merge queue ended; main is clean whatever the outcome. */
export interface MergeEndEvent extends EventBase {
  type: 'merge-end';
  branch: string;
  worktree?: string;
  outcome: MergeOutcome;
  /** Main after the request (unchanged unless `merged`). */
  mainCommit: string;
  /** Head of the branch, when it exists. */
  branchCommit?: string;
  /** Why it was refused, conflicted, reverted or failed. */
  reason?: string;
  durationMs: number;
}

/** A merge conflicted and was aborted; main is clean again. */
export interface MergeConflictEvent extends EventBase {
  type: 'merge-conflict';
  branch: string;
  worktree?: string;
  /** Files with conflicts, relative to the repository root. */
  files: string[];
  mainCommit: string;
}

/** The smoke test runs in main after a merge. */
export interface SmokeTestStartEvent extends EventBase {
  type: 'smoke-test-start';
  branch: string;
  command: string;
  mainCommit: string;
}

/** The smoke test ended; a failure makes the merge queue put main back to its pre-merge commit. */
export interface SmokeTestEndEvent extends EventBase {
  type: 'smoke-test-end';
  branch: string;
  command: string;
  mainCommit: string;
  passed: boolean;
  exitCode: number | null;
  durationMs: number;
  /** Tail of the output. */
  output: string;
}

/** Main was moved back to a known good commit (smoke-test failure or the end-of-run guard). */
export interface MainRestoreEvent extends EventBase {
  type: 'main-restore';
  from: string;
  to: string;
  reason: string;
  /** Branch created to keep unexpected commits reachable, when main held any. */
  rescueBranch?: string;
}

/** Every event, discriminated on `type`. */
export type OrchestratorEvent =
  | CommandStartEvent
  | CommandEndEvent
  | CommandDeniedEvent
  | WorktreeCreateEvent
  | WorktreeBootstrapEvent
  | WorktreeRemoveEvent
  | WorkerStartEvent
  | WorkerCommandStartEvent
  | WorkerCommandEndEvent
  | WorkerFileChangeEvent
  | WorkerMessageEvent
  | WorkerUsageEvent
  | WorkerWarningEvent
  | WorkerEndEvent
  | ErrorEvent
  | TaskQueueEvent
  | TaskStartEvent
  | TaskEndEvent
  | TaskInterruptEvent
  | RunStartEvent
  | RunEndEvent
  | PlanUpdateEvent
  | ModelCallStartEvent
  | ModelCallEndEvent
  | ModelCallRetryEvent
  | UsageUpdateEvent
  | BudgetExceedEvent
  | ReviewStartEvent
  | ReviewEndEvent
  | ApprovalStartEvent
  | ApprovalEndEvent
  | MergeStartEvent
  | MergeEndEvent
  | MergeConflictEvent
  | SmokeTestStartEvent
  | SmokeTestEndEvent
  | MainRestoreEvent;

/** All event type names. */
export type OrchestratorEventType = OrchestratorEvent['type'];

/** Map of event name to payload, for the typed emitter. */
export type OrchestratorEventMap = {
  [K in OrchestratorEventType]: Extract<OrchestratorEvent, { type: K }>;
};

/** An event before `time` is stamped on it. */
export type OrchestratorEventInput = OrchestratorEvent extends infer E
  ? E extends OrchestratorEvent
    ? Omit<E, 'time'> & { time?: string }
    : never
  : never;
