import type { OrchestratorEvent } from '../events.js';
import { errorMessage } from '../shared/error-message.js';
import type { Task, TaskOutcome, TaskSink } from '../types.js';
import type { DispatcherLogger } from './dispatcher-logger.js';
import { callWithTimeout } from './with-timeout.js';

/** The end of a task as sinks receive it. */
export interface TaskEndResult {
  outcome: TaskOutcome;
  reportMarkdown?: string;
  error?: string;
  report?: unknown;
}

/** Delivers events and task ends to every sink, each sink on its own queue. */
export interface SinkFanout {
  event(task: Task, event: OrchestratorEvent): void;
  taskEnd(task: Task, result: TaskEndResult): void;
  /** Resolves once every queued call has returned, failed or timed out. */
  idle(): Promise<void>;
}

type SinkCall = () => unknown;

interface SinkLane {
  sink: TaskSink;
  calls: SinkCall[];
  head: number;
  busy: boolean;
  dropped: number;
  /** Set while a call that timed out has still not returned: the sink is cut off meanwhile. */
  stalled: boolean;
}

/**
 * Sink isolation: each sink gets its own FIFO lane, so calls reach it in order, one at a time,
 * while a slow sink never delays another. A sink that throws or rejects is logged and the lane
 * moves on. A call is waited for at most `timeoutMs`; after that the sink counts as stalled and
 * its calls are dropped (counted, logged) until the hung call returns, so a dead sink costs one
 * timeout, not one per event, and `drain()` stays quick. A lane holds at most `maxPending` event
 * calls: beyond that new events for that sink are dropped too; task ends are always queued.
 */
export function createSinkFanout(
  sinks: TaskSink[],
  options: { timeoutMs: number; logger: DispatcherLogger; maxPending?: number },
): SinkFanout {
  const maxPending = options.maxPending ?? 10_000;
  const lanes: SinkLane[] = sinks.map((sink) => ({
    sink,
    calls: [],
    head: 0,
    busy: false,
    dropped: 0,
    stalled: false,
  }));
  let waiters: (() => void)[] = [];

  function push(lane: SinkLane, call: SinkCall, droppable: boolean): void {
    if (droppable && lane.calls.length - lane.head >= maxPending) {
      if (lane.dropped === 0) {
        options.logger.warn(
          `Sink "${lane.sink.name}" is falling behind; dropping events until it catches up.`,
        );
      }
      lane.dropped += 1;
      return;
    }
    lane.calls.push(call);
    if (!lane.busy) void drainLane(lane);
  }

  async function drainLane(lane: SinkLane): Promise<void> {
    lane.busy = true;
    while (lane.head < lane.calls.length) {
      const call = lane.calls[lane.head]!;
      lane.calls[lane.head] = undefined as unknown as SinkCall;
      lane.head += 1;
      if (lane.head > 1024 && lane.head * 2 > lane.calls.length) {
        lane.calls = lane.calls.slice(lane.head);
        lane.head = 0;
      }
      if (lane.stalled) {
        lane.dropped += 1;
        continue;
      }
      const result = await callWithTimeout(call, options.timeoutMs);
      if (result.status === 'failed') {
        options.logger.warn(`Sink "${lane.sink.name}" failed: ${errorMessage(result.error)}`);
      } else if (result.status === 'timed-out') {
        options.logger.warn(
          `Sink "${lane.sink.name}" did not answer within ${options.timeoutMs} ms; its calls are dropped until it does.`,
        );
        lane.stalled = true;
        void result.pending.then(() => {
          lane.stalled = false;
        });
      }
    }
    lane.calls = [];
    lane.head = 0;
    if (lane.dropped > 0) {
      options.logger.warn(`Sink "${lane.sink.name}" caught up; ${lane.dropped} events were dropped for it.`);
      lane.dropped = 0;
    }
    lane.busy = false;
    if (lanes.every((each) => !each.busy)) {
      const resolved = waiters;
      waiters = [];
      for (const resolve of resolved) resolve();
    }
  }

  return {
    event(task, event) {
      for (const lane of lanes) {
        const onEvent = lane.sink.onEvent;
        if (onEvent !== undefined) push(lane, () => onEvent.call(lane.sink, task, event), true);
      }
    },
    taskEnd(task, result) {
      for (const lane of lanes) {
        const onTaskEnd = lane.sink.onTaskEnd;
        if (onTaskEnd !== undefined) push(lane, () => onTaskEnd.call(lane.sink, task, result), false);
      }
    },
    idle() {
      if (lanes.every((lane) => !lane.busy)) return Promise.resolve();
      return new Promise((resolve) => waiters.push(resolve));
    },
  };
}
