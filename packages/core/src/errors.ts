/**
 * Typed errors. Every error thrown by codex-orchestrator is an `OrchestratorError`: a kebab-case
 * `code` for programs (one union of codes per class), a message that says what failed, with the
 * offending value, and how to fix it, and the original `cause` preserved.
 *
 * Check an error with the class's static `isInstance`, not `instanceof`: it looks for a marker
 * registered with `Symbol.for`, so it still answers right when two copies of this package are
 * installed (a hoisting accident, a bundled adapter), and lets an error class that cannot import
 * core (the CLI's, kept out of core for start-up time) join the hierarchy by carrying the marker.
 */

import { errorMarkerPrefix, hasErrorMarker, markErrorClass } from './shared/error-marker.js';

/** Who has to act: the user (bad input, misconfiguration) or the system (a failure at run time). */
export type ErrorKind = 'user' | 'system';

const marker = Symbol.for(errorMarkerPrefix);

/** Codes of the errors thrown as a plain `OrchestratorError` (subclasses have their own unions). */
export type OrchestratorErrorCode =
  | 'dispatcher-stopping'
  | 'git-failed'
  | 'main-dirty'
  | 'main-unsafe'
  | 'task-cancelled';

export interface OrchestratorErrorOptions<Code extends string = string> {
  code: Code;
  kind?: ErrorKind;
  cause?: unknown;
  taskId?: string;
}

/**
 * Base class of every error codex-orchestrator throws. `Code` is the class's union of codes;
 * `new OrchestratorError(...)` itself accepts only `OrchestratorErrorCode`.
 */
export class OrchestratorError<Code extends string = OrchestratorErrorCode> extends Error {
  static {
    markErrorClass(OrchestratorError, marker);
  }
  readonly code: Code;
  readonly kind: ErrorKind;
  readonly taskId?: string;

  constructor(message: string, options: OrchestratorErrorOptions<NoInfer<Code>>) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = options.code;
    this.kind = options.kind ?? 'system';
    if (options.taskId !== undefined) this.taskId = options.taskId;
  }

  /** True for every codex-orchestrator error, from this copy of the package or another one. */
  static isInstance(value: unknown): value is OrchestratorError<string> {
    return hasErrorMarker(value, marker);
  }
}

const configurationMarker = Symbol.for(`${errorMarkerPrefix}.ConfigurationError`);

/** Codes of the errors thrown as a plain `ConfigurationError`. */
export type ConfigurationErrorCode =
  | 'api-key-missing'
  | 'base-dir-invalid'
  | 'base-dir-missing'
  | 'invalid-option'
  | 'main-worktree-empty'
  | 'main-worktree-missing'
  | 'service-config-invalid'
  | 'service-policy-invalid'
  | 'service-secret-missing'
  | 'task-empty'
  | 'task-too-long';

/** Misconfiguration or bad input: the message tells the user what to change. */
export class ConfigurationError<
  Code extends string = ConfigurationErrorCode,
> extends OrchestratorError<Code> {
  static {
    markErrorClass(ConfigurationError, configurationMarker);
  }

  constructor(message: string, options: Omit<OrchestratorErrorOptions<NoInfer<Code>>, 'kind'>) {
    super(message, { ...options, kind: 'user' });
  }

  /** True for a `ConfigurationError` (or a subclass), from any copy of the package. */
  static override isInstance(value: unknown): value is ConfigurationError<string> {
    return hasErrorMarker(value, configurationMarker);
  }
}
