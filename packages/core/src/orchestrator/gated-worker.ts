/**
 * A `Worker` wrapped with the run's limits: at most N runs at once (the others wait in a queue,
 * first come first served), no new run once the budget is spent, and running ones cancelled when
 * the budget says so. The codex command handler and the codex reviewer both use it, so the cap
 * counts every codex process of the run.
 */
import type { Worker } from '../types.js';
import type { Semaphore } from './semaphore.js';

/** Options of `createGatedWorker`. */
export interface GatedWorkerOptions {
  /** Shared slots for concurrent runs. */
  slots: Semaphore;
  /** Throws (a `BudgetExceededError`) when no new run may start. Checked before and after waiting. */
  assertMayStart?: () => void;
  /** Aborts running runs (e.g. the budget's `cancel-running`), in addition to each call's signal. */
  cancelSignal?: AbortSignal;
}

/**
 * Wraps `worker`. A refusal is thrown, so run_repo_command reports it to the model as a failed
 * command with the reason.
 */
export function createGatedWorker(worker: Worker, options: GatedWorkerOptions): Worker {
  return {
    name: worker.name,
    async run(request, runOptions = {}) {
      options.assertMayStart?.();
      const release = await options.slots.acquire(runOptions.signal ? { signal: runOptions.signal } : {});
      try {
        options.assertMayStart?.();
        const signals = [runOptions.signal, options.cancelSignal].filter(
          (signal): signal is AbortSignal => signal !== undefined,
        );
        const signal = signals.length > 1 ? AbortSignal.any(signals) : signals[0];
        return await worker.run(request, { ...runOptions, ...(signal ? { signal } : {}) });
      } finally {
        release();
      }
    },
  };
}
