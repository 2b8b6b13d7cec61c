/**
 * The end-of-run guarantee: whatever stopped the run, main ends either at its start commit or at
 * the last commit the merge queue merged and tested, clean and with no merge in progress.
 */
import type { MainEndState, OrchestratorEventInput } from '../events.js';
import type { MergeQueue } from './merge-queue.js';
import type { RepositoryGit } from './repository-git.js';
import { reasonText } from './run-outcome.js';
import { secureMain } from './secure-main.js';

/** What the guard found and did. */
export interface MainGuardResult {
  mainCommit: string;
  state: MainEndState;
  repairs: string[];
}

/** Longest wait for a merge in progress (e.g. an approval hook) before main is secured anyway. */
const mergeIdleTimeoutMs = 30_000;

/**
 * Secures main after the run: waits (bounded) for the merge queue to be idle, then keeps HEAD if
 * it is the start commit or the last good commit, else moves it back to the last good commit
 * (stray commits kept on a rescue branch, stray changes stashed). Never throws: a failure is
 * reported as state `unsafe` with an `error` event.
 */
export async function guardMain(context: {
  mainGit: RepositoryGit;
  queue: MergeQueue | undefined;
  startCommit: string;
  taskField: { taskId?: string };
  emit: (event: OrchestratorEventInput) => void;
}): Promise<MainGuardResult> {
  const { mainGit, queue, startCommit, taskField, emit } = context;
  const notes: string[] = [];
  const secure = async () => {
    const head = await mainGit.head();
    const lastGood = queue?.lastGoodCommit ?? startCommit;
    const target = head === startCommit || head === lastGood ? head : lastGood;
    return secureMain(mainGit, target, { emit, taskField, reason: 'end-of-run check of main' });
  };
  try {
    if (startCommit === '') throw new Error('the start commit of main is unknown');
    let repairs: string[];
    if (queue) {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<'timeout'>((resolve) => {
        timer = setTimeout(() => resolve('timeout'), mergeIdleTimeoutMs);
      });
      const first = await Promise.race([queue.whenIdle(secure), timeout]);
      clearTimeout(timer);
      if (first === 'timeout') {
        notes.push(
          `a merge was still in progress after ${mergeIdleTimeoutMs / 1000} s; main was checked without waiting for it`,
        );
        repairs = await secure();
      } else repairs = first;
    } else repairs = await secure();
    const mainCommit = await mainGit.head();
    const moved = repairs.some((repair) => repair.startsWith('moved main'));
    const state: MainEndState = moved ? 'restored' : mainCommit === startCommit ? 'start' : 'merged';
    return { mainCommit, state, repairs: [...notes, ...repairs] };
  } catch (caught) {
    const message = reasonText(caught) ?? 'unknown error';
    emit({
      type: 'error',
      code: 'main-unsafe',
      message: `The end-of-run check of main failed: ${message}`,
      ...taskField,
    });
    const mainCommit = await mainGit.head().catch(() => '');
    return { mainCommit, state: 'unsafe', repairs: [...notes, `end-of-run check failed: ${message}`] };
  }
}
