/**
 * The one event vocabulary of codex-orchestrator: a discriminated union on `type`, named
 * noun-verb, always `start` / `delta` / `end` (plus `denied`, `conflict`... where an end is not the
 * whole story). Every event carries `time` (ISO 8601) and, when known, `taskId`.
 *
 * Adding an event: add its interface here, add it to `OrchestratorEvent`; `OrchestratorEventMap`
 * follows automatically.
 */
import type { TokenUsage, WorkerFileChange, WorkerResult } from './types.js';

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

export interface WorkerUsageEvent extends EventBase {
  type: 'worker-usage';
  workerRunId: string;
  worktree: string;
  usage: TokenUsage;
}

/** Something odd but not fatal: a malformed JSONL line, a retry notice. */
export interface WorkerWarningEvent extends EventBase {
  type: 'worker-warning';
  workerRunId: string;
  worktree: string;
  message: string;
}

export interface WorkerEndEvent extends EventBase {
  type: 'worker-end';
  workerRunId: string;
  worktree: string;
  result: WorkerResult;
}

/** An error that did not end the run by itself (a sink failed, a source failed and will retry). */
export interface ErrorEvent extends EventBase {
  type: 'error';
  code: string;
  message: string;
}

/** Every event, discriminated on `type`. */
export type OrchestratorEvent =
  | CommandStartEvent
  | CommandEndEvent
  | CommandDeniedEvent
  | WorktreeCreateEvent
  | WorktreeRemoveEvent
  | WorkerStartEvent
  | WorkerCommandStartEvent
  | WorkerCommandEndEvent
  | WorkerFileChangeEvent
  | WorkerMessageEvent
  | WorkerUsageEvent
  | WorkerWarningEvent
  | WorkerEndEvent
  | ErrorEvent;

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
