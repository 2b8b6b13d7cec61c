/** What stopped a command. */
export type InterruptCause = 'SIGINT' | 'SIGTERM' | 'signal';

/** Turns Ctrl-C (or an embedder's signal) into a graceful cancel of the running command. */
export interface Interrupt {
  /** Aborted on the first Ctrl-C / SIGTERM or when the embedder's signal aborts. */
  readonly signal: AbortSignal;
  /** True once an interrupt has happened (the command then exits with 130, or 143 for SIGTERM). */
  readonly interrupted: boolean;
  /** What interrupted the command: Ctrl-C, a SIGTERM, or the embedder's signal. */
  readonly cause: InterruptCause | undefined;
  /** Removes the process signal handlers. */
  dispose(): void;
}

/**
 * Creates the interrupt handling of one CLI command. With `handleSignals`, the first SIGINT or
 * SIGTERM aborts `signal` (the run cancels gracefully: codex processes are stopped, worktrees and
 * commits kept) and calls `onFirstInterrupt`; a second one exits the process at once with 130 (143 for SIGTERM).
 */
export function createInterrupt(options: {
  signal?: AbortSignal;
  handleSignals?: boolean;
  onFirstInterrupt?: (cause: InterruptCause) => void;
  exit?: (code: number) => void;
}): Interrupt {
  const controller = new AbortController();
  let cause: InterruptCause | undefined;
  const fire = (reason: InterruptCause) => {
    if (cause !== undefined) return;
    cause = reason;
    options.onFirstInterrupt?.(reason);
    const words =
      reason === 'SIGINT'
        ? 'Interrupted (Ctrl-C)'
        : reason === 'SIGTERM'
          ? 'Terminated (SIGTERM)'
          : 'Cancelled';
    controller.abort(new Error(words));
  };
  const onAbort = () => fire('signal');
  if (options.signal?.aborted) onAbort();
  options.signal?.addEventListener('abort', onAbort, { once: true });
  const onProcessSignal = (signal: 'SIGINT' | 'SIGTERM') => {
    if (cause !== undefined) {
      (options.exit ?? process.exit)(signal === 'SIGTERM' ? 143 : 130);
      return;
    }
    fire(signal);
  };
  const onSigint = () => onProcessSignal('SIGINT');
  const onSigterm = () => onProcessSignal('SIGTERM');
  if (options.handleSignals) {
    process.on('SIGINT', onSigint);
    process.on('SIGTERM', onSigterm);
  }
  return {
    signal: controller.signal,
    get interrupted() {
      return cause !== undefined;
    },
    get cause() {
      return cause;
    },
    dispose() {
      options.signal?.removeEventListener('abort', onAbort);
      if (options.handleSignals) {
        process.off('SIGINT', onSigint);
        process.off('SIGTERM', onSigterm);
      }
    },
  };
}
