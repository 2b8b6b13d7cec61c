import { open, readFile, unlink } from 'node:fs/promises';
import { DispatcherConfigurationError } from './dispatcher-errors.js';

/**
 * An exclusive lock on a journal: a `<journal>.lock` file holding the owner's pid. Two dispatchers
 * on one journal would run tasks twice, so the second one is refused. A lock left by a process
 * that no longer exists (killed with SIGKILL) is taken over.
 */
export async function acquireJournalLock(journalPath: string): Promise<() => Promise<void>> {
  const lockPath = `${journalPath}.lock`;
  for (let round = 0; round < 3; round += 1) {
    try {
      const handle = await open(lockPath, 'wx');
      await handle.writeFile(`${process.pid}\n`);
      await handle.close();
      return async () => {
        await unlink(lockPath).catch(() => undefined);
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const owner = Number.parseInt(await readFile(lockPath, 'utf8').catch(() => ''), 10);
    if (Number.isInteger(owner) && owner > 0 && owner !== process.pid && isAlive(owner)) {
      throw new DispatcherConfigurationError(
        `The task journal ${journalPath} is in use by process ${owner}. Stop that dispatcher, or give this ` +
          'one another journal path (option "store").',
        { code: 'journal-locked' },
      );
    }
    if (owner === process.pid) {
      throw new DispatcherConfigurationError(
        `The task journal ${journalPath} is already open in this process. Use one store per dispatcher ` +
          'and stop the first dispatcher before starting another on the same journal.',
        { code: 'journal-locked' },
      );
    }
    await unlink(lockPath).catch(() => undefined);
  }
  throw new DispatcherConfigurationError(
    `Could not lock the task journal ${journalPath}: ${lockPath} keeps reappearing. Is another dispatcher starting?`,
    { code: 'journal-locked' },
  );
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
