import { type FileHandle, mkdir, open, readFile, rename, truncate } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { errorMessage } from '../shared/error-message.js';
import { TaskJournalError } from './dispatcher-errors.js';
import type { DispatcherLogger } from './dispatcher-logger.js';
import { createStderrDispatcherLogger } from './dispatcher-logger.js';
import { acquireJournalLock } from './journal-lock.js';
import { TaskJournalModel, type TaskJournalRecord, validateJournalRecord } from './task-journal.js';
import type { TaskStore } from './task-store.js';

/** Options of `createFileTaskStore`. */
export interface FileTaskStoreOptions {
  /**
   * Rewrite the journal to its live content once it holds more than this many records and at
   * least twice what the rewrite would keep (default 10 000). Ended tasks shrink to one line each.
   */
  compactAfterRecords?: number;
  /** Where a torn last line or a compaction is reported (default: stderr). */
  logger?: DispatcherLogger;
}

/**
 * A durable task store: an append-only JSONL journal, one record per state change (task received,
 * started with its attempt number, interrupted, ended with its outcome). No native dependency.
 *
 * - Every append is written and `fdatasync`ed before it resolves; appends that arrive while a
 *   write is in flight are grouped into the next write (group commit), so durability costs one
 *   sync per batch, not per record.
 * - A torn last line (the process died mid-write) is cut off with a warning: it was never
 *   synced, so nothing was acted on. A corrupt line elsewhere stops `load()` with a
 *   `TaskJournalError` naming the line, since guessing could run a task twice.
 * - `<path>.lock` holds the owner's pid, so two live dispatchers never share a journal.
 * - Compaction (see `compactAfterRecords`) writes `<path>.compact`, syncs it and renames it over
 *   the journal, so a crash during compaction leaves either the old or the new journal.
 *
 * @example
 * const store = createFileTaskStore('/srv/orchestrator/dispatch-journal.jsonl');
 */
