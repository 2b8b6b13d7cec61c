// Shared helpers of the dispatcher tests (not exported from the package).
import type { OrchestratorEvent } from '../events.js';
import type { Task, TaskSink } from '../types.js';
import type { DispatcherLogger } from './dispatcher-logger.js';
import type { TaskEndResult } from './sink-fanout.js';

/** A logger that keeps every line, to assert on warnings. */
export function createRecordingLogger(): DispatcherLogger & { lines: string[] } {
  const lines: string[] = [];
  return {
    lines,
    warn: (message) => lines.push(`warn: ${message}`),
    error: (message) => lines.push(`error: ${message}`),
  };
}

/** A sink that records everything and lets a test wait for a task's end. */
export function createRecordingSink(name = 'recorder') {
  const events: { taskId: string; event: OrchestratorEvent }[] = [];
  const ends: { task: Task; result: TaskEndResult }[] = [];
  const endWaiters = new Map<string, (result: TaskEndResult) => void>();
  const sink: TaskSink & {
    events: typeof events;
    ends: typeof ends;
    waitForEnd(taskId: string): Promise<TaskEndResult>;
    eventTypes(taskId: string): string[];
  } = {
    name,
    events,
    ends,
    onEvent(task, event) {
      events.push({ taskId: task.id, event });
    },
    onTaskEnd(task, result) {
      ends.push({ task, result });
      endWaiters.get(task.id)?.(result);
    },
    waitForEnd(taskId) {
      const ended = ends.find((entry) => entry.task.id === taskId);
      if (ended !== undefined) return Promise.resolve(ended.result);
      return new Promise((resolve) => endWaiters.set(taskId, resolve));
    },
    eventTypes(taskId) {
      return events.filter((entry) => entry.taskId === taskId).map((entry) => entry.event.type);
    },
  };
  return sink;
}

/** A promise with its resolve function, to hold a runner until a test releases it. */
export function createGate(): { promise: Promise<void>; open: () => void } {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { promise, open };
}

/** Resolves when `signal` aborts. */
export function whenAborted(signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
}

/** Polls `check` until it is true (or fails the test after `timeoutMs`). */
export async function waitUntil(check: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('waitUntil: condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
