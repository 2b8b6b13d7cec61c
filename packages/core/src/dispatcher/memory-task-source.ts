import { createAsyncQueue } from '../shared/async-queue.js';
import type { Task, TaskOutcome, TaskSource } from '../types.js';
import { DispatcherStateError } from './dispatcher-errors.js';

/** A task for `push`: only `text` is required; `id` defaults to `<name>-<n>`. */
export type MemoryTaskInput = Omit<Task, 'id' | 'source'> & { id?: string };

/** An in-memory queue of tasks: `push` adds, `end` exhausts the source once the queue is read. */
export interface MemoryTaskSource extends TaskSource {
  /** Adds a task; returns it as it will be delivered. Throws after `end()`. */
  push(task: MemoryTaskInput): Task;
  /** No more tasks: the iteration ends once the queued ones are delivered. */
  end(): void;
  /** Every ack received, in order (for tests and status views). */
  readonly acks: readonly { taskId: string; outcome: TaskOutcome }[];
}

/**
 * A task source fed from code (tests, an HTTP handler, a chat bot in the same process).
 *
 * @example
 * const source = createMemoryTaskSource();
 * source.push({ text: 'Add a /health endpoint' });
 * source.end();
 */
export function createMemoryTaskSource(options: { name?: string } = {}): MemoryTaskSource {
  const name = options.name ?? 'memory';
  const queue = createAsyncQueue<Task>();
  const acks: { taskId: string; outcome: TaskOutcome }[] = [];
  let counter = 0;

  return {
    name,
    acks,
    push(input) {
      if (queue.ended) {
        throw new DispatcherStateError(
          `The memory task source "${name}" has ended; push() must come before end().`,
          {
            code: 'task-source-ended',
          },
        );
      }
      counter += 1;
      const task: Task = { ...input, id: input.id ?? `${name}-${counter}`, source: name };
      queue.push(task);
      return task;
    },
    end() {
      queue.end();
    },
    async ack(task, outcome) {
      acks.push({ taskId: task.id, outcome });
    },
    async *tasks(signal: AbortSignal) {
      while (!signal.aborted) {
        const next = await queue.shift(signal);
        if (next.done) return;
        yield next.value;
      }
    },
  };
}

/**
 * A task source over any (async) iterable of tasks, e.g. an async generator polling an API. Items
 * without `source` get this source's name. When the iteration throws, the dispatcher calls
 * `tasks()` again after a backoff, which iterates `iterable` anew (a generator cannot restart, so
 * a failed generator ends the source; wrap it in `{ [Symbol.asyncIterator]: () => poll() }` to
 * restart it).
 */
export function createIterableTaskSource(
  iterable: AsyncIterable<Task> | Iterable<Task>,
  options: { name?: string; ack?: TaskSource['ack'] } = {},
): TaskSource {
  const name = options.name ?? 'iterable';
  const source: TaskSource = {
    name,
    async *tasks(signal: AbortSignal) {
      for await (const task of iterable) {
        if (signal.aborted) return;
        yield { ...task, source: task.source ?? name };
      }
    },
  };
  if (options.ack !== undefined) source.ack = options.ack;
  return source;
}
