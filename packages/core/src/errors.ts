/**
 * Typed errors. Every error thrown by codex-orchestrator is an `OrchestratorError`: a `code` for
 * programs, a message that says what failed, with the offending value, and how to fix it, and
 * the original `cause` preserved.
 */

/** Who has to act: the user (bad input, misconfiguration) or the system (a failure at run time). */
export type ErrorKind = 'user' | 'system';

export interface OrchestratorErrorOptions {
  code: string;
  kind?: ErrorKind;
  cause?: unknown;
  taskId?: string;
}

/** Base class of every error codex-orchestrator throws. */
export class OrchestratorError extends Error {
  readonly code: string;
  readonly kind: ErrorKind;
  readonly taskId?: string;

  constructor(message: string, options: OrchestratorErrorOptions) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = options.code;
    this.kind = options.kind ?? 'system';
    if (options.taskId !== undefined) this.taskId = options.taskId;
  }
}

/** Misconfiguration or bad input: the message tells the user what to change. */
export class ConfigurationError extends OrchestratorError {
  constructor(message: string, options: Omit<OrchestratorErrorOptions, 'kind'>) {
    super(message, { ...options, kind: 'user' });
  }
}
