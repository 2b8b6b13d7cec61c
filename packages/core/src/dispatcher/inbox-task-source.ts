import { createHash } from 'node:crypto';
import { statSync } from 'node:fs';
import { access, lstat, mkdir, readdir, readFile, rename, writeFile } from 'node:fs/promises';
import { basename, extname, join, resolve } from 'node:path';
import { sleepUnlessAborted } from '../shared/retry-with-backoff.js';
import type { Task, TaskOutcome, TaskSource } from '../types.js';
import { DispatcherConfigurationError } from './dispatcher-errors.js';

/** Options of `createInboxTaskSource`. */
export interface InboxTaskSourceOptions {
  /** The inbox folder. It must exist; `done/` and `failed/` are created inside it on demand. */
  dir: string;
  /** Time between two scans of the folder (default 1000 ms). */
  pollIntervalMs?: number;
  /** Larger files are not run: they are moved to `failed/` with a note (default 256 KiB). */
  maxFileBytes?: number;
  /** End the source on the first scan that finds no file waiting (default: poll forever). */
  stopWhenEmpty?: boolean;
  /** Source name (default `inbox`). */
  name?: string;
}

const taskFile = /\.(md|txt)$/i;

/**
 * A folder inbox: every `*.md` or `*.txt` file in `dir` is one task, its content the task text.
 *
 * - Partial files are never read: names starting with `.` or not ending in `.md`/`.txt` (write
 *   `task.md.tmp`, then rename it to `task.md`) are ignored, and a file is taken only once its
 *   size and modification time are unchanged between two scans.
 * - Only regular files directly in `dir` count (no symlinks, no subfolders). A file larger than
 *   `maxFileBytes`, or empty, is moved to `failed/` next to a `<name>.error.txt` note.
 * - `ack` moves the file to `done/` (completed) or `failed/` (failed, cancelled, budget exceeded);
 *   an existing file of that name is kept and the new one gets a time suffix. Acking a file that
 *   is gone is a no-op, so acks are idempotent.
 * - The task id is `<name>-<file name>-<hash of content and mtime>`: a file delivered again after a
 *   restart keeps its id and is not run twice. To run a text again, add a new file or `touch` it.
 *
 * Throws a `DispatcherConfigurationError` naming `dir` when it does not exist.
 */
export function createInboxTaskSource(options: InboxTaskSourceOptions): TaskSource {
  const dir = resolve(options.dir);
  const name = options.name ?? 'inbox';
  const pollIntervalMs = options.pollIntervalMs ?? 1000;
  const maxFileBytes = options.maxFileBytes ?? 256 * 1024;
  requireFolder(dir);
  /** Files handed out and not acked yet: not read again on every scan. */
  const delivered = new Set<string>();

  async function* tasks(signal: AbortSignal): AsyncGenerator<Task> {
    const seenStats = new Map<string, string>();
    while (!signal.aborted) {
      requireFolder(dir);
      const names = (await readdir(dir, { withFileTypes: true }))
        .filter((entry) => entry.isFile() && taskFile.test(entry.name) && !entry.name.startsWith('.'))
        .map((entry) => entry.name)
        .filter((fileName) => !delivered.has(fileName))
        .sort();
      let waiting = 0;
      for (const fileName of names) {
        const path = join(dir, fileName);
        const stats = await lstat(path).catch(() => undefined);
        if (stats === undefined || !stats.isFile()) continue;
        if (stats.size > maxFileBytes) {
          await reject(fileName, `The file is ${stats.size} bytes; the inbox takes at most ${maxFileBytes}.`);
          continue;
        }
        const fingerprint = `${stats.size}:${stats.mtimeMs}`;
        if (seenStats.get(fileName) !== fingerprint) {
          seenStats.set(fileName, fingerprint);
          waiting += 1;
          continue;
        }
        seenStats.delete(fileName);
        const text = (await readFile(path, 'utf8').catch(() => '')).replace(/^\uFEFF/, '').trim();
        if (text === '') {
          await reject(fileName, 'The file is empty: there is no task to run.');
          continue;
        }
        const hash = createHash('sha256').update(`${stats.mtimeMs}\n${text}`).digest('hex').slice(0, 12);
        delivered.add(fileName);
        yield {
          id: `${name}-${safeIdPart(fileName)}-${hash}`,
          text,
          source: name,
          metadata: { file: fileName },
        };
      }
      if (options.stopWhenEmpty === true && waiting === 0) return;
      await sleepUnlessAborted(pollIntervalMs, signal);
    }
  }

  async function reject(fileName: string, reason: string): Promise<void> {
    const target = await moveTo(fileName, 'failed');
    if (target !== undefined) await writeFile(`${target}.error.txt`, `${reason}\n`).catch(() => undefined);
  }

  /** Moves `dir/fileName` into `dir/<folder>/`; returns the new path, or undefined when it is gone. */
  async function moveTo(fileName: string, folder: 'done' | 'failed'): Promise<string | undefined> {
    const targetDir = join(dir, folder);
    await mkdir(targetDir, { recursive: true });
    let target = join(targetDir, fileName);
    if (await exists(target)) {
      const extension = extname(fileName);
      target = join(targetDir, `${basename(fileName, extension)}.${Date.now()}${extension}`);
    }
    try {
      await rename(join(dir, fileName), target);
      return target;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  }

  return {
    name,
    tasks,
    async ack(task: Task, outcome: TaskOutcome) {
      const fileName = task.metadata?.file;
      // The file name comes back from the journal: accept only a plain name inside the inbox.
      if (typeof fileName !== 'string' || basename(fileName) !== fileName || !taskFile.test(fileName)) return;
      await moveTo(fileName, outcome === 'completed' ? 'done' : 'failed');
      delivered.delete(fileName);
    },
  };
}

function requireFolder(dir: string): void {
  let isFolder = false;
  try {
    isFolder = statSync(dir).isDirectory();
  } catch {
    isFolder = false;
  }
  if (!isFolder) {
    throw new DispatcherConfigurationError(
      `The inbox folder ${dir} does not exist or is not a folder. Create it (mkdir -p ${dir}) or point the ` +
        'inbox to another folder.',
      { code: 'inbox-dir-missing' },
    );
  }
}

function safeIdPart(fileName: string): string {
  return fileName.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 100);
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}
