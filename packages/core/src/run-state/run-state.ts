/**
 * The state of one run as the event stream tells it: the one model behind every view of a run
 * (the CLI live view, the Telegram progress message, the final report). Built by
 * `reduceRunState`; consumers only format it. Every field is read-only: the reducer returns a new
 * state and never changes the one it was given.
 */
import type { MainEndState, MergeOutcome, OrchestratorEvent, PlanStep, ReviewComment } from '../events.js';
import type { RunRepoCommandStatus, TaskOutcome, TokenUsage, WorkerResult, WorkerStatus } from '../types.js';

/**
 * Where a run (or a dispatcher task) is: `queued` until anything happens, `running` until it
 * ends with its outcome.
 */
export type RunStatus = 'queued' | 'running' | TaskOutcome;

/**
 * What one subtask (a task worktree) is doing:
 * - `planned`: a plan step names it, nothing ran there yet;
 * - `ready`: the worktree exists and nothing runs there now;
 * - `queued`: a codex run was asked for and waits for a free slot;
 * - `running`: codex works there;
 * - `testing`: the orchestrator runs a test command there;
 * - `reviewing`, `awaiting-approval`, `merging`: on its way into main;
 * - `merged`, `conflict`, `failed`, `cancelled`, `removed`: where it ended (for now).
 */
export type SubtaskPhase =
  | 'planned'
  | 'ready'
  | 'queued'
  | 'running'
  | 'testing'
  | 'reviewing'
  | 'awaiting-approval'
  | 'merging'
  | 'merged'
  | 'conflict'
  | 'failed'
  | 'cancelled'
  | 'removed';

/** A command that has started and not ended yet, for elapsed times. */
export interface RunningCommand {
  readonly command: string;
  /** ISO time it started (the start event's time). */
  readonly startedAt: string;
  /** `orchestrator`: through run_repo_command; `codex`: inside a codex run. */
  readonly source: 'orchestrator' | 'codex';
}

/** One subtask: a task worktree (never `main`) and what happens in it. */
export interface SubtaskState {
  readonly worktree: string;
  readonly branch?: string;
  readonly phase: SubtaskPhase;
  /** Title of the first plan step that named this worktree. */
  readonly planTitle?: string;
  /**
   * The last event that said what happens here (a codex command, a review, a merge...; never
   * token usage or reasoning). Views describe it in their own words.
   */
  readonly activity?: OrchestratorEvent;
  /** Commands running there now, oldest first. */
  readonly running: readonly RunningCommand[];
  /** The last command codex ran there, with its exit code once it ended. */
  readonly codexCommand?: { readonly command: string; readonly exitCode?: number | null };
  /** Worker (codex) tokens spent here: the sum of its worker runs' totals. */
  readonly tokens: number;
  /** Files codex reported changing here, as reported (absolute or relative), without repeats. */
  readonly changedFiles: readonly string[];
  /**
   * True once a worktree or worker event named it; plan steps, commands and branch events alone
   * do not (a branch event for an unknown branch gets a subtask named after the branch).
   */
  readonly materialized: boolean;
}

/** One worker (codex) run. */
export interface WorkerRunState {
  readonly workerRunId: string;
  readonly worker: string;
  readonly worktree: string;
  readonly status: 'running' | WorkerStatus;
  /**
   * Tokens of the run: the sum of its per-turn `worker-usage` events, or the result's usage for a
   * worker that reported none per turn.
   */
  readonly usage: TokenUsage;
  /** True once a `worker-usage` event counted for this run. */
  readonly usageReported: boolean;
  readonly result?: WorkerResult;
}

/** One run_repo_command call of the orchestrator. */
export interface CommandRecord {
  readonly callId: string;
  readonly time: string;
  readonly worktree: string;
  readonly command: string;
  readonly decision: 'allow' | 'deny';
  readonly ruleId?: string;
  readonly reason?: string;
  readonly status: RunRepoCommandStatus | 'running';
  readonly exitCode: number | null;
  readonly durationMs?: number;
}

/** A command that ran tests (by `isTestCommand`), or a smoke test. */
export interface TestRecord {
  readonly worktree: string;
  readonly command: string;
  readonly source: 'orchestrator' | 'worker' | 'smoke-test';
  readonly exitCode: number | null;
  readonly passed: boolean;
  /** Branch a smoke test ran for. */
  readonly branch?: string;
}

/** A worktree created or removed during the run. */
export interface WorktreeRecord {
  readonly name: string;
  readonly path?: string;
  readonly branch?: string;
  readonly reused: boolean;
  readonly removed: boolean;
}

/** One review verdict. */
export interface ReviewRecord {
  readonly branch: string;
  readonly worktree?: string;
  readonly commit: string;
  readonly mode: 'agent' | 'codex';
  readonly verdict: 'approve' | 'request-changes';
  readonly summary: string;
  readonly comments: readonly ReviewComment[];
  readonly error?: string;
}

