/**
 * Exit codes of the `orchestrator` command. Documented in the README; scripts rely on them, so
 * change them only with a major version.
 */
export const ExitCode = {
  /** The task (or every dispatched task) completed: every task branch with commits is merged into main. */
  success: 0,
  /** A task failed, was cancelled or stopped on its budget (`dispatch`: at least one task did not complete). */
  taskFailed: 1,
  /** Bad arguments, bad config file, or an environment problem the message tells how to fix. */
  usage: 2,
  /** The run ended with some task branches merged into main and others not (their commits stay on their branches). */
  partlyMerged: 3,
  /** The run ended with work on task branches but none of it merged into main. */
  nothingMerged: 4,
  /** Interrupted with Ctrl-C (SIGINT): the run was cancelled. */
  interrupted: 130,
  /** Stopped by SIGTERM (e.g. a service manager or \`kill\`): the run was cancelled. */
  terminated: 143,
} as const;

/** One of the values of {@link ExitCode}. */
export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

/**
 * The exit code of one run's outcome: 0 all merged, 3 partly merged, 4 nothing merged, 1 failed,
 * cancelled or stopped on its budget.
 */
export function exitCodeOfOutcome(outcome: string): ExitCodeValue {
  if (outcome === 'completed') return ExitCode.success;
  if (outcome === 'partly-merged') return ExitCode.partlyMerged;
  if (outcome === 'nothing-merged') return ExitCode.nothingMerged;
  return ExitCode.taskFailed;
}
