/**
 * Timeouts and retries of the requests to the orchestrator's (and the reviewer's) model endpoint,
 * with their defaults and validation.
 */
import { ConfigurationError } from '../errors.js';

/** How patient the model client is. Every field is optional; see `defaultModelRequestOptions`. */
export interface ModelRequestOptions {
  /**
   * Longest wait for one attempt: the whole answer of a request, or the first event of a streamed
   * one (default 10 minutes: a reasoning model may think for minutes before answering).
   */
  timeoutMs?: number;
  /** Longest silence between two events of a streamed response (default 2 minutes). */
  streamIdleTimeoutMs?: number;
  /**
   * Retries after a failed attempt (default 4): a dropped connection, a body cut short or
   * malformed (JSON or SSE), a timeout, HTTP 408, 409, 429 or 5xx. Other HTTP errors (401, 400...)
   * fail at once.
   */
  retries?: number;
  /** Pause before the first retry; doubles after each, with jitter (default 1 s). */
  initialRetryDelayMs?: number;
  /** Longest computed pause between two attempts (default 30 s). */
  maxRetryDelayMs?: number;
  /**
   * Longest `retry-after` (or `retry-after-ms`) the endpoint may ask for and be honoured (default
   * 2 minutes). An endpoint asking for longer fails the request at once, saying so, rather than
   * holding the run for an hour.
   */
  maxRetryAfterMs?: number;
}

/** `ModelRequestOptions` with every default applied. */
export type ResolvedModelRequestOptions = Required<ModelRequestOptions>;

/** The defaults of `ModelRequestOptions`. */
export const defaultModelRequestOptions: ResolvedModelRequestOptions = {
  timeoutMs: 10 * 60_000,
  streamIdleTimeoutMs: 2 * 60_000,
  retries: 4,
  initialRetryDelayMs: 1_000,
  maxRetryDelayMs: 30_000,
  maxRetryAfterMs: 2 * 60_000,
};

// setTimeout's limit: a longer delay fires at once.
const maxTimerMs = 2_147_483_647;

/**
 * Applies the defaults and checks every value; throws a `ConfigurationError` naming the option
 * (`modelRequests.<field>`) and the offending value.
 */
export function resolveModelRequestOptions(options: ModelRequestOptions = {}): ResolvedModelRequestOptions {
  const resolved = { ...defaultModelRequestOptions };
  for (const key of Object.keys(defaultModelRequestOptions) as Array<keyof ModelRequestOptions>) {
    const value = options[key];
    if (value === undefined) continue;
    const isCount = key === 'retries';
    const valid =
      typeof value === 'number' &&
      Number.isInteger(value) &&
      value <= maxTimerMs &&
      (isCount ? value >= 0 : value >= 1);
    if (!valid) {
      throw new ConfigurationError(
        `modelRequests.${key} must be ${isCount ? 'a whole number >= 0' : 'a whole number of milliseconds >= 1'}, got ${String(value)}`,
        { code: 'invalid-option' },
      );
    }
    resolved[key] = value;
  }
  return resolved;
}
