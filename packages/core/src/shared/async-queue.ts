/**
 * The one push-to-iterate queue of codex-orchestrator: producers `push`, consumers `await
 * shift()`. Used by the event stream's iterators, the memory task source, the Telegram intake
 * and the terminal approver.
 *
 * Hand-written: the libraries for this (it-pushable, @repeaterjs/repeater) have no per-wait
 * abort signal, no several waiting consumers, and drop overflow silently, where the event stream
 * must say how many events a slow consumer lost.
 */

/** Options of `createAsyncQueue`. */
export interface AsyncQueueOptions {
  /**
   * Most items kept for consumers that fall behind (default: no limit). When it is full the
   * oldest item is dropped and counted (see `takeDropped`).
   */
  maxSize?: number;
}

/** See `createAsyncQueue`. */
export interface AsyncQueue<T> {
  /** Hands `item` to the longest-waiting consumer, or keeps it. Ignored after `end`. */
  push(item: T): void;
  /** No more items: consumers get what is kept, then `done`. */
  end(): void;
  /**
   * The next item: kept ones first, then `done` once the queue ended or `signal` aborts, else
   * waits for a push. A consumer interrupted with an error (see `interruptWaiting`) rejects.
   */
  shift(signal?: AbortSignal): Promise<IteratorResult<T, undefined>>;
  /** Ends the waits of the consumers waiting now (with `done`, or by rejecting with `error`). */
  interruptWaiting(error?: Error): void;
  /** How many items were dropped since the last call, and resets the count. */
  takeDropped(): number;
  /** Drops every kept item (not counted as dropped). */
  clear(): void;
  readonly size: number;
  readonly ended: boolean;
}

type Waiter<T> = (result: IteratorResult<T, undefined> | Error) => void;

const done = { done: true, value: undefined } as const;

/**
 * Creates a queue.
 *
 * @example
 * const queue = createAsyncQueue<string>();
 * queue.push('a');
 * queue.end();
 * await queue.shift(); // { done: false, value: 'a' }
 * await queue.shift(); // { done: true, value: undefined }
 */
export function createAsyncQueue<T>(options: AsyncQueueOptions = {}): AsyncQueue<T> {
  const maxSize = options.maxSize === undefined ? Infinity : Math.max(1, Math.floor(options.maxSize));
  let items: T[] = [];
  let head = 0;
  let dropped = 0;
  let ended = false;
  const waiters: Waiter<T>[] = [];

  const size = () => items.length - head;
  const take = (): T => {
    const item = items[head] as T;
    items[head] = undefined as T;
    head += 1;
    // Compact now and then, so a long-lived queue does not keep a growing array of holes.
    if (head === items.length) {
      items = [];
      head = 0;
    } else if (head > 1024 && head * 2 > items.length) {
      items = items.slice(head);
      head = 0;
    }
    return item;
  };

  return {
    push(item) {
      if (ended) return;
      const waiter = waiters.shift();
      if (waiter !== undefined) {
        waiter({ done: false, value: item });
        return;
      }
      if (size() >= maxSize) {
        take();
        dropped += 1;
      }
      items.push(item);
    },
    end() {
      ended = true;
      for (const waiter of waiters.splice(0)) waiter(done);
    },
    shift(signal) {
      if (size() > 0) return Promise.resolve({ done: false, value: take() });
      if (ended || signal?.aborted) return Promise.resolve(done);
      return new Promise((resolve, reject) => {
        const onAbort = () => waiter(done);
        const waiter: Waiter<T> = (result) => {
          const index = waiters.indexOf(waiter);
          if (index !== -1) waiters.splice(index, 1);
          signal?.removeEventListener('abort', onAbort);
          if (result instanceof Error) reject(result);
          else resolve(result);
        };
        waiters.push(waiter);
        signal?.addEventListener('abort', onAbort, { once: true });
      });
    },
    interruptWaiting(error) {
      for (const waiter of waiters.splice(0)) waiter(error ?? done);
    },
    takeDropped() {
      const count = dropped;
      dropped = 0;
      return count;
    },
    clear() {
      items = [];
      head = 0;
    },
    get size() {
      return size();
    },
    get ended() {
      return ended;
    },
  };
}
