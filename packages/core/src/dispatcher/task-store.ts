import type { TaskJournalEntry, TaskJournalRecord } from './task-journal.js';
import { TaskJournalModel } from './task-journal.js';

/**
 * Where the dispatcher keeps task states so that a restart neither loses nor repeats work.
 * `createFileTaskStore(path)` is the durable one; `createMemoryTaskStore()` keeps state for the
 * life of the process only. Custom stores (a database) implement this.
 */
export interface TaskStore {
  /** Replays what the store holds. Called once, by `start()`, before the first `append`. */
  load(): Promise<TaskJournalEntry[]>;
  /**
   * Records one state change. Resolves only once the record would survive a crash: the
   * dispatcher acts on a change (runs a task, acks a source) only after this resolves.
   */
  append(record: TaskJournalRecord): Promise<void>;
  /** Waits for pending appends and releases the store (files, locks). */
  close(): Promise<void>;
}

/**
 * A store that keeps records in memory. State survives `stop()` and a new dispatcher on the same
 * store (useful in tests), not the process.
 *
 * @example
 * const store = createMemoryTaskStore();
 * const dispatcher = createTaskDispatcher({ sources, run, store });
 */
export function createMemoryTaskStore(): TaskStore & { readonly records: readonly TaskJournalRecord[] } {
  const records: TaskJournalRecord[] = [];
  return {
    records,
    async load() {
      const model = new TaskJournalModel();
      for (const record of records) model.apply(record);
      return model.entries();
    },
    async append(record) {
      records.push(record);
    },
    async close() {},
  };
}
