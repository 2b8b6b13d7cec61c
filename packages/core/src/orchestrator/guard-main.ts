/**
 * The end-of-run guarantee: whatever stopped the run, main ends at a commit the ledger calls good
 * (where the run found it, or a merge whose smoke test passed), with no merge in progress. A
 * user's uncommitted edits in main are never stashed or moved: they are left alone and reported.
 */
import { createMainLedgerStore } from '../durability/main-ledger.js';
import { withWriterLock } from '../durability/repository-state.js';
import type { MainEndState, OrchestratorEventInput } from '../events.js';
import type { MergeQueue } from './merge-queue.js';
import { recoverMain } from './recover-main.js';
import type { RepositoryGit } from './repository-git.js';
import { reasonText } from './run-outcome.js';

/** What the guard found and did. */
export interface MainGuardResult {
  mainCommit: string;
  state: MainEndState;
  repairs: string[];
}

/**
 * Secures main after the run, under the writer lock (so after any merge in progress, of this run
 * or another): recovers an unfinished merge from the ledger, then moves HEAD back to the good
 * commit if anything else moved it (stray commits kept on a rescue branch). Never throws: a
 * failure is reported as state `unsafe` with an `error` event.
 */
export async function guardMain(context: {
  mainGit: RepositoryGit;
  queue: MergeQueue | undefined;
  /** The repository's state folder (the queue's, when there is one). */
  stateDir: string;
  startCommit: string;
  taskField: { taskId?: string };
  emit: (event: OrchestratorEventInput) => void;
}): Promise<MainGuardResult> {
  const { mainGit, queue, startCommit, taskField, emit } = context;
  const ledger = queue?.ledger ?? createMainLedgerStore(context.stateDir);
  try {
    if (startCommit === '') throw new Error('the start commit of main is unknown');
    const repairs = await withWriterLock(context.stateDir, 'end-of-run check of main', async () => {
      const recovery = await recoverMain({ git: mainGit, ledger, moment: 'end', emit, taskField });
      const dirty = await mainGit.status();
      if (dirty.length > 0) {
        recovery.repairs.push(
          `main has ${dirty.length} uncommitted change(s), left alone: ${dirty.slice(0, 5).join('; ')}`,
        );
      }
      return recovery.repairs;
    });
    const mainCommit = await mainGit.head();
    const moved = repairs.some((repair) => repair.startsWith('moved main'));
    const state: MainEndState = moved ? 'restored' : mainCommit === startCommit ? 'start' : 'merged';
    return { mainCommit, state, repairs };
  } catch (caught) {
    const message = reasonText(caught) ?? 'unknown error';
    emit({
      type: 'error',
      code: 'main-unsafe',
      message: `The end-of-run check of main failed: ${message}`,
      ...taskField,
    });
    const mainCommit = await mainGit.head().catch(() => '');
    return { mainCommit, state: 'unsafe', repairs: [`end-of-run check failed: ${message}`] };
  }
}
