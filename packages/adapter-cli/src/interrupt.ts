/** Turns Ctrl-C (or an embedder's signal) into a graceful cancel of the running command. */
export interface Interrupt {
  /** Aborted on the first Ctrl-C / SIGTERM or when the embedder's signal aborts. */
  readonly signal: AbortSignal;
  /** True once an interrupt has happened (the command then exits with 130). */
  readonly interrupted: boolean;
  /** Removes the process signal handlers. */
  dispose(): void;
}

/**
 * Creates the interrupt handling of one CLI command. With `handleSignals`, the first SIGINT or
 * SIGTERM aborts `signal` (the run cancels gracefully: codex processes are stopped, worktrees and
 * commits kept) and calls `onFirstInterrupt`; a second one exits the process at once with 130.
 */
export function createInterrupt(options: {
  signal?: AbortSignal;
  handleSignals?: boolean;
  onFirstInterrupt?: () => void;
  exit?: (code: number) => void;
}): Interrupt {
  const controller = new AbortController();
  let interrupted = false;
  const fire = () => {
    if (interrupted) return;
    interrupted = true;
    options.onFirstInterrupt?.();
    controller.abort(new Error('Interrupted (Ctrl-C)'));
  };
  if (options.signal?.aborted) fire();
  options.signal?.addEventListener('abort', fire, { once: true });
  const onProcessSignal = () => {
    if (interrupted) {
      (options.exit ?? process.exit)(130);
      return;
    }
    fire();
  };
  if (options.handleSignals) {
    process.on('SIGINT', onProcessSignal);
    process.on('SIGTERM', onProcessSignal);
  }
  return {
    signal: controller.signal,
    get interrupted() {
      return interrupted;
    },
    dispose() {
      options.signal?.removeEventListener('abort', fire);
      if (options.handleSignals) {
        process.off('SIGINT', onProcessSignal);
        process.off('SIGTERM', onProcessSignal);
      }
    },
  };
}
