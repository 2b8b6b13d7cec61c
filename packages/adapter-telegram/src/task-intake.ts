import type { Task, TaskOutcome, TaskSource } from '@codex-orchestrator/core';

/** The queue between the bot's handlers and the dispatcher, deduplicated by task id. */
export interface TaskIntake {
  /** Queues a task; `false` (and nothing queued) when this id was seen before. */
  push(task: Task): boolean;
  has(taskId: string): boolean;
  /** Order in which tasks arrived (higher is later), for "the user's latest task". */
  sequenceOf(taskId: string): number;
  /** Ends every waiting `tasks()` iterator: normally, or by throwing `error`. */
  interrupt(error?: Error): void;
  source: TaskSource;
}

const rememberedIds = 10_000;

/**
 * Creates the task intake. `beforeIterate` runs when the dispatcher starts iterating (the adapter
 * starts its bot there); when it returns `false` the iterator ends at once (the adapter was stopped).
 * `ack` becomes the source's `ack`.
 */
export function createTaskIntake(
  name: string,
  beforeIterate: () => Promise<boolean>,
  ack: (task: Task, outcome: TaskOutcome) => Promise<void>,
): TaskIntake {
  const queue: Task[] = [];
  const waiters = new Set<(result: Task | undefined | Error) => void>();
  // Redelivered updates (webhook retries, a crash before the offset was confirmed) carry the same
  // chat and message id, hence the same task id: remember ids to create each task once.
  const sequence = new Map<string, number>();
  let counter = 0;

  const next = (signal: AbortSignal) =>
    new Promise<Task | undefined | Error>((resolve) => {
      const waiter = (result: Task | undefined | Error) => {
        waiters.delete(waiter);
        signal.removeEventListener('abort', onAbort);
        resolve(result);
      };
      const onAbort = () => waiter(undefined);
      waiters.add(waiter);
      signal.addEventListener('abort', onAbort, { once: true });
    });

  return {
    push(task) {
      if (sequence.has(task.id)) return false;
      sequence.set(task.id, ++counter);
      if (sequence.size > rememberedIds) sequence.delete(sequence.keys().next().value as string);
      const [waiter] = waiters;
      if (waiter === undefined) queue.push(task);
      else waiter(task);
      return true;
    },
    has: (taskId) => sequence.has(taskId),
    sequenceOf: (taskId) => sequence.get(taskId) ?? -1,
    interrupt(error) {
      for (const waiter of [...waiters]) waiter(error);
    },
    source: {
      name,
      ack,
      async *tasks(signal) {
        if (!(await beforeIterate())) return;
        while (!signal.aborted) {
          const item = queue.shift() ?? (await next(signal));
          if (item === undefined) return;
          if (item instanceof Error) throw item;
          yield item;
        }
      },
    },
  };
}
