/** The `git merge` command handler of the merge queue (main worktree only). */
import type { CommandHandler } from '../types.js';
import type { MergeQueueCore } from './merge-queue.js';
import { mergeResult } from './merge-result.js';
import { mergeCommandUsage, parseMergeCommand } from './parse-merge-command.js';
import { secureMain } from './secure-main.js';

/**
 * Takes `git merge ...` sent to the main worktree: one branch goes to the queue, `--abort` is
 * answered (the queue never leaves a merge in progress), anything else is refused with the usage.
 */
export function createMergeQueueHandler(queue: MergeQueueCore, mainWorktree: string): CommandHandler {
  return {
    name: 'merge-queue',
    matches: (invocation) =>
      invocation.worktree === mainWorktree && invocation.argv[0] === 'git' && invocation.argv[1] === 'merge',
    async run(invocation, { signal, emit }) {
      const started = performance.now();
      const parsed = parseMergeCommand(invocation.argv);
      if (parsed.kind === 'invalid') {
        return mergeResult(
          'failed',
          '',
          `${parsed.reason}. The merge queue takes: ${mergeCommandUsage}`,
          started,
        );
      }
      if (parsed.kind === 'abort') {
        return queue.whenIdle(async () => {
          const inProgress = await queue.mainGit.mergeInProgress();
          if (inProgress) {
            await secureMain(queue.mainGit, await queue.mainGit.head(), {
              emit,
              taskField: queue.taskField,
              reason: 'git merge --abort was asked',
            });
          }
          const text = inProgress
            ? 'The merge in progress in main was aborted; main is clean.\n'
            : 'No merge is in progress in main: the merge queue aborts a conflicting merge itself and leaves main clean.\n';
          return mergeResult('ok', text, undefined, started);
        });
      }
      try {
        return await queue.merge(parsed.branch, {
          signal,
          emit,
          ...(parsed.message === undefined ? {} : { message: parsed.message }),
        });
      } catch (error) {
        if (signal.aborted)
          return mergeResult('cancelled', '', 'cancelled while waiting for the merge queue', started);
        throw error;
      }
    },
  };
}
