import { OrchestratorError } from '../errors.js';

/** Why a store call failed. */
export type StoreErrorCode =
  | 'store-conflict'
  | 'store-not-found'
  | 'store-duplicate'
  | 'store-closed'
  | 'store-locked'
  | 'store-unavailable';

/** A store call failed; `code` says how. */
export class StoreError extends OrchestratorError {
  declare readonly code: StoreErrorCode;
  constructor(message: string, options: { code: StoreErrorCode; cause?: unknown }) {
    super(message, {
      code: options.code,
      kind: options.code === 'store-locked' ? 'user' : 'system',
      cause: options.cause,
    });
  }
}

/** A compare-and-set lost: the record changed since it was read. Read it again and retry. */
export class StoreConflictError extends StoreError {
  readonly expectedRevision: number;
  readonly actualRevision: number;
  constructor(what: string, expectedRevision: number, actualRevision: number) {
    super(
      `${what} changed meanwhile (revision ${actualRevision}, expected ${expectedRevision}); read it again and retry`,
      { code: 'store-conflict' },
    );
    this.expectedRevision = expectedRevision;
    this.actualRevision = actualRevision;
  }
}
