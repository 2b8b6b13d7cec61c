import { OrchestratorError } from '../errors.js';
import { errorMarkerPrefix, hasErrorMarker, markErrorClass } from '../shared/error-marker.js';

/** Why a store call failed. */
export type StoreErrorCode =
  | 'store-conflict'
  | 'store-not-found'
  | 'store-duplicate'
  | 'store-closed'
  | 'store-locked'
  | 'store-unavailable';

const marker = Symbol.for(`${errorMarkerPrefix}.StoreError`);

/** A store call failed; `code` says how. */
export class StoreError<Code extends StoreErrorCode = StoreErrorCode> extends OrchestratorError<Code> {
  static {
    markErrorClass(StoreError, marker);
  }
  constructor(message: string, options: { code: NoInfer<Code>; cause?: unknown }) {
    super(message, {
      code: options.code,
      kind: options.code === 'store-locked' ? 'user' : 'system',
      cause: options.cause,
    });
  }

  /** True for a `StoreError` (or a `StoreConflictError`) from any copy of the package. */
  static override isInstance(value: unknown): value is StoreError {
    return hasErrorMarker(value, marker);
  }
}

const conflictMarker = Symbol.for(`${errorMarkerPrefix}.StoreConflictError`);

/** A compare-and-set lost: the record changed since it was read. Read it again and retry. */
export class StoreConflictError extends StoreError<'store-conflict'> {
  static {
    markErrorClass(StoreConflictError, conflictMarker);
  }
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

  /** True for a `StoreConflictError` from any copy of the package. */
  static override isInstance(value: unknown): value is StoreConflictError {
    return hasErrorMarker(value, conflictMarker);
  }
}
