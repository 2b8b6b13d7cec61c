import { ConfigurationError, OrchestratorError, type OrchestratorErrorOptions } from '../errors.js';

/** A dispatcher, task source, sink or store was configured wrongly; the message says how to fix it. */
export class DispatcherConfigurationError extends ConfigurationError {}

/** The task journal cannot be read or written (corrupt record, disk full, permission denied). */
export class TaskJournalError extends OrchestratorError {
  /** Path of the journal file. */
  readonly path: string;
  /** 1-based line of the offending record, when one is to blame. */
  readonly line?: number;

  constructor(message: string, options: OrchestratorErrorOptions & { path: string; line?: number }) {
    super(message, options);
    this.path = options.path;
    if (options.line !== undefined) this.line = options.line;
  }
}

/** A task source failed to deliver tasks (it is retried with backoff while others keep flowing). */
export class TaskSourceError extends OrchestratorError {
  /** Name of the failing source. */
  readonly source: string;
  /** Consecutive failures so far. */
  readonly attempts: number;

  constructor(message: string, options: OrchestratorErrorOptions & { source: string; attempts: number }) {
    super(message, options);
    this.source = options.source;
    this.attempts = options.attempts;
  }
}

/** The dispatcher was used in a state that does not allow the call (e.g. `enqueue` after `stop`). */
export class DispatcherStateError extends OrchestratorError {}
