import { EventEmitter } from 'eventemitter3';
import type {
  OrchestratorEvent,
  OrchestratorEventInput,
  OrchestratorEventMap,
  OrchestratorEventType,
} from '../events.js';
import { errorMessage } from '../shared/error-message.js';
import { iterateEvents, type Subscriber } from './iterate-events.js';

/** A listener for one event type. A returned promise is not awaited; its rejection is reported. */
export type EventListener<K extends OrchestratorEventType> = (event: OrchestratorEventMap[K]) => unknown;

/** A listener for every event. */
export type AnyEventListener = (event: OrchestratorEvent) => unknown;

/** Options of one async iteration over the stream. */
export interface EventIterationOptions {
  /** Ends the iteration (the loop finishes normally, without throwing). */
  signal?: AbortSignal;
  /**
   * Most events kept for a consumer that falls behind (default 10 000). When it is full the oldest
   * event is dropped, and the consumer next receives an `error` event with code
   * `event-stream-overflow` saying how many were lost, so loss is never silent.
   */
  bufferSize?: number;
}

/** Options of `createEventStream`. */
export interface EventStreamOptions {
  /** Default buffer size of each async iterator (see `EventIterationOptions.bufferSize`). */
  bufferSize?: number;
}

/**
 * The typed event stream of codex-orchestrator: a typed emitter and the same events as an
 * `AsyncIterable`.
 *
 * - `emit` stamps `time` (unless given) and delivers synchronously to the listeners of that type,
 *   then to `onAny` listeners, then to every running async iterator.
 * - A listener that throws (or returns a rejected promise) never breaks `emit` or the other
 *   listeners: the failure is re-emitted as an `error` event with code `event-listener-failed`
 *   (a failing listener of an `error` event is swallowed, to avoid loops).
 * - Each `for await` loop gets every event emitted after it started, in order, from its own bounded
 *   buffer; concurrent loops do not affect each other.
 * - `close()` ends every iteration (after buffered events are consumed), removes all listeners and
 *   turns later `emit` calls into no-ops.
 */
export interface EventStream extends AsyncIterable<OrchestratorEvent> {
  /** Stamps `time` and delivers the event. Returns the delivered event. */
  emit(input: OrchestratorEventInput): OrchestratorEvent;
  /** Listens to one event type; returns a function that removes the listener. */
  on<K extends OrchestratorEventType>(type: K, listener: EventListener<K>): () => void;
  /** Listens to the next event of one type only; returns a function that removes the listener. */
  once<K extends OrchestratorEventType>(type: K, listener: EventListener<K>): () => void;
  /** Removes a listener added with `on` or `once`. */
  off<K extends OrchestratorEventType>(type: K, listener: EventListener<K>): void;
  /** Listens to every event; returns a function that removes the listener. */
  onAny(listener: AnyEventListener): () => void;
  /** Removes a listener added with `onAny`. */
  offAny(listener: AnyEventListener): void;
  /** Iterates over the events emitted from now on, with options. */
  iterate(options?: EventIterationOptions): AsyncIterableIterator<OrchestratorEvent>;
  /** Ends all iterations and removes all listeners; later emits are ignored. */
  close(): void;
  readonly closed: boolean;
}

type EmitterEvents = { [K in OrchestratorEventType]: (event: OrchestratorEventMap[K]) => void };
type AnyListenerFunction = (event: never) => unknown;

const defaultBufferSize = 10_000;

/**
 * Creates an event stream.
 *
 * @example
 * const events = createEventStream();
 * events.on('command-end', (event) => console.log(event.command, event.exitCode));
 * for await (const event of events) if (event.type === 'worker-end') break;
 */
export function createEventStream(options: EventStreamOptions = {}): EventStream {
  // Typed by OrchestratorEventMap; the public methods below keep the types, the calls inside use
  // the string-keyed view because wrapped listeners take any event.
  const typedEmitter = new EventEmitter<EmitterEvents>();
  const emitter = typedEmitter as unknown as EventEmitter<string>;
  const anyListeners = new Set<AnyEventListener>();
  const subscribers = new Set<Subscriber>();
  const safeListeners = new WeakMap<AnyListenerFunction, (event: OrchestratorEvent) => void>();
  let closed = false;

  function reportListenerFailure(error: unknown, event: OrchestratorEvent): void {
    if (event.type === 'error' || closed) return;
    const message = errorMessage(error);
    stream.emit({
      type: 'error',
      code: 'event-listener-failed',
      message: `A listener of "${event.type}" events threw: ${message}`,
      ...(event.taskId === undefined ? {} : { taskId: event.taskId }),
    });
  }

  function callSafely(listener: AnyListenerFunction, event: OrchestratorEvent): void {
    try {
      const result = (listener as AnyEventListener)(event);
      if (result instanceof Promise) result.catch((error: unknown) => reportListenerFailure(error, event));
    } catch (error) {
      reportListenerFailure(error, event);
    }
  }

  function safe(listener: AnyListenerFunction): (event: OrchestratorEvent) => void {
    let wrapped = safeListeners.get(listener);
    if (!wrapped) {
      wrapped = (event) => callSafely(listener, event);
      safeListeners.set(listener, wrapped);
    }
    return wrapped;
  }

  const stream: EventStream = {
    emit(input) {
      const event = { ...input, time: input.time ?? new Date().toISOString() } as OrchestratorEvent;
      if (closed) return event;
      emitter.emit(event.type, event);
      for (const listener of [...anyListeners]) callSafely(listener, event);
      for (const subscriber of subscribers) subscriber.push(event);
      return event;
    },
    on(type, listener) {
      if (!closed) emitter.on(type, safe(listener));
      return () => stream.off(type, listener);
    },
    once(type, listener) {
      if (!closed) emitter.once(type, safe(listener));
      return () => stream.off(type, listener);
    },
    off(type, listener) {
      emitter.off(type, safe(listener));
    },
    onAny(listener) {
      if (!closed) anyListeners.add(listener);
      return () => anyListeners.delete(listener);
    },
    offAny(listener) {
      anyListeners.delete(listener);
    },
    iterate(iterationOptions = {}) {
      return iterateEvents(subscribers, () => closed, {
        bufferSize: iterationOptions.bufferSize ?? options.bufferSize ?? defaultBufferSize,
        ...(iterationOptions.signal ? { signal: iterationOptions.signal } : {}),
      });
    },
    [Symbol.asyncIterator]() {
      return stream.iterate();
    },
    close() {
      if (closed) return;
      closed = true;
      emitter.removeAllListeners();
      anyListeners.clear();
      for (const subscriber of [...subscribers]) subscriber.end();
    },
    get closed() {
      return closed;
    },
  };
  return stream;
}
