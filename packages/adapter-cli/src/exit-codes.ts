/**
 * Exit codes of the `orchestrator` command. Documented in the README; scripts rely on them, so
 * change them only with a major version.
 */
export const ExitCode = {
  /** The task (or every dispatched task) completed. Branches whose merge a person declined stay unmerged. */
  success: 0,
  /** A task failed, was cancelled or stopped on its budget (`dispatch`: at least one task did). */
  taskFailed: 1,
  /** Bad arguments, bad config file, or an environment problem the message tells how to fix. */
  usage: 2,
  /** Interrupted with Ctrl-C (SIGINT): the run was cancelled. */
  interrupted: 130,
  /** Stopped by SIGTERM (e.g. a service manager or \`kill\`): the run was cancelled. */
  terminated: 143,
} as const;

/** One of the values of {@link ExitCode}. */
export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];
