/** The error of a model request that failed for good (after its retries, or at once). */
import { OrchestratorError } from '../errors.js';
import { errorMarkerPrefix, hasErrorMarker, markErrorClass } from '../shared/error-marker.js';

/** What went wrong with a model request. */
export type ModelRequestErrorCode =
  | 'model-timeout'
  | 'model-stream-idle'
  | 'model-connection-failed'
  | 'model-response-malformed'
  | 'model-http-error'
  | 'model-retry-after-too-long';

const marker = Symbol.for(`${errorMarkerPrefix}.ModelRequestError`);

/**
 * A model request failed: the message names the endpoint, what happened on the last attempt,
 * how many attempts were made, and what to change. `cause` is the last underlying error.
 */
export class ModelRequestError extends OrchestratorError<ModelRequestErrorCode> {
  static {
    markErrorClass(ModelRequestError, marker);
  }
  /** The endpoint (base URL) the request went to, or a description of a custom provider. */
  readonly endpoint: string;
  /** Attempts made, the failed ones included. */
  readonly attempts: number;
  /** HTTP status of the last attempt, when it got one. */
  readonly status?: number;

  constructor(
    message: string,
    options: {
      code: ModelRequestErrorCode;
      endpoint: string;
      attempts: number;
      status?: number;
      cause?: unknown;
    },
  ) {
    super(message, { code: options.code, ...(options.cause === undefined ? {} : { cause: options.cause }) });
    this.endpoint = options.endpoint;
    this.attempts = options.attempts;
    if (options.status !== undefined) this.status = options.status;
  }

  /** True for a `ModelRequestError` from any copy of the package. */
  static override isInstance(value: unknown): value is ModelRequestError {
    return hasErrorMarker(value, marker);
  }
}
