/** How a call to an adapter (a sink, a source's `ack`) ended. */
export type BoundedCallResult =
  | { status: 'ok' }
  | { status: 'failed'; error: unknown }
  /** `pending` settles (never rejects) when the abandoned call finally returns. */
  | { status: 'timed-out'; pending: Promise<void> };

const ok: BoundedCallResult = { status: 'ok' };

/**
 * Calls `action` and waits for it at most `timeoutMs`. Never throws: a synchronous throw, a
 * rejection and a hang are all reported in the result, so a misbehaving adapter cannot stop the
 * caller. A call that timed out keeps running in the background; its late result is ignored.
 */
export async function callWithTimeout(action: () => unknown, timeoutMs: number): Promise<BoundedCallResult> {
  let result: unknown;
  try {
    result = action();
  } catch (error) {
    return { status: 'failed', error };
  }
  if (!isPromiseLike(result)) return ok;
  let timer: NodeJS.Timeout | undefined;
  const settled = Promise.resolve(result).then(
    () => ok,
    (error: unknown): BoundedCallResult => ({ status: 'failed', error }),
  );
  const timeout = new Promise<BoundedCallResult>((resolve) => {
    const pending = settled.then(() => undefined);
    timer = setTimeout(() => resolve({ status: 'timed-out', pending }), timeoutMs);
  });
  try {
    return await Promise.race([settled, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  return (
    typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function'
  );
}

/** True when `promise` settles within `ms`, false otherwise (the promise keeps running). */
export async function settlesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  try {
    return await Promise.race([promise.then(() => true), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
