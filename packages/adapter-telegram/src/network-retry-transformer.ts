import { retryWithBackoff } from '@codex-orchestrator/core/shared';
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
 * with capped exponential backoff and jitter (core's shared `retryWithBackoff`).
 * `@grammyjs/auto-retry` retries these forever (with pauses of up to an hour), so it runs with
 * `rethrowHttpErrors` and this transformer bounds them instead. `getUpdates` is left to grammY's
 * polling loop, and an aborted call is never retried.
 */
export function createNetworkRetryTransformer(options: NetworkRetryOptions): Transformer {
  return async (previous, method, payload, signal) => {
    if (method === 'getUpdates') return previous(method, payload, signal);
    const pause = bridgeSignal(signal);
    try {
      return await retryWithBackoff(() => previous(method, payload, signal), {
        retries: options.maxAttempts,
        initialDelayMs: options.initialDelayMs ?? 500,
        maxDelayMs: options.maxDelayMs ?? 10_000,
        shouldRetry: (error) => error instanceof HttpError && signal?.aborted !== true,
        signal: pause.signal,
      });
    } finally {
      pause.dispose();
    }
  };
}

// grammY passes the `abort-controller` polyfill's signal type: only the common subset is used, and
// a native signal that follows it is what the retry pause listens to.
interface MinimalSignal {
  readonly aborted: boolean;
  addEventListener(type: 'abort', listener: () => void, options?: { once?: boolean }): void;
  removeEventListener(type: 'abort', listener: () => void): void;
}

function bridgeSignal(signal: MinimalSignal | undefined): { signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  const reason = () => new Error('aborted while waiting to retry a Telegram call');
  if (signal?.aborted) controller.abort(reason());
  const onAbort = () => controller.abort(reason());
  signal?.addEventListener('abort', onAbort, { once: true });
  return { signal: controller.signal, dispose: () => signal?.removeEventListener('abort', onAbort) };
}
