import { OrchestratorError } from '../errors.js';
import { errorMarkerPrefix, hasErrorMarker, markErrorClass } from '../shared/error-marker.js';
import type { TrackerErrorCode } from './tracker-types.js';

/**
 * A tracker call failed; `code` says how. A rate-limited call carries `retryAfterMs` (from
 * `Retry-After`, or the rate-limit reset time), which the state machine honours before it calls
 * again. `status` is the HTTP status when there was one. Messages never contain a token.
 */
const marker = Symbol.for(`${errorMarkerPrefix}.TrackerError`);

export class TrackerError extends OrchestratorError<TrackerErrorCode> {
  static {
    markErrorClass(TrackerError, marker);
  }
  /** How long to wait before the next call, when the tracker said so. */
  readonly retryAfterMs?: number;
  readonly status?: number;

  constructor(
    message: string,
    options: { code: TrackerErrorCode; retryAfterMs?: number; status?: number; cause?: unknown },
  ) {
    super(message, {
      code: options.code,
      kind: options.code === 'tracker-unauthorized' ? 'user' : 'system',
      cause: options.cause,
    });
    if (options.retryAfterMs !== undefined) this.retryAfterMs = options.retryAfterMs;
    if (options.status !== undefined) this.status = options.status;
  }

  /** True for a `TrackerError` from any copy of the package. */
  static override isInstance(value: unknown): value is TrackerError {
    return hasErrorMarker(value, marker);
  }
}

/** True for failures worth retrying later (rate limits, outages); false for ones a person must fix. */
export function isRetryableTrackerError(error: unknown): boolean {
  return (
    TrackerError.isInstance(error) &&
    (error.code === 'tracker-rate-limited' || error.code === 'tracker-unavailable')
  );
}