/** One answer of the merge approval hook. */
export interface ApprovalRecord {
  readonly branch: string;
  readonly approved: boolean;
  readonly error?: string;
}

/** How one merge request ended. */
export interface RunMergeRecord {
  readonly branch: string;
  readonly worktree?: string;
  readonly outcome: MergeOutcome;
  readonly branchCommit?: string;
  readonly mainCommit: string;
  readonly reason?: string;
  readonly conflictFiles?: readonly string[];
}

/** Where one branch is on its way into main (latest of each step). */
export interface BranchState {
  readonly branch: string;
  readonly review?: 'approve' | 'request-changes';
  readonly approval?: 'pending' | 'approved' | 'declined';
  /** `conflict-found`: a conflict was reported and the merge request has not ended yet. */
  readonly merge?: 'merging' | 'conflict-found' | MergeOutcome;
  readonly conflictFiles?: readonly string[];
  readonly smokeTest?: 'running' | 'passed' | 'failed';
}

/** What the orchestrator itself is doing. */
export type RunActivity =
  | { readonly kind: 'starting' }
  | { readonly kind: 'planning' }
  | { readonly kind: 'model-call'; readonly agent: string; readonly turn: number }
  | { readonly kind: 'tools'; readonly agent: string }
  | { readonly kind: 'model-error'; readonly agent: string }
  | { readonly kind: 'merging'; readonly branch: string }
  | { readonly kind: 'ended'; readonly status: TaskOutcome };

/** Token and cost totals as the last `usage-update` reported them (cumulative for the run). */
export interface RunUsage {
  readonly orchestrator: TokenUsage;
  readonly workers: TokenUsage;
  readonly costUsd: number;
}

/** The state of one run. */
export interface RunState {
  readonly status: RunStatus;
  readonly activity: RunActivity;
  /** Dispatcher attempt (from `task-start`), 1 before any. */
  readonly attempt: number;
  readonly start?: {
    readonly runId: string;
    readonly taskId?: string;
    readonly task: string;
    readonly model: string;
    readonly baseDir: string;
    readonly startCommit: string;
    readonly time: string;
    readonly resume: boolean;
    /** `off`: the run used the explicit sandbox opt-out. */
    readonly sandbox?: 'on' | 'off';
  };
  readonly end?: {
    readonly runId: string;
    readonly status: TaskOutcome;
    readonly summary: string;
    readonly error?: string;
    readonly mainCommit: string;
    readonly mainState: MainEndState;
    readonly mainRepairs: readonly string[];
    readonly durationMs: number;
    readonly time: string;
  };
  readonly plan: readonly PlanStep[];
  /** Subtasks in order of first appearance. */
  readonly subtasks: readonly SubtaskState[];
  readonly worktrees: readonly WorktreeRecord[];
  readonly workerRuns: readonly WorkerRunState[];
  /** run_repo_command calls in order of their first event. */
  readonly commands: readonly CommandRecord[];
  readonly tests: readonly TestRecord[];
  readonly reviews: readonly ReviewRecord[];
  readonly approvals: readonly ApprovalRecord[];
  readonly merges: readonly RunMergeRecord[];
  /** Branches in order of their first review, approval, merge or smoke-test event. */
  readonly branches: readonly BranchState[];
  readonly restores: readonly {
    readonly from: string;
    readonly to: string;
    readonly reason: string;
    readonly rescueBranch?: string;
  }[];
  readonly errors: readonly { readonly code: string; readonly message: string }[];
  readonly interrupts: readonly { readonly attempt: number; readonly action: string }[];
  readonly budget?: {
    readonly limit: 'tokens' | 'cost-usd';
    readonly cap: number;
    readonly used: number;
    readonly action: 'finish-running' | 'cancel-running';
  };
  /** Last reported totals; undefined until the first `usage-update`. */
  readonly usage?: RunUsage;
  /** Model calls that ended (successful or not). */
  readonly modelCalls: number;
  /** Models seen (orchestrator and reviewer), in order. */
  readonly models: readonly string[];
}

/** The state before any event. */
export function createRunState(): RunState {
  return {
    status: 'queued',
    activity: { kind: 'starting' },
    attempt: 1,
    plan: [],
    subtasks: [],
    worktrees: [],
    workerRuns: [],
    commands: [],
    tests: [],
    reviews: [],
    approvals: [],
    merges: [],
    branches: [],
    restores: [],
    errors: [],
    interrupts: [],
    modelCalls: 0,
    models: [],
  };
}

/**
 * Tokens of the whole run: the last `usage-update` (orchestrator plus workers) when there was
 * one, else the sum of the worker runs.
 */
export function runStateTokens(state: RunState): number {
  if (state.usage !== undefined)
    return state.usage.orchestrator.totalTokens + state.usage.workers.totalTokens;
  return state.workerRuns.reduce((sum, run) => sum + run.usage.totalTokens, 0);
}
