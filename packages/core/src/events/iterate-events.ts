import type { OrchestratorEvent } from '../events.js';
import { createAsyncQueue } from '../shared/async-queue.js';

/** Internal: one running iteration, as the stream delivers to it. */
export interface Subscriber {
  push(event: OrchestratorEvent): void;
  end(): void;
}

/**
 * Internal: an async iterator over the events pushed to it from now on, with a bounded buffer
 * (oldest dropped first; the consumer then receives an `event-stream-overflow` error event saying
 * how many were lost). It ends when the stream closes, `signal` aborts, or the consumer leaves
 * the loop (`return`).
 */
export function iterateEvents(
  subscribers: Set<Subscriber>,
  isClosed: () => boolean,
  options: { bufferSize: number; signal?: AbortSignal },
): AsyncIterableIterator<OrchestratorEvent> {
  const bufferSize = Math.max(1, Math.floor(options.bufferSize));
  const queue = createAsyncQueue<OrchestratorEvent>({ maxSize: bufferSize });

  const subscriber: Subscriber = {
    push: (event) => queue.push(event),
    end: () => finish(),
  };
  const onAbort = () => subscriber.end();

  function finish(): void {
    queue.end();
    subscribers.delete(subscriber);
    options.signal?.removeEventListener('abort', onAbort);
  }

  if (isClosed() || options.signal?.aborted) queue.end();
  else {
    subscribers.add(subscriber);
    options.signal?.addEventListener('abort', onAbort, { once: true });
  }

  const iterator: AsyncIterableIterator<OrchestratorEvent> = {
    async next() {
      const count = queue.takeDropped();
      if (count > 0) {
        return {
          done: false,
          value: {
            type: 'error',
            code: 'event-stream-overflow',
            message: `${count} events were dropped because this consumer fell behind (buffer of ${bufferSize} events); read faster or pass a larger bufferSize.`,
            time: new Date().toISOString(),
          },
        };
      }
      return queue.shift();
    },
    async return() {
      finish();
      queue.clear();
      return { done: true, value: undefined };
    },
    [Symbol.asyncIterator]() {
      return iterator;
    },
  };
  return iterator;
}
