import { HttpError, type Transformer } from 'grammy';

/** Options of `createNetworkRetryTransformer`. */
export interface NetworkRetryOptions {
  /** Retries after the first failure. */
  maxAttempts: number;
  /** First pause (ms); doubles after each failure. Default 500. */
  initialDelayMs?: number;
  /** Longest pause (ms). Default 10 000. */
  maxDelayMs?: number;
}

/**
 * Retries calls that failed at the network level (grammY `HttpError`) a bounded number of times
 * with capped exponential backoff. `@grammyjs/auto-retry` retries these forever (with pauses of up
 * to an hour), so it runs with `rethrowHttpErrors` and this transformer bounds them instead.
 * `getUpdates` is left to grammY's polling loop, and an aborted call is never retried.
 */
export function createNetworkRetryTransformer(options: NetworkRetryOptions): Transformer {
  const initialDelayMs = options.initialDelayMs ?? 500;
  const maxDelayMs = options.maxDelayMs ?? 10_000;
  return async (previous, method, payload, signal) => {
    if (method === 'getUpdates') return previous(method, payload, signal);
    let delayMs = initialDelayMs;
    for (let attempt = 0; ; attempt += 1) {
      try {
        return await previous(method, payload, signal);
      } catch (error) {
        if (!(error instanceof HttpError) || signal?.aborted || attempt >= options.maxAttempts) throw error;
        await pause(delayMs, signal);
        delayMs = Math.min(delayMs * 2, maxDelayMs);
      }
    }
  };
}

// grammY passes the `abort-controller` polyfill's signal type: only the common subset is used.
interface MinimalSignal {
  readonly aborted: boolean;
  addEventListener(type: 'abort', listener: () => void, options?: { once?: boolean }): void;
  removeEventListener(type: 'abort', listener: () => void): void;
}

function pause(milliseconds: number, signal: MinimalSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(new Error('aborted while waiting to retry a Telegram call'));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, milliseconds);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
