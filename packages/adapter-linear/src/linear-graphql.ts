import { TrackerError } from '@codex-orchestrator/core/service';
import { LinearClient, LinearError, LinearErrorType, LinearGraphQLClient } from '@linear/sdk';

/** What the last answer said about the request budget (`X-RateLimit-Requests-*`). */
export interface LinearRateLimitState {
  limit?: number;
  remaining?: number;
  /** Epoch milliseconds when the budget refills. */
  resetAt?: number;
}

/** Sends one of our documents and maps Linear's errors to `TrackerError`s. */
export interface LinearGraphql {
  request<Data>(document: string, variables?: Record<string, unknown>, signal?: AbortSignal): Promise<Data>;
  readonly rateLimit: LinearRateLimitState;
  /** Requests sent (for benchmarks and tests). */
  readonly requestCount: number;
}

const defaultRateLimitWaitMs = 60_000;

const numberHeader = (headers: Headers | undefined, name: string) => {
  const value = Number(headers?.get(name));
  return Number.isFinite(value) && headers?.get(name) !== null ? value : undefined;
};

/**
 * A client for Linear's GraphQL API on the SDK's `LinearClient`, which checks the URL (HTTPS,
 * or plain HTTP only for loopback) and sets the `Authorization` header. The key stays inside it:
 * no error, log line or return value carries it (errors are rebuilt from Linear's messages).
 */
export function createLinearGraphql(options: {
  apiKey: string;
  apiUrl?: string;
  /**
   * Requests left unspent (default 10): when Linear's last answer said no more than this many
   * remain, calls wait for the reset instead of spending them (writes stay possible for people).
   */
  reserveRequests?: number;
}): LinearGraphql {
  const reserve = options.reserveRequests ?? 10;
  const linear = new LinearClient({
    apiKey: options.apiKey,
    ...(options.apiUrl === undefined ? {} : { apiUrl: options.apiUrl }),
  });
  const rateLimit: LinearRateLimitState = {};
  let requestCount = 0;

  const remember = (headers: Headers | undefined) => {
    const limit = numberHeader(headers, 'x-ratelimit-requests-limit');
    const remaining = numberHeader(headers, 'x-ratelimit-requests-remaining');
    const resetAt = numberHeader(headers, 'x-ratelimit-requests-reset');
    if (limit !== undefined) rateLimit.limit = limit;
    if (remaining !== undefined) rateLimit.remaining = remaining;
    if (resetAt !== undefined) rateLimit.resetAt = resetAt;
  };

  const toTrackerError = (error: unknown, operation: string): TrackerError => {
    if (!(error instanceof LinearError)) {
      const text = error instanceof Error ? error.message : String(error);
      return new TrackerError(`Linear ${operation} failed: ${text}; check the network and apiUrl`, {
        code: 'tracker-unavailable',
        cause: error,
      });
    }
    const headers = error.raw?.response?.headers as Headers | undefined;
    remember(headers);
    const raw = (error.raw?.response?.errors ?? []) as Array<{ extensions?: { code?: string } }>;
    const codes = raw.map((each) => each.extensions?.code);
    const status = error.status;
    const base = { cause: error, ...(status === undefined ? {} : { status }) };
    const message = error.errors?.[0]?.message ?? error.message;
    if (codes.includes('RATELIMITED') || error.type === LinearErrorType.Ratelimited || status === 429) {
      const retryAfterSeconds = numberHeader(headers, 'retry-after');
      const resetAt = numberHeader(headers, 'x-ratelimit-requests-reset');
      const retryAfterMs =
        retryAfterSeconds !== undefined
          ? retryAfterSeconds * 1000
          : resetAt !== undefined
            ? Math.max(1000, resetAt - Date.now())
            : defaultRateLimitWaitMs;
      return new TrackerError(
        `Linear rate limit reached on ${operation}; waiting ${Math.ceil(retryAfterMs / 1000)} s before the next request`,
        { ...base, code: 'tracker-rate-limited', retryAfterMs },
      );
    }
    if (error.type === LinearErrorType.AuthenticationError || error.type === LinearErrorType.Forbidden) {
      return new TrackerError(
        `Linear refused ${operation}: ${message}; check the API key (LINEAR_API_KEY) and its access to the team`,
        { ...base, code: 'tracker-unauthorized' },
      );
    }
    if (/entity not found/i.test(message)) {
      return new TrackerError(`Linear ${operation}: ${message}`, { ...base, code: 'tracker-not-found' });
    }
    if (
      error.type === LinearErrorType.NetworkError ||
      error.type === LinearErrorType.InternalError ||
      error.type === LinearErrorType.LockTimeout ||
      (status !== undefined && status >= 500)
    ) {
      return new TrackerError(`Linear ${operation} failed: ${message}; retrying later`, {
        ...base,
        code: 'tracker-unavailable',
      });
    }
    return new TrackerError(`Linear ${operation} failed: ${message}`, {
      ...base,
      code: 'tracker-bad-response',
    });
  };

  return {
    rateLimit,
    get requestCount() {
      return requestCount;
    },
    async request<Data>(document: string, variables: Record<string, unknown> = {}, signal?: AbortSignal) {
      const operation = /(?:query|mutation)\s+Orchestrator(\w+)/.exec(document)?.[1] ?? 'request';
      const waitMs = (rateLimit.resetAt ?? 0) - Date.now();
      if (rateLimit.remaining !== undefined && rateLimit.remaining <= reserve && waitMs > 0) {
        throw new TrackerError(
          `Linear request budget nearly spent (${rateLimit.remaining} left); waiting ${Math.ceil(waitMs / 1000)} s for its reset before ${operation}`,
          { code: 'tracker-rate-limited', retryAfterMs: waitMs },
        );
      }
      // One GraphQL client per call so the call's abort signal reaches fetch; the parsed options
      // (URL, Authorization, user agent) come from the one LinearClient above.
      const client = new LinearGraphQLClient(linear.options.apiUrl, {
        ...linear.options,
        ...(signal === undefined ? {} : { signal }),
      });
      requestCount += 1;
      try {
        const response = await client.rawRequest<Data, Record<string, unknown>>(document, variables);
        remember(response.headers);
        if (response.data === undefined) throw new Error('empty answer');
        return response.data;
      } catch (error) {
        if (signal?.aborted) throw signal.reason;
        throw toTrackerError(error, operation);
      }
    },
  };
}
