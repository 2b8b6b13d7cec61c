/**
 * What one failed attempt of a model request was, in the client's terms: whether another attempt
 * may help, how long the endpoint asked us to wait, and a short description for messages.
 */
import { errorMessage } from '../shared/error-message.js';
import type { ModelRequestErrorCode } from './model-request-error.js';

/** Thrown inside an attempt when our own deadline or idle timer fired. */
export class ModelAttemptTimeout extends Error {
  constructor(
    readonly kind: 'deadline' | 'idle',
    readonly timeoutMs: number,
  ) {
    super(
      kind === 'deadline'
        ? `no answer within ${timeoutMs} ms (modelRequests.timeoutMs)`
        : `the stream was silent for ${timeoutMs} ms (modelRequests.streamIdleTimeoutMs)`,
    );
    this.name = 'ModelAttemptTimeout';
  }
}

/** Thrown inside an attempt when a stream ended without its final `response.completed`. */
export class ModelStreamCutShort extends Error {
  constructor() {
    super('the stream ended before the response was complete');
    this.name = 'ModelStreamCutShort';
  }
}

/** One failed attempt, classified. */
export interface ModelFailure {
  /** Absent for an error that is not about the request (a bug, a refused option): passed on as is. */
  code?: ModelRequestErrorCode;
  /** Another attempt may succeed. */
  retryable: boolean;
  /** One line: what happened. */
  detail: string;
  status?: number;
  /** What the endpoint asked for (`retry-after-ms` or `retry-after`), in milliseconds. */
  retryAfterMs?: number;
}

const networkCodes = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
]);

function chain(error: unknown): unknown[] {
  const errors: unknown[] = [];
  for (let current = error; current !== undefined && current !== null && errors.length < 5; ) {
    errors.push(current);
    current = (current as { cause?: unknown }).cause;
  }
  return errors;
}

function headerOf(error: unknown, name: string): string | undefined {
  const headers = (error as { headers?: unknown }).headers;
  if (headers === undefined || headers === null) return undefined;
  if (typeof (headers as Headers).get === 'function') return (headers as Headers).get(name) ?? undefined;
  const value = (headers as Record<string, unknown>)[name];
  return typeof value === 'string' ? value : undefined;
}

/** `retry-after-ms`, else `retry-after` (seconds or an HTTP date), in milliseconds. */
export function retryAfterOf(error: unknown, now: number = Date.now()): number | undefined {
  const milliseconds = Number(headerOf(error, 'retry-after-ms'));
  if (headerOf(error, 'retry-after-ms') !== undefined && Number.isFinite(milliseconds) && milliseconds >= 0)
    return Math.round(milliseconds);
  const value = headerOf(error, 'retry-after')?.trim();
  if (value === undefined || value === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(value)) return Math.round(Number(value) * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim().slice(0, 300);
}

/** Classifies the error of one attempt. */
export function classifyModelFailure(error: unknown): ModelFailure {
  if (error instanceof ModelAttemptTimeout) {
    return {
      code: error.kind === 'deadline' ? 'model-timeout' : 'model-stream-idle',
      retryable: true,
      detail: error.message,
    };
  }
  if (error instanceof ModelStreamCutShort) {
    return { code: 'model-response-malformed', retryable: true, detail: error.message };
  }
  const status = (error as { status?: unknown } | undefined)?.status;
  if (typeof status === 'number') {
    const retryAfterMs = retryAfterOf(error);
    return {
      code: 'model-http-error',
      retryable: status === 408 || status === 409 || status === 429 || status >= 500,
      detail: `HTTP ${status}: ${oneLine(errorMessage(error))}`,
      status,
      ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
    };
  }
  const errors = chain(error);
  const names = errors.map((entry) => (entry as { name?: unknown }).name);
  const codes = errors.map((entry) => (entry as { code?: unknown }).code);
  const messages = errors.map((entry) => oneLine(errorMessage(entry)));
  const detail = [...new Set(messages)].join(': ');
  if (names.includes('SyntaxError')) {
    return { code: 'model-response-malformed', retryable: true, detail: `malformed response (${detail})` };
  }
  if (
    names.includes('APIConnectionError') ||
    names.includes('APIConnectionTimeoutError') ||
    names.includes('SocketError') ||
    codes.some((code) => typeof code === 'string' && networkCodes.has(code)) ||
    (error instanceof TypeError && /^(terminated|fetch failed|network error)/i.test(error.message))
  ) {
    return { code: 'model-connection-failed', retryable: true, detail: `connection failed (${detail})` };
  }
  return { retryable: false, detail };
}
