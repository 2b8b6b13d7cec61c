/**
 * Adapter contracts of codex-orchestrator: the only module adapters need to implement against.
 * Types only; no runtime code lives here. Core never imports an adapter; adapters import these.
 */
import type { OrchestratorEvent } from './events.js';

/** Where the orchestrator works. */
export interface OrchestratorContext {
  /** Absolute path of the folder that holds the worktrees (`<baseDir>/main`, `<baseDir>/task-x`). */
  baseDir: string;
  /** Id of the task this run belongs to, written to the audit log and events. */
  taskId?: string;
}

/** Token counts as reported by a model API or by codex (`turn.completed.usage`). */
export interface TokenUsage {
  inputTokens: number;
  cachedInputTokens: number;
  outputTokens: number;
  reasoningOutputTokens: number;
  totalTokens: number;
}

/** Sandbox modes understood by the Codex CLI (`codex exec --sandbox`). */
export type SandboxMode = 'read-only' | 'workspace-write' | 'danger-full-access';

/** What a coding worker is asked to do in one worktree. */
export interface WorkerRequest {
  /** Worktree directory name under `baseDir` (already validated). */
  worktree: string;
  /** Absolute path of the worktree. */
  cwd: string;
  /** The instructions for the worker. */
  prompt: string;
  /** Continue an earlier worker thread instead of starting a new one. */
  resumeThreadId?: string;
  sandbox?: SandboxMode;
  model?: string;
  /** Wall-clock limit; the whole process tree is killed when it passes. */
  timeoutMs?: number;
  /** Id of the task, for events and logs. */
  taskId?: string;
  /**
   * Variables for the worker and the commands it runs, set on top of its own environment (the
   * worktree's port range: `PORT`, `ORCHESTRATOR_PORT_BASE`, `ORCHESTRATOR_PORT_COUNT`).
   */
  env?: Record<string, string>;
}

/** Terminal states of one worker run. */
export type WorkerStatus = 'completed' | 'failed' | 'timed-out' | 'cancelled' | 'sandbox-failure';

/** A file the worker added, changed or deleted (absolute or worktree-relative path as reported). */
export interface WorkerFileChange {
  path: string;
  kind: 'add' | 'update' | 'delete' | (string & {});
}

/** A shell command the worker ran inside its sandbox. */
export interface WorkerCommand {
  command: string;
  exitCode: number | null;
  status: 'completed' | 'failed' | 'in-progress' | (string & {});
}

/** The outcome of one worker run. */
export interface WorkerResult {
  status: WorkerStatus;
  /** The worker's last message to its caller (empty when it produced none). */
  finalMessage: string;
  filesChanged: WorkerFileChange[];
  commands: WorkerCommand[];
  usage: TokenUsage;
  /** Thread id that `resumeThreadId` can continue. */
  threadId?: string;
  exitCode: number | null;
  durationMs: number;
  /** Errors reported by the worker (failed turns, sandbox denials, malformed output). */
  errors: string[];
  /**
   * Commands inside the run that were refused (a `git push`) or denied by the sandbox, one line
   * each, even when the run itself completed (codex exits 0 after them).
   */
  refusals?: string[];
}

/**
 * A coding agent that edits code in one worktree. The Codex CLI is the built-in implementation
 * (`createCodexWorker`); other agents plug in by implementing this.
 */
export interface Worker {
  readonly name: string;
  run(
    request: WorkerRequest,
    options?: { signal?: AbortSignal; onEvent?: (event: OrchestratorEvent) => void },
  ): Promise<WorkerResult>;
}

/** A unit of work handed to the dispatcher by a task source. */
export interface Task {
  /** Stable id: the same task delivered twice carries the same id (used to dedupe). */
  id: string;
  /** The big task, in plain words. Hostile input: never interpreted as a command. */
  text: string;
  /** Name of the source that produced it. */
  source: string;
  /** Overrides the dispatcher's base dir for this task. */
  baseDir?: string;
  /** Free-form data the source wants back in `ack` or sinks (chat id, tracker issue key...). */
  metadata?: Record<string, unknown>;
}

/**
 * How a task ended, as reported to sources and sinks, the journal and the report.
 * - `completed`: the orchestrator finished, main is safe, and every task branch of the run with
 *   commits of its own is in main (all merged; a run that needed no branch counts too);
 * - `partly-merged`: finished, main safe, some task branches merged and some not (refused, failed
 *   the smoke test, declined, never merged);
 * - `nothing-merged`: finished, main safe, task branches with work exist but none is in main;
 * - `failed`: the run stopped on an error, or main could not be verified safe at the end;
 * - `cancelled`: stopped by its caller; `budget-exceeded`: stopped on its budget.
 * Only `completed` is a success: the other statuses are failures a dispatcher can retry or flag.
 */
export type TaskOutcome =
  | 'completed'
  | 'partly-merged'
  | 'nothing-merged'
  | 'failed'
  | 'cancelled'
  | 'budget-exceeded';

/** Every `TaskOutcome`, in a stable order (for validation and tables). */
export const taskOutcomes: readonly TaskOutcome[] = [
  'completed',
  'partly-merged',
  'nothing-merged',
  'failed',
  'cancelled',
  'budget-exceeded',
];

/**
 * The process exit code for each run status, for command-line front ends (scripts rely on them):
 * 0 completed, 1 failed, 3 partly merged, 4 nothing merged, 5 budget exceeded, 6 cancelled.
 * (2 is left for usage errors and 130 for Ctrl-C, as shells expect.)
 */
export const taskOutcomeExitCodes: Readonly<Record<TaskOutcome, number>> = {
  completed: 0,
  failed: 1,
  'partly-merged': 3,
  'nothing-merged': 4,
  'budget-exceeded': 5,
  cancelled: 6,
};

