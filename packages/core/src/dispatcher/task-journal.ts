import { z } from 'zod';
import { type Task, type TaskOutcome, type TaskState, taskOutcomes } from '../types.js';
import { taskSchema } from './validate-task.js';

/**
 * Version written in every journal record; a reader refuses records of a newer version.
 * Version 2 gave the records names of their own (`task-received`, `attempt-started`,
 * `attempt-interrupted`, `task-ended`); version 1 reused the event names (`task-receive`,
 * `task-start`, `task-interrupt`, `task-end`) with other payloads. Version 1 records are still
 * read (see `parseJournalRecord`), and a compaction rewrites them as version 2.
 */
export const taskJournalVersion = 2;

/** What happens to an interrupted task: run again, run again resuming, fail, or decide at the next start. */
export type TaskInterruptAction = 'retry' | 'resume' | 'fail' | 'defer';

/** One durable state change of one task, as a line of the journal. */
export type TaskJournalRecord =
  | { v: 2; type: 'task-received'; time: string; task: Task }
  | { v: 2; type: 'attempt-started'; time: string; taskId: string; attempt: number; resume: boolean }
  | {
      v: 2;
      type: 'attempt-interrupted';
      time: string;
      taskId: string;
      attempt: number;
      action: TaskInterruptAction;
    }
  | {
      v: 2;
      type: 'task-ended';
      time: string;
      taskId: string;
      outcome: TaskOutcome;
      source?: string | undefined;
      error?: string | undefined;
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
    if (record.type === 'task-received') {
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
    if (record.type === 'attempt-started') {
      entry.state = 'running';
      entry.attempts = Math.max(entry.attempts, record.attempt);
      entry.startedAt = record.time;
    } else if (record.type === 'attempt-interrupted') {
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
          v: 2,
          type: 'task-ended',
          time,
          taskId: entry.taskId,
          outcome: entry.outcome,
          ...(entry.source === undefined ? {} : { source: entry.source }),
          ...(entry.error === undefined ? {} : { error: entry.error }),
        });
        continue;
      }
      if (entry.task !== undefined) records.push({ v: 2, type: 'task-received', time, task: entry.task });
      if (entry.attempts > 0) {
        records.push({
          v: 2,
          type: 'attempt-started',
          time,
          taskId: entry.taskId,
          attempt: entry.attempts,
          resume: false,
        });
      }
      if (entry.state === 'interrupted') {
        records.push({
          v: 2,
          type: 'attempt-interrupted',
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

const outcomeSchema = z.enum(taskOutcomes as [TaskOutcome, ...TaskOutcome[]], {
  error: (issue) => `unknown outcome ${JSON.stringify(issue.input)}`,
});
const interruptActionSchema = z.enum(['retry', 'resume', 'fail', 'defer']);
const attemptFields = {
  time: z.string({ error: 'no "time"' }),
  taskId: z.string({ error: 'needs "taskId"' }),
  attempt: z.number({ error: 'needs "attempt"' }),
};
const endFields = {
  time: z.string({ error: 'no "time"' }),
  taskId: z.string({ error: 'needs "taskId"' }),
  outcome: outcomeSchema,
  source: z.string().optional(),
  error: z.string().optional(),
};
const taskField = taskSchema.transform((task) => task as Task);

/** Version 2 records. */
const recordSchema = z.discriminatedUnion(
  'type',
  [
    z.object({
      v: z.literal(2),
      type: z.literal('task-received'),
      time: z.string({ error: 'no "time"' }),
      task: taskField,
    }),
    z.object({ v: z.literal(2), type: z.literal('attempt-started'), ...attemptFields, resume: z.boolean() }),
    z.object({
      v: z.literal(2),
      type: z.literal('attempt-interrupted'),
      ...attemptFields,
      action: interruptActionSchema,
    }),
    z.object({ v: z.literal(2), type: z.literal('task-ended'), ...endFields }),
  ],
  { error: (issue) => `unknown record type ${JSON.stringify((issue.input as { type?: unknown })?.type)}` },
);

/**
 * Version 1 records, read as version 2. Version 1 writers always wrote every field, but `resume`
 * and `action` were never checked on read, so a missing one is tolerated here too.
 */
const legacyRecordSchema = z.discriminatedUnion(
  'type',
  [
    z
      .object({
        v: z.literal(1),
        type: z.literal('task-receive'),
        time: z.string({ error: 'no "time"' }),
        task: taskField,
      })
      .transform(({ time, task }): TaskJournalRecord => ({ v: 2, type: 'task-received', time, task })),
    z
      .object({
        v: z.literal(1),
        type: z.literal('task-start'),
        ...attemptFields,
        resume: z.boolean().catch(false),
      })
      .transform(
        ({ time, taskId, attempt, resume }): TaskJournalRecord => ({
          v: 2,
          type: 'attempt-started',
          time,
          taskId,
          attempt,
          resume,
        }),
      ),
    z
      .object({
        v: z.literal(1),
        type: z.literal('task-interrupt'),
        ...attemptFields,
        action: interruptActionSchema.catch('defer'),
      })
      .transform(
        ({ time, taskId, attempt, action }): TaskJournalRecord => ({
          v: 2,
          type: 'attempt-interrupted',
          time,
          taskId,
          attempt,
          action,
        }),
      ),
    z
      .object({ v: z.literal(1), type: z.literal('task-end'), ...endFields })
      .transform(
        ({ v: _version, type: _type, ...rest }): TaskJournalRecord => ({ v: 2, type: 'task-ended', ...rest }),
      ),
  ],
  { error: (issue) => `unknown record type ${JSON.stringify((issue.input as { type?: unknown })?.type)}` },
);

/**
 * Reads one parsed JSON line of a journal: the record (a version 1 record comes back as its
 * version 2 form), or in words why it is not one this version understands.
 */
export function parseJournalRecord(
  value: unknown,
): { record: TaskJournalRecord; problem?: undefined } | { record?: undefined; problem: string } {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return { problem: 'not a JSON object' };
  const version = (value as { v?: unknown }).v;
  if (typeof version !== 'number') return { problem: 'no version field "v"' };
  if (version > taskJournalVersion) {
    return {
      problem: `written by a newer version (record version ${version}, this one reads ${taskJournalVersion})`,
    };
  }
  const result = (version === 1 ? legacyRecordSchema : recordSchema).safeParse(value);
  if (result.success) return { record: result.data as TaskJournalRecord };
  const issue = result.error.issues[0];
  const where = issue === undefined || issue.path.length === 0 ? '' : ` at "${issue.path.join('.')}"`;
  return { problem: `${issue?.message ?? 'not a journal record'}${where}` };
}

/** Builders of journal records, stamped with the current time. */
export const journalRecord = {
  receive: (task: Task): TaskJournalRecord => ({ v: 2, type: 'task-received', time: now(), task }),
  start: (taskId: string, attempt: number, resume: boolean): TaskJournalRecord => ({
    v: 2,
    type: 'attempt-started',
    time: now(),
    taskId,
    attempt,
    resume,
  }),
  interrupt: (taskId: string, attempt: number, action: TaskInterruptAction): TaskJournalRecord => ({
    v: 2,
    type: 'attempt-interrupted',
    time: now(),
    taskId,
    attempt,
    action,
  }),
  end: (taskId: string, outcome: TaskOutcome, source: string, error?: string): TaskJournalRecord => ({
    v: 2,
    type: 'task-ended',
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
