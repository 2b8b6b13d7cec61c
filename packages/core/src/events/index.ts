/** The public part of `events/` (the typed event stream of a run and its async iteration), re-exported by the package root. */
export type {
  AnyEventListener,
  EventIterationOptions,
  EventListener,
  EventStream,
  EventStreamOptions,
} from './event-stream.js';
export { createEventStream } from './event-stream.js';
