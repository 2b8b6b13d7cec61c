import { ConfigurationError, OrchestratorError, type OrchestratorErrorOptions } from '../errors.js';
import { errorMarkerPrefix, hasErrorMarker, markErrorClass } from '../shared/error-marker.js';

/** Codes of `DispatcherConfigurationError`. */
export type DispatcherConfigurationErrorCode =
  | 'dispatcher-option-invalid'
  | 'dispatcher-store-missing'
  | 'env-delimiter-invalid'
  | 'env-tasks-empty'
  | 'inbox-dir-missing'
  | 'journal-locked'
  | 'task-invalid';

const configurationMarker = Symbol.for(`${errorMarkerPrefix}.DispatcherConfigurationError`);

/** A dispatcher, task source, sink or store was configured wrongly; the message says how to fix it. */
export class DispatcherConfigurationError extends ConfigurationError<DispatcherConfigurationErrorCode> {
  static {
    markErrorClass(DispatcherConfigurationError, configurationMarker);
  }

  /** True for a `DispatcherConfigurationError` from any copy of the package. */
  static override isInstance(value: unknown): value is DispatcherConfigurationError {
    return hasErrorMarker(value, configurationMarker);
  }
}

/** Codes of `TaskJournalError`. */
export type TaskJournalErrorCode =
  | 'journal-closed'
  | 'journal-corrupt'
  | 'journal-read-failed'
  | 'journal-record-invalid'
  | 'journal-write-failed';

const journalMarker = Symbol.for(`${errorMarkerPrefix}.TaskJournalError`);

/** The task journal cannot be read or written (corrupt record, disk full, permission denied). */
export class TaskJournalError extends OrchestratorError<TaskJournalErrorCode> {
  static {
    markErrorClass(TaskJournalError, journalMarker);
  }
  /** Path of the journal file. */
  readonly path: string;
  /** 1-based line of the offending record, when one is to blame. */
  readonly line?: number;

  constructor(
    message: string,
    options: OrchestratorErrorOptions<TaskJournalErrorCode> & { path: string; line?: number },
  ) {
    super(message, options);
    this.path = options.path;
    if (options.line !== undefined) this.line = options.line;
  }

  /** True for a `TaskJournalError` from any copy of the package. */
  static override isInstance(value: unknown): value is TaskJournalError {
    return hasErrorMarker(value, journalMarker);
  }
}

const sourceMarker = Symbol.for(`${errorMarkerPrefix}.TaskSourceError`);

/** A task source failed to deliver tasks (it is retried with backoff while others keep flowing). */
export class TaskSourceError extends OrchestratorError<'task-source-failed'> {
  static {
    markErrorClass(TaskSourceError, sourceMarker);
  }
  /** Name of the failing source. */
  readonly source: string;
  /** Consecutive failures so far. */
  readonly attempts: number;

  constructor(
    message: string,
    options: OrchestratorErrorOptions<'task-source-failed'> & { source: string; attempts: number },
  ) {
    super(message, options);
    this.source = options.source;
    this.attempts = options.attempts;
  }

  /** True for a `TaskSourceError` from any copy of the package. */
  static override isInstance(value: unknown): value is TaskSourceError {
    return hasErrorMarker(value, sourceMarker);
  }
}

/** Codes of `DispatcherStateError`. */
export type DispatcherStateErrorCode =
  | 'dispatcher-already-started'
  | 'dispatcher-not-running'
  | 'task-source-ended';

const stateMarker = Symbol.for(`${errorMarkerPrefix}.DispatcherStateError`);

/** The dispatcher was used in a state that does not allow the call (e.g. `enqueue` after `stop`). */
export class DispatcherStateError extends OrchestratorError<DispatcherStateErrorCode> {
  static {
    markErrorClass(DispatcherStateError, stateMarker);
  }

  /** True for a `DispatcherStateError` from any copy of the package. */
  static override isInstance(value: unknown): value is DispatcherStateError {
    return hasErrorMarker(value, stateMarker);
  }
}
