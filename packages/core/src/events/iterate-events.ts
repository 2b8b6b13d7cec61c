import type { OrchestratorEvent } from '../events.js';

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
  const buffer: OrchestratorEvent[] = [];
  let dropped = 0;
  let ended = false;
  let wake: (() => void) | undefined;

  const subscriber: Subscriber = {
    push(event) {
      if (buffer.length >= bufferSize) {
        buffer.shift();
        dropped += 1;
      }
      buffer.push(event);
      wake?.();
    },
    end() {
      finish();
      wake?.();
    },
  };
  const onAbort = () => subscriber.end();

  function finish(): void {
    if (ended) return;
    ended = true;
    subscribers.delete(subscriber);
    options.signal?.removeEventListener('abort', onAbort);
  }

  if (isClosed() || options.signal?.aborted) ended = true;
  else {
    subscribers.add(subscriber);
    options.signal?.addEventListener('abort', onAbort, { once: true });
  }

  const iterator: AsyncIterableIterator<OrchestratorEvent> = {
    async next() {
      for (;;) {
        if (dropped > 0) {
          const count = dropped;
          dropped = 0;
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
        const event = buffer.shift();
        if (event) return { done: false, value: event };
        if (ended) return { done: true, value: undefined };
        await new Promise<void>((resolve) => {
          wake = resolve;
        });
        wake = undefined;
      }
    },
    async return() {
      finish();
      buffer.length = 0;
      return { done: true, value: undefined };
    },
    [Symbol.asyncIterator]() {
      return iterator;
    },
  };
  return iterator;
}
