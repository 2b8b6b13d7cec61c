import { describe, expectTypeOf, it } from 'vitest';
import type {
  CommandEndEvent,
  OrchestratorEvent,
  OrchestratorEventInput,
  OrchestratorEventMap,
  OrchestratorEventType,
  WorkerUsageEvent,
} from '../events.js';
import { reduceRunState } from '../run-state/reduce-run-state.js';
import type { RunState } from '../run-state/run-state.js';
import type { AnyEventListener, EventListener, EventStream } from './event-stream.js';

// Checked by `tsc` (the typecheck); at run time these are no-ops.
describe('event types', () => {
  it('maps every event name to exactly its payload', () => {
    expectTypeOf<OrchestratorEventMap['worker-usage']>().toEqualTypeOf<WorkerUsageEvent>();
    expectTypeOf<OrchestratorEventMap['command-end']>().toEqualTypeOf<CommandEndEvent>();
    expectTypeOf<keyof OrchestratorEventMap>().toEqualTypeOf<OrchestratorEventType>();
    expectTypeOf<OrchestratorEventMap[OrchestratorEventType]>().toEqualTypeOf<OrchestratorEvent>();
    expectTypeOf<OrchestratorEventType>().toExtend<string>();
    expectTypeOf<'command-end'>().toExtend<OrchestratorEventType>();
    expectTypeOf<'no-such-event'>().not.toExtend<OrchestratorEventType>();
  });

  it('lets an input leave out the time, and only the time', () => {
    expectTypeOf<{ type: 'error'; code: string; message: string }>().toExtend<OrchestratorEventInput>();
    expectTypeOf<{ type: 'error'; code: string }>().not.toExtend<OrchestratorEventInput>();
    expectTypeOf<{
      type: 'error';
      code: string;
      message: string;
      time: string;
    }>().toExtend<OrchestratorEventInput>();
  });

  it('types listeners by the event they listen to', () => {
    expectTypeOf<Parameters<EventListener<'merge-end'>>[0]>().toEqualTypeOf<
      OrchestratorEventMap['merge-end']
    >();
    expectTypeOf<Parameters<AnyEventListener>[0]>().toEqualTypeOf<OrchestratorEvent>();
    expectTypeOf<EventStream['on']>().parameter(1).toEqualTypeOf<EventListener<OrchestratorEventType>>();
    const on = (stream: EventStream) =>
      stream.on('worker-usage', (event) => {
        expectTypeOf(event).toEqualTypeOf<WorkerUsageEvent>();
        expectTypeOf(event.usage.totalTokens).toBeNumber();
      });
    expectTypeOf(on).returns.toEqualTypeOf<() => void>();
    expectTypeOf(reduceRunState).parameters.toEqualTypeOf<[RunState, OrchestratorEvent]>();
    expectTypeOf(reduceRunState).returns.toEqualTypeOf<RunState>();
  });
});