export function createFileTaskStore(path: string, options: FileTaskStoreOptions = {}): TaskStore {
  const journalPath = resolve(path);
  const logger = options.logger ?? createStderrDispatcherLogger();
  const compactAfterRecords = options.compactAfterRecords ?? 10_000;
  const model = new TaskJournalModel();
  let handle: FileHandle | undefined;
  let releaseLock: (() => Promise<void>) | undefined;
  let recordsInFile = 0;
  let pending: {
    record: TaskJournalRecord;
    line: string;
    resolve: () => void;
    reject: (error: unknown) => void;
  }[] = [];
  let writing: Promise<void> | undefined;
  let closed = false;

  async function flush(): Promise<void> {
    while (pending.length > 0) {
      const batch = pending;
      pending = [];
      try {
        if (handle === undefined) throw new Error('the store is not open (call load() first)');
        await handle.writeFile(batch.map((item) => item.line).join(''));
        await handle.datasync();
        recordsInFile += batch.length;
        for (const item of batch) model.apply(item.record);
        for (const item of batch) item.resolve();
      } catch (error) {
        const failure = new TaskJournalError(
          `Could not write the task journal ${journalPath}: ${errorMessage(error)}. Check free disk space and ` +
            'permissions of its folder.',
          { code: 'journal-write-failed', cause: error, path: journalPath },
        );
        for (const item of batch) item.reject(failure);
      }
      if (shouldCompact()) await compact().catch((error: unknown) => logger.warn(errorMessage(error)));
    }
  }

  function scheduleFlush(): void {
    if (writing !== undefined) return;
    // Wait for the end of the current turn of the event loop, so records appended together (a task's
    // end and the next one's start, a burst of deliveries) share one write and one sync.
    writing = new Promise<void>((resolveTurn) => setImmediate(resolveTurn)).then(flush).finally(() => {
      writing = undefined;
      if (pending.length > 0) scheduleFlush();
    });
  }

  function shouldCompact(): boolean {
    return recordsInFile > compactAfterRecords && recordsInFile >= 2 * model.size;
  }

  async function compact(): Promise<void> {
    const records = model.compactRecords();
    const temporaryPath = `${journalPath}.compact`;
    const temporary = await open(temporaryPath, 'w');
    try {
      await temporary.writeFile(records.map((record) => `${JSON.stringify(record)}\n`).join(''));
      await temporary.sync();
    } finally {
      await temporary.close();
    }
    await handle?.close();
    handle = undefined;
    try {
      await rename(temporaryPath, journalPath);
      await syncDirectory(dirname(journalPath));
    } finally {
      handle = await open(journalPath, 'a');
    }
    logger.info?.(
      `compacted the task journal ${journalPath} from ${recordsInFile} to ${records.length} records`,
    );
    recordsInFile = records.length;
  }

  return {
    async load() {
      await mkdir(dirname(journalPath), { recursive: true });
      releaseLock = await acquireJournalLock(journalPath);
      try {
        const existed = await replay();
        handle = await open(journalPath, 'a');
        if (!existed) await syncDirectory(dirname(journalPath));
        if (shouldCompact()) await compact();
        return model.entries();
      } catch (error) {
        await handle?.close();
        await releaseLock();
        throw error;
      }
    },

    append(record: TaskJournalRecord) {
      if (closed) {
        return Promise.reject(
          new TaskJournalError(`The task journal ${journalPath} is closed; no more records can be written.`, {
            code: 'journal-closed',
            path: journalPath,
          }),
        );
      }
      let line: string;
      try {
        // Serialised here, so a record that cannot be written fails alone, not its whole batch.
        line = `${JSON.stringify(record)}\n`;
      } catch (error) {
        return Promise.reject(
          new TaskJournalError(`A ${record.type} record cannot be written as JSON: ${errorMessage(error)}.`, {
            code: 'journal-record-invalid',
            cause: error,
            path: journalPath,
          }),
        );
      }
      return new Promise<void>((resolvePromise, reject) => {
        pending.push({ record, line, resolve: resolvePromise, reject });
        scheduleFlush();
      });
    },

    async close() {
      if (closed) return;
      closed = true;
      while (writing !== undefined) await writing;
      await handle?.close();
      handle = undefined;
      await releaseLock?.();
    },
  };

  /** Folds the journal into `model`; returns false when there was no journal yet. */
  async function replay(): Promise<boolean> {
    let content: Buffer;
    try {
      content = await readFile(journalPath);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
      throw new TaskJournalError(`Could not read the task journal ${journalPath}: ${errorMessage(error)}.`, {
        code: 'journal-read-failed',
        cause: error,
        path: journalPath,
      });
    }
    const end = content.lastIndexOf(0x0a) + 1;
    if (end < content.length) {
      logger.warn(
        `The task journal ${journalPath} ends with a torn record (${content.length - end} bytes, the process ` +
          'probably died while writing it); it was never acted on and is dropped.',
      );
      await truncate(journalPath, end);
    }
    const lines = content.subarray(0, end).toString('utf8').split('\n');
    lines.pop();
    lines.forEach((line, index) => {
      if (line.trim() === '') return;
      let record: unknown;
      try {
        record = JSON.parse(line);
      } catch {
        record = undefined;
      }
      const problem = validateJournalRecord(record);
      if (problem !== undefined) {
        throw new TaskJournalError(
          `The task journal ${journalPath} has an unreadable record on line ${index + 1} (${problem}). Fix or ` +
            'delete that line, or move the file aside to start an empty journal (its tasks may then run again).',
          { code: 'journal-corrupt', path: journalPath, line: index + 1 },
        );
      }
      model.apply(record as TaskJournalRecord);
      recordsInFile += 1;
    });
    return true;
  }
}

async function syncDirectory(path: string): Promise<void> {
  const directory = await open(path, 'r');
  try {
    await directory.sync();
  } catch {
    // Some file systems refuse fsync on a directory; the rename is still atomic there.
  } finally {
    await directory.close();
  }
}
