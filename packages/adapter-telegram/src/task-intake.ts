import type { Task, TaskOutcome, TaskSource } from '@codex-orchestrator/core';
import { createAsyncQueue } from '@codex-orchestrator/core/shared';

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
  const queue = createAsyncQueue<Task>();
  // Redelivered updates (webhook retries, a crash before the offset was confirmed) carry the same
  // chat and message id, hence the same task id: remember ids to create each task once.
  const sequence = new Map<string, number>();
  let counter = 0;

  return {
    push(task) {
      if (sequence.has(task.id)) return false;
      sequence.set(task.id, ++counter);
      if (sequence.size > rememberedIds) sequence.delete(sequence.keys().next().value as string);
      queue.push(task);
      return true;
    },
    has: (taskId) => sequence.has(taskId),
    sequenceOf: (taskId) => sequence.get(taskId) ?? -1,
    interrupt(error) {
      queue.interruptWaiting(error);
    },
    source: {
      name,
      ack,
      async *tasks(signal) {
        if (!(await beforeIterate())) return;
        while (!signal.aborted) {
          const next = await queue.shift(signal);
          if (next.done) return;
          yield next.value;
        }
      },
    },
  };
}