/** Produces tasks. Built-ins: env var, folder inbox, in-memory queue; custom ones are first-class. */
export interface TaskSource {
  readonly name: string;
  /**
   * Yields tasks until `signal` aborts or the source is exhausted. The dispatcher calls this again
   * (with bounded backoff) when the iterator throws.
   */
  tasks(signal: AbortSignal): AsyncIterable<Task>;
  /**
   * Called when a task has ended, so the source can mark it done (move a file, close an issue).
   * Make it idempotent: a task that ended just before a crash is acked again when the source
   * delivers it again after the restart (the outcome comes from the dispatcher's journal).
   */
  ack?(task: Task, outcome: TaskOutcome): Promise<void>;
}

/** A request to merge one branch into main, shown to whoever approves merges. */
export interface MergeApprovalRequest {
  taskId?: string;
  branch: string;
  /** The branch head that was reviewed and would merge: an approval covers this commit only. */
  commit: string;
  worktree: string;
  /** `git diff --stat` of the branch against main. */
  diffStat: string;
  /** The reviewer's verdict, when review is on. */
  review?: { verdict: 'approve' | 'request-changes'; summary: string };
  signal?: AbortSignal;
}

/** Gate before each merge. Resolve `true` to merge, `false` to keep the branch unmerged. */
export type MergeApprover = (request: MergeApprovalRequest) => Promise<boolean>;

/** Receives events and final reports. Built-ins: console, JSONL file; Telegram in its adapter. */
export interface TaskSink {
  readonly name: string;
  /** Every event of every task, in order per task. Errors thrown here are isolated and logged. */
  onEvent?(task: Task, event: OrchestratorEvent): void | Promise<void>;
  /** The end of a task with its outcome and (when the run got that far) its markdown report. */
  onTaskEnd?(
    task: Task,
    result: { outcome: TaskOutcome; reportMarkdown?: string; error?: string; report?: unknown },
  ): void | Promise<void>;
  /** When present, this sink can approve merges for tasks it knows (e.g. a chat button). */
  approveMerge?(task: Task, request: MergeApprovalRequest): Promise<boolean>;
}

/** What the orchestrator model sends to `run_repo_command`. Both fields are hostile input. */
export interface RunRepoCommandInput {
  /** A plain directory name under `baseDir` (`main`, `task-users-search`). */
  worktree: string;
  /** One shell command string, checked by the policy exactly as it will run. */
  command: string;
}

/** How a run_repo_command call ended. */
export type RunRepoCommandStatus = 'ok' | 'failed' | 'denied' | 'timed-out' | 'cancelled' | 'dry-run';

/** What run_repo_command returns (to code, and serialised compactly to the model). */
export interface RunRepoCommandResult {
  status: RunRepoCommandStatus;
  exitCode: number | null;
  /** Captured stdout, cut to the configured cap (head and tail kept, the cut marked). */
  stdout: string;
  stderr: string;
  truncated: boolean;
  durationMs: number;
  /** Why it was denied or failed before running, in words the model can act on. */
  reason?: string;
  ruleId?: string;
  /** Name of the command handler that executed it in-process (e.g. `codex`, `merge-queue`). */
  handler?: string;
  /** Structured details from a handler (e.g. the worker result), for events and the report. */
  details?: unknown;
}

/** A parsed command as a handler sees it: one simple command, already allowed by the policy. */
export interface CommandInvocation {
  worktree: string;
  /** Absolute path of the worktree. */
  cwd: string;
  /** The argv of the single simple command (quotes removed), as the policy parsed it. */
  argv: string[];
  /** The exact command text that was checked. */
  command: string;
  context: OrchestratorContext;
}

/**
 * A command that run_repo_command executes in-process instead of spawning as is: `codex exec`
 * goes to the worker, `git worktree add` to the worktree manager, `git merge` in main to the
 * merge queue. Handlers run only after the policy allowed the command.
 */
export interface CommandHandler {
  readonly name: string;
  /** True when this handler takes the command. Only called for scripts with one simple command. */
  matches(invocation: CommandInvocation): boolean;
  run(
    invocation: CommandInvocation,
    options: { signal: AbortSignal; emit: (event: import('./events.js').OrchestratorEventInput) => void },
  ): Promise<RunRepoCommandResult>;
}

/** Where a task is in its life, as the dispatcher tracks it. */
export type TaskState = 'queued' | 'running' | TaskOutcome | 'interrupted';

/** One task as the dispatcher sees it, for `/status`-style views. */
export interface TaskStatusEntry {
  task: Task;
  state: TaskState;
  startedAt?: string;
  endedAt?: string;
  /** Attempts started so far (across restarts), when the task has started at least once. */
  attempt?: number;
  /** Why the task failed, when it did. */
  error?: string;
}

/** The control surface adapters (CLI, chat bots) use to show and cancel tasks. */
export interface TaskControl {
  /** Running and queued tasks first, then recently ended ones. */
  list(): TaskStatusEntry[];
  /** Cancels one task; `false` when no such task is queued or running. */
  cancel(taskId: string): boolean;
}

/**
 * The one logger interface of core and every adapter: what does not belong to a run's event
 * stream (a source that failed and will be retried, a sink that threw, a chat message ignored).
 * `warn` and `error` are required; `debug` and `info` are optional, so a logger can stay quiet.
 * `console` fits it.
 */
export interface Logger {
  debug?(message: string, details?: Record<string, unknown>): void;
  info?(message: string, details?: Record<string, unknown>): void;
  warn(message: string, details?: Record<string, unknown>): void;
  error(message: string, details?: Record<string, unknown>): void;
}
