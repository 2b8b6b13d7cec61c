import { tryAcquireLock } from '../durability/exclusive-lock.js';
import { currentProcess } from '../durability/process-identity.js';
import { DispatcherConfigurationError } from './dispatcher-errors.js';

/**
 * An exclusive lock on a journal: `<journal>.lock` (see `tryAcquireLock`). Two dispatchers on one
 * journal would run tasks twice, so the second one is refused. A lock left by a process that no
 * longer exists (killed with SIGKILL) is taken over, by exactly one of the processes trying.
 */
export async function acquireJournalLock(journalPath: string): Promise<() => Promise<void>> {
  const attempt = await tryAcquireLock(`${journalPath}.lock`, 'task journal');
  if (attempt.acquired) return attempt.release;
  const { owner } = attempt;
  if (owner.pid === currentProcess().pid) {
    throw new DispatcherConfigurationError(
      `The task journal ${journalPath} is already open in this process. Use one store per dispatcher ` +
        'and stop the first dispatcher before starting another on the same journal.',
      { code: 'journal-locked' },
    );
  }
  throw new DispatcherConfigurationError(
    `The task journal ${journalPath} is in use by process ${owner.pid || '(unknown)'}. Stop that dispatcher, or give this ` +
      'one another journal path (option "store").',
    { code: 'journal-locked' },
  );
}
