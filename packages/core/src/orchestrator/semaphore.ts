/** A counting semaphore whose waits can be aborted; see `createSemaphore`. */
export interface Semaphore {
  /** Most holders at once. */
  readonly capacity: number;
  /** Holders right now. */
  readonly active: number;
  /** Callers waiting for a slot. */
  readonly waiting: number;
  /**
   * Waits for a slot (first come, first served) and returns its release function (idempotent).
   * Rejects with the signal's reason when `signal` aborts while waiting.
   */
  acquire(options?: { signal?: AbortSignal }): Promise<() => void>;
  /** Runs `action` while holding a slot. */
  use<T>(action: () => Promise<T>, options?: { signal?: AbortSignal }): Promise<T>;
}

interface Waiter {
  grant: (release: () => void) => void;
}

/**
 * Creates a semaphore with `capacity` slots (1 makes it a mutex).
 *
 * @example
 * const codexSlots = createSemaphore(2);
 * await codexSlots.use(() => worker.run(request));
 */
export function createSemaphore(capacity: number): Semaphore {
  if (!Number.isInteger(capacity) || capacity < 1) {
    throw new RangeError(`semaphore capacity must be a positive integer, got ${String(capacity)}`);
  }
  let active = 0;
  const queue: Waiter[] = [];

  const makeRelease = () => {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = queue.shift();
      if (next) next.grant(makeRelease());
      else active -= 1;
    };
  };

  const semaphore: Semaphore = {
    capacity,
    get active() {
      return active;
    },
    get waiting() {
      return queue.length;
    },
    acquire(options = {}) {
      const { signal } = options;
      if (signal?.aborted) return Promise.reject(signal.reason);
      if (active < capacity) {
        active += 1;
        return Promise.resolve(makeRelease());
      }
      return new Promise((resolve, reject) => {
        const waiter: Waiter = {
          grant: (release) => {
            signal?.removeEventListener('abort', onAbort);
            resolve(release);
          },
        };
        const onAbort = () => {
          const index = queue.indexOf(waiter);
          if (index >= 0) queue.splice(index, 1);
          reject(signal?.reason);
        };
        signal?.addEventListener('abort', onAbort, { once: true });
        queue.push(waiter);
      });
    },
    async use(action, options = {}) {
      const release = await semaphore.acquire(options);
      try {
        return await action();
      } finally {
        release();
      }
    },
  };
  return semaphore;
}
