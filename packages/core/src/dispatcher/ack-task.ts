import { errorMessage } from '../shared/error-message.js';
import type { Task, TaskOutcome, TaskSource } from '../types.js';
import type { DispatcherLogger } from './dispatcher-logger.js';
import { callWithTimeout } from './with-timeout.js';

/**
 * Tells a source that a task ended. Never throws: a failing or hanging `ack` (bounded by
 * `timeoutMs`) is logged. Called only after the end is durable, and again when a source
 * re-delivers a task that already ended, so `ack` must be idempotent.
 */
export async function ackTask(
  source: TaskSource,
  task: Task,
  outcome: TaskOutcome,
  options: { timeoutMs: number; logger: DispatcherLogger },
): Promise<void> {
  const ack = source.ack;
  if (ack === undefined) return;
  const result = await callWithTimeout(() => ack.call(source, task, outcome), options.timeoutMs);
  if (result.status === 'failed') {
    options.logger.warn(
      `Task source "${source.name}" failed to ack task ${task.id}: ${errorMessage(result.error)}`,
    );
  } else if (result.status === 'timed-out') {
    options.logger.warn(
      `Task source "${source.name}" did not ack task ${task.id} within ${options.timeoutMs} ms.`,
    );
  }
}
