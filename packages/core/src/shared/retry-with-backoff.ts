/**
 * The one retry loop of the codebase: exponential backoff with jitter, a per-attempt delay
 * override (an HTTP `retry-after`), abort, and a hook that hears each retry before its pause.
 *
 * Hand-written rather than on p-retry: p-retry 8+ needs Node 22 (we support Node 20), and 7.x
 * cannot take a per-attempt delay (retry-after), does not tell the delay before it sleeps (needed
 * for "retrying in 2 s" messages and events), never retries a `TypeError` it does not recognise as
 * a network error, and takes no random source for deterministic tests.
 */
import { setTimeout as sleep } from 'node:timers/promises';

/** How long to wait between attempts. */
export interface BackoffOptions {
  /** Delay before the first retry (default 500 ms). */
  initialDelayMs?: number;
  /** Upper bound of any computed delay (default 30 s). */
  maxDelayMs?: number;
  /** Growth per retry (default 2). */
  factor?: number;
}

/**
 * Delay before retry number `retry` (1-based): `initialDelayMs * factor^(retry - 1)`, capped at
 * `maxDelayMs`, then jittered to between half and all of it ("equal jitter"), so that many
 * clients failing together do not retry in lockstep, yet none retries at once.
 */
export function backoffDelay(
  retry: number,
  options: BackoffOptions = {},
  random: () => number = Math.random,
): number {
  const initial = Math.max(0, options.initialDelayMs ?? 500);
  const max = Math.max(initial, options.maxDelayMs ?? 30_000);
  const factor = Math.max(1, options.factor ?? 2);
  const exponential = Math.min(max, initial * factor ** Math.min(Math.max(retry - 1, 0), 60));
  return Math.round(exponential / 2 + random() * (exponential / 2));
}

/** What `shouldRetry` decides for one failure. */
export type RetryDecision = boolean | { retry: true; delayMs: number };

/** One retry about to happen, as told to `onRetry`. */
export interface RetryNotice {
  error: unknown;
  /** 1-based number of the attempt that failed. */
  attempt: number;
  /** Retries left after this one. */
  retriesLeft: number;
  /** Pause before the next attempt. */
  delayMs: number;
}

/** Options of `retryWithBackoff`. */
export interface RetryOptions extends BackoffOptions {
  /** Retries after the first attempt (so `retries + 1` attempts at most). */
  retries: number;
  /**
   * Whether a failure is worth another attempt (default: every failure). Return
   * `{ retry: true, delayMs }` to wait a given time instead of the backoff (e.g. `retry-after`).
   * An error it throws ends the retries and is thrown instead (e.g. "retry-after too long").
   */
  shouldRetry?: (error: unknown, attempt: number) => RetryDecision;
  /** Told before each pause (for logs and events). */
  onRetry?: (notice: RetryNotice) => void;
  /** Aborts the pause and stops further attempts (its reason is thrown). */
  signal?: AbortSignal;
  /** Random source of the jitter, in [0, 1) (default `Math.random`). */
  random?: () => number;
}

/**
 * Runs `operation` until it succeeds, a failure is not retryable, or the retries are used up;
 * then throws the last failure. `operation` gets the 1-based attempt number.
 *
 * @example
 * const body = await retryWithBackoff(() => fetchJson(url), {
 *   retries: 4,
 *   shouldRetry: (error) => isTransient(error),
 *   onRetry: ({ attempt, delayMs }) => logger.warn(`attempt ${attempt} failed; retrying in ${delayMs} ms`),
 * });
 */
export async function retryWithBackoff<T>(
  operation: (attempt: number) => Promise<T>,
  options: RetryOptions,
): Promise<T> {
  const retries = Math.max(0, Math.floor(options.retries));
  for (let attempt = 1; ; attempt += 1) {
    options.signal?.throwIfAborted();
    try {
      return await operation(attempt);
    } catch (error) {
      if (attempt > retries) throw error;
      const decision = options.shouldRetry ? options.shouldRetry(error, attempt) : true;
      if (decision === false) throw error;
      options.signal?.throwIfAborted();
      const delayMs =
        decision === true
          ? backoffDelay(attempt, options, options.random)
          : Math.max(0, Math.round(decision.delayMs));
      options.onRetry?.({ error, attempt, retriesLeft: retries - attempt, delayMs });
      await sleep(delayMs, undefined, options.signal ? { signal: options.signal } : {}).catch(() => {
        throw options.signal?.reason;
      });
    }
  }
}

/** Waits `ms`, or less when `signal` aborts; never throws. */
export async function sleepUnlessAborted(ms: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return;
  await sleep(ms, undefined, { signal }).catch(() => undefined);
}
