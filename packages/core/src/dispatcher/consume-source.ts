import { errorMessage } from '../shared/error-message.js';
import { backoffDelay, sleepUnlessAborted } from '../shared/retry-with-backoff.js';
import type { Task, TaskSource } from '../types.js';
import { TaskSourceError } from './dispatcher-errors.js';
import type { DispatcherLogger } from './dispatcher-logger.js';
import type { SourceRetryOptions } from './dispatcher-options.js';

/** How reading one source ended. */
export type SourceEnd = 'exhausted' | 'aborted' | 'gave-up';

/**
 * Reads one source until it is exhausted or `signal` aborts, handing each task to `onTask` (awaited,
 * so a full queue slows the source down). When the iteration throws, the source is asked again for
 * its tasks after a bounded, jittered backoff; the failure count resets after each delivered task.
 * A source that ignores `signal` cannot hold up shutdown: a pending `next()` is abandoned on abort.
 */
export async function consumeSource(
  source: TaskSource,
  options: {
    signal: AbortSignal;
    retry: SourceRetryOptions;
    logger: DispatcherLogger;
    onTask: (task: Task) => Promise<void>;
  },
): Promise<SourceEnd> {
  const { signal, logger } = options;
  let failures = 0;
  while (!signal.aborted) {
    try {
      const iterator = source.tasks(signal)[Symbol.asyncIterator]();
      for (;;) {
        const next = await unlessAborted(iterator.next(), signal);
        if (next === undefined) {
          iterator.return?.()?.catch(() => undefined);
          return 'aborted';
        }
        if (next.done === true) return 'exhausted';
        failures = 0;
        await options.onTask(next.value);
      }
    } catch (error) {
      if (signal.aborted) return 'aborted';
      failures += 1;
      const failure = new TaskSourceError(
        `Task source "${source.name}" failed (${failures} time${failures === 1 ? '' : 's'} in a row): ${errorMessage(error)}`,
        { code: 'task-source-failed', cause: error, source: source.name, attempts: failures },
      );
      if (options.retry.maxAttempts !== undefined && failures >= options.retry.maxAttempts) {
        logger.error(
          `${failure.message}. Giving up on it (sourceRetry.maxAttempts is ${options.retry.maxAttempts}).`,
          {
            error: failure,
          },
        );
        return 'gave-up';
      }
      const delay = backoffDelay(failures, options.retry);
      logger.warn(`${failure.message}. Retrying in ${delay} ms.`, { error: failure });
      await sleepUnlessAborted(delay, signal);
    }
  }
  return 'aborted';
}

/** Resolves with the value, or with `undefined` as soon as `signal` aborts. */
function unlessAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T | undefined> {
  if (signal.aborted) {
    promise.catch(() => undefined);
    return Promise.resolve(undefined);
  }
  return new Promise<T | undefined>((resolve, reject) => {
    const onAbort = () => {
      promise.catch(() => undefined);
      resolve(undefined);
    };
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}
