/** JSON files that survive a crash at any instant: written to a temp file, fsync'd, renamed over. */
import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename, unlink } from 'node:fs/promises';
import { dirname } from 'node:path';

/**
 * Writes `value` as JSON to `path` so that a reader (or a restart after SIGKILL or power loss)
 * sees either the old content or the new one, never a torn file: temp file, fsync, rename, then
 * fsync of the folder so the rename itself is on disk.
 */
export async function writeDurableJson(path: string, value: unknown): Promise<void> {
  const folder = dirname(path);
  await mkdir(folder, { recursive: true });
  const temp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  const handle = await open(temp, 'w', 0o600);
  try {
    await handle.writeFile(`${JSON.stringify(value, null, 2)}\n`);
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await rename(temp, path);
  } catch (error) {
    await unlink(temp).catch(() => undefined);
    throw error;
  }
  const directory = await open(folder, 'r');
  try {
    await directory.sync();
  } finally {
    await directory.close();
  }
}

/** Reads a JSON file; `undefined` when it does not exist. A corrupt file throws (with the path). */
export async function readDurableJson<T>(path: string): Promise<T | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  try {
    return JSON.parse(text) as T;
  } catch (error) {
    throw new Error(
      `${path} is not valid JSON (${(error as Error).message}); move it aside to start afresh`,
      {
        cause: error,
      },
    );
  }
}
