import { errorMessage } from '../shared/error-message.js';
import type { MergeApprover, Task, TaskSink } from '../types.js';
import type { DispatcherLogger } from './dispatcher-logger.js';

/**
 * The merge approver for one task, or `undefined` when no sink approves merges. The sink named
 * like the task's source wins (a chat bot approves the tasks it delivered); otherwise the first
 * sink in `sinks` that implements `approveMerge`. There is no timeout (a person may take hours),
 * but the task's `signal` ends the wait with "no". A sink that throws counts as "no": the branch
 * stays unmerged and the failure is logged.
 */
export function routeMergeApproval(
  task: Task,
  sinks: TaskSink[],
  options: { signal: AbortSignal; logger: DispatcherLogger },
): MergeApprover | undefined {
  const approvers = sinks.filter((sink) => typeof sink.approveMerge === 'function');
  const sink = approvers.find((each) => each.name === task.source) ?? approvers[0];
  if (sink === undefined) return undefined;
  return async (request) => {
    const signal = request.signal ?? options.signal;
    if (signal.aborted) return false;
    let onAbort: (() => void) | undefined;
    const aborted = new Promise<false>((resolve) => {
      onAbort = () => resolve(false);
      signal.addEventListener('abort', onAbort, { once: true });
    });
    try {
      const answer = Promise.resolve().then(() => sink.approveMerge!(task, { ...request, signal }));
      return (await Promise.race([answer, aborted])) === true;
    } catch (error) {
      options.logger.warn(
        `Sink "${sink.name}" failed to approve the merge of ${request.branch} for task ${task.id}; not merging: ` +
          errorMessage(error),
      );
      return false;
    } finally {
      if (onAbort !== undefined) signal.removeEventListener('abort', onAbort);
    }
  };
}
