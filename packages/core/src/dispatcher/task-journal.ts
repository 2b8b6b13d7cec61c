import { type Task, type TaskOutcome, type TaskState, taskOutcomes } from '../types.js';

/** Version written in every journal record; a reader refuses records of a newer version. */
export const taskJournalVersion = 1;

/** What happens to an interrupted task: run again, run again resuming, fail, or decide at the next start. */
export type TaskInterruptAction = 'retry' | 'resume' | 'fail' | 'defer';

/** One durable state change of one task, as a line of the journal. */
export type TaskJournalRecord =
  | { v: 1; type: 'task-receive'; time: string; task: Task }
  | { v: 1; type: 'task-start'; time: string; taskId: string; attempt: number; resume: boolean }
  | {
      v: 1;
      type: 'task-interrupt';
      time: string;
      taskId: string;
      attempt: number;
      action: TaskInterruptAction;
    }
  | {
      v: 1;
      type: 'task-end';
      time: string;
      taskId: string;
      outcome: TaskOutcome;
      source?: string;
      error?: string;
    };

/** What the journal knows about one task after replay. */
export interface TaskJournalEntry {
  taskId: string;
  /** The task as received; dropped once the task has ended (only its id and outcome matter then). */
  task?: Task;
  /** Name of the source that delivered it. */
  source?: string;
  state: TaskState;
  /** Attempts started so far. */
  attempts: number;
  outcome?: TaskOutcome;
  error?: string;
  startedAt?: string;
  endedAt?: string;
}

const endedStates = new Set<TaskState>(taskOutcomes);

/** True for the states a task never leaves. */
export function isEndedState(state: TaskState): boolean {
  return endedStates.has(state);
}

/**
 * The state of every task, folded from journal records. Used by the stores to replay a journal and
 * to write a compacted one.
 */
export class TaskJournalModel {
  readonly #entries = new Map<string, TaskJournalEntry>();

  /** Applies one record; records about unknown tasks create them, so a compacted journal replays. */
  apply(record: TaskJournalRecord): void {
    if (record.type === 'task-receive') {
      if (this.#entries.has(record.task.id)) return;
      this.#entries.set(record.task.id, {
        taskId: record.task.id,
        task: record.task,
        source: record.task.source,
        state: 'queued',
        attempts: 0,
      });
      return;
    }
    const entry = this.#entries.get(record.taskId) ?? this.#create(record.taskId);
    if (record.type === 'task-start') {
      entry.state = 'running';
      entry.attempts = Math.max(entry.attempts, record.attempt);
      entry.startedAt = record.time;
    } else if (record.type === 'task-interrupt') {
      if (!isEndedState(entry.state)) entry.state = 'interrupted';
    } else {
      entry.state = record.outcome;
      entry.outcome = record.outcome;
      entry.endedAt = record.time;
      if (record.source !== undefined) entry.source = record.source;
      if (record.error !== undefined) entry.error = record.error;
      delete entry.task;
    }
  }

  /** Every task, in the order the journal first mentioned it. */
  entries(): TaskJournalEntry[] {
    return [...this.#entries.values()].map((entry) => ({ ...entry }));
  }

  /** The fewest records that replay to the same state (the content of a compacted journal). */
  compactRecords(): TaskJournalRecord[] {
    const records: TaskJournalRecord[] = [];
    for (const entry of this.#entries.values()) {
      const time = entry.endedAt ?? entry.startedAt ?? new Date(0).toISOString();
      if (entry.outcome !== undefined) {
        records.push({
          v: 1,
          type: 'task-end',
          time,
          taskId: entry.taskId,
          outcome: entry.outcome,
          ...(entry.source === undefined ? {} : { source: entry.source }),
          ...(entry.error === undefined ? {} : { error: entry.error }),
        });
        continue;
      }
      if (entry.task !== undefined) records.push({ v: 1, type: 'task-receive', time, task: entry.task });
      if (entry.attempts > 0) {
        records.push({
          v: 1,
          type: 'task-start',
          time,
          taskId: entry.taskId,
          attempt: entry.attempts,
          resume: false,
        });
      }
      if (entry.state === 'interrupted') {
        records.push({
          v: 1,
          type: 'task-interrupt',
          time,
          taskId: entry.taskId,
          attempt: entry.attempts,
          action: 'defer',
        });
      }
    }
    return records;
  }

  get size(): number {
    return this.#entries.size;
  }

  #create(taskId: string): TaskJournalEntry {
    const entry: TaskJournalEntry = { taskId, state: 'queued', attempts: 0 };
    this.#entries.set(taskId, entry);
    return entry;
  }
}

/**
 * Checks that a parsed JSON value is a journal record this version understands. Returns a reason
 * when it is not.
 */
export function validateJournalRecord(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return 'not a JSON object';
  const record = value as Record<string, unknown>;
  if (typeof record.v !== 'number') return 'no version field "v"';
  if (record.v > taskJournalVersion) {
    return `written by a newer version (record version ${record.v}, this one reads ${taskJournalVersion})`;
  }
  if (typeof record.time !== 'string') return 'no "time"';
  switch (record.type) {
    case 'task-receive': {
      const task = record.task as Record<string, unknown> | undefined;
      if (typeof task !== 'object' || task === null) return 'no "task"';
      if (typeof task.id !== 'string' || typeof task.text !== 'string' || typeof task.source !== 'string') {
        return 'a task needs string "id", "text" and "source"';
      }
      return undefined;
    }
    case 'task-start':
    case 'task-interrupt':
      return typeof record.taskId === 'string' && typeof record.attempt === 'number'
        ? undefined
        : 'needs "taskId" and "attempt"';
    case 'task-end':
      return typeof record.taskId === 'string' && typeof record.outcome === 'string'
        ? undefined
        : 'needs "taskId" and "outcome"';
    default:
      return `unknown record type ${JSON.stringify(record.type)}`;
  }
}

/** Builders of journal records, stamped with the current time. */
export const journalRecord = {
  receive: (task: Task): TaskJournalRecord => ({ v: 1, type: 'task-receive', time: now(), task }),
  start: (taskId: string, attempt: number, resume: boolean): TaskJournalRecord => ({
    v: 1,
    type: 'task-start',
    time: now(),
    taskId,
    attempt,
    resume,
  }),
  interrupt: (taskId: string, attempt: number, action: TaskInterruptAction): TaskJournalRecord => ({
    v: 1,
    type: 'task-interrupt',
    time: now(),
    taskId,
    attempt,
    action,
  }),
  end: (taskId: string, outcome: TaskOutcome, source: string, error?: string): TaskJournalRecord => ({
    v: 1,
    type: 'task-end',
    time: now(),
    taskId,
    outcome,
    source,
    ...(error === undefined ? {} : { error }),
  }),
};

function now(): string {
  return new Date().toISOString();
}
