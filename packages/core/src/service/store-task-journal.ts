import {
  TaskJournalModel,
  type TaskJournalRecord,
  validateJournalRecord,
} from '../dispatcher/task-journal.js';
import type { TaskStore } from '../dispatcher/task-store.js';
import type { OrchestratorStore } from '../store/store-types.js';

/**
 * The dispatcher's journal kept in the service store, so one store holds what a restart needs:
 * finished tasks are not run again and interrupted ones resume. Records that do not validate
 * (written by a newer version, damaged) are skipped and reported through `onInvalid`.
 */
export function createStoreTaskJournal(
  store: OrchestratorStore,
  options: { onInvalid?: (reason: string) => void } = {},
): TaskStore {
  return {
    async load() {
      const model = new TaskJournalModel();
      for (const record of await store.readJournal()) {
        const problem = validateJournalRecord(record);
        if (problem !== undefined) {
          options.onInvalid?.(problem);
          continue;
        }
        model.apply(record as TaskJournalRecord);
      }
      return model.entries();
    },
    append: (record) => store.appendJournal([record]),
    // The store belongs to the service, which closes it after the dispatcher stopped.
    close: async () => undefined,
  };
}
