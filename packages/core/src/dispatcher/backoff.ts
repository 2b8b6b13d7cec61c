import { setTimeout as sleep } from 'node:timers/promises';

/** Bounded exponential backoff with jitter, used to retry failing task sources. */
export interface BackoffOptions {
  /** Delay before the first retry (default 500 ms). */
  initialDelayMs?: number;
  /** Upper bound of any delay (default 30 s). */
  maxDelayMs?: number;
  /** Consecutive failures after which the dispatcher gives up on the source (default: never). */
  maxAttempts?: number;
}

/**
 * Delay before retry number `failures` (1-based): `initialDelayMs * 2^(failures - 1)`, capped at
 * `maxDelayMs`, then jittered to between half and all of it ("equal jitter") so that many
 * sources failing together do not retry in lockstep.
 */
export function backoffDelay(failures: number, options: BackoffOptions, random: () => number = Math.random) {
  const initial = options.initialDelayMs ?? 500;
  const max = Math.max(initial, options.maxDelayMs ?? 30_000);
  const exponential = Math.min(max, initial * 2 ** Math.min(Math.max(failures - 1, 0), 30));
  return Math.round(exponential / 2 + random() * (exponential / 2));
}

/** Waits `ms`, or less when `signal` aborts; never throws. */
export async function sleepUnlessAborted(ms: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return;
  await sleep(ms, undefined, { signal }).catch(() => undefined);
}
