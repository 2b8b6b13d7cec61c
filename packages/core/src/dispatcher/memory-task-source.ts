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
  const queue: Task[] = [];
  const acks: { taskId: string; outcome: TaskOutcome }[] = [];
  let head = 0;
  let ended = false;
  let counter = 0;
  let wake: (() => void) | undefined;

  const notify = () => {
    const resolve = wake;
    wake = undefined;
    resolve?.();
  };

  return {
    name,
    acks,
    push(input) {
      if (ended) {
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
      notify();
      return task;
    },
    end() {
      ended = true;
      notify();
    },
    async ack(task, outcome) {
      acks.push({ taskId: task.id, outcome });
    },
    async *tasks(signal: AbortSignal) {
      const onAbort = () => notify();
      signal.addEventListener('abort', onAbort);
      try {
        while (!signal.aborted) {
          if (head < queue.length) {
            const task = queue[head]!;
            queue[head] = undefined as unknown as Task;
            head += 1;
            if (head === queue.length) {
              queue.length = 0;
              head = 0;
            } else if (head > 1024 && head * 2 > queue.length) {
              queue.splice(0, head);
              head = 0;
            }
            yield task;
            continue;
          }
          if (ended) return;
          await new Promise<void>((resolve) => {
            wake = resolve;
          });
        }
      } finally {
        signal.removeEventListener('abort', onAbort);
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
