import { TrackerError } from '@codex-orchestrator/core/service';

interface HttpFailure {
  status?: number;
  response?: { headers?: Record<string, string | number | undefined> };
}

/**
 * How long GitHub asks us to wait: `Retry-After` (seconds) first, else the primary limit's
 * `x-ratelimit-reset` (epoch seconds) when `x-ratelimit-remaining` is 0. Undefined otherwise.
 */
export function retryAfterMsOf(
  headers: Record<string, string | number | undefined> | undefined,
  now = Date.now(),
): number | undefined {
  const retryAfter = Number(headers?.['retry-after']);
  if (headers?.['retry-after'] !== undefined && Number.isFinite(retryAfter))
    return Math.max(0, retryAfter * 1000);
  if (String(headers?.['x-ratelimit-remaining']) === '0') {
    const reset = Number(headers?.['x-ratelimit-reset']);
    if (Number.isFinite(reset)) return Math.max(1000, reset * 1000 - now);
  }
  return undefined;
}

/**
 * Turns an Octokit failure into a `TrackerError` with a one-line message that names the request
 * (method and path, never headers: the token stays out) and what to do. The Octokit error is not
 * kept as `cause`, since it holds the request it made.
 */
export function toTrackerError(error: unknown, what: string): TrackerError {
  const failure = error as HttpFailure;
  const status = typeof failure.status === 'number' ? failure.status : undefined;
  const headers = failure.response?.headers;
  const retryAfterMs = retryAfterMsOf(headers);
  const rateLimited = status === 429 || (status === 403 && retryAfterMs !== undefined);
  if (rateLimited)
    return new TrackerError(
      `GitHub rate limit hit on ${what}; waiting ${Math.ceil((retryAfterMs ?? 60_000) / 1000)} s as GitHub asks`,
      { code: 'tracker-rate-limited', status: status ?? 429, retryAfterMs: retryAfterMs ?? 60_000 },
    );
  if (status === 401 || status === 403)
    return new TrackerError(
      `GitHub refused ${what} (HTTP ${status}): check the token and that it has the "Issues: read and write" permission on the repository`,
      { code: 'tracker-unauthorized', status },
    );
  if (status === 404 || status === 410)
    return new TrackerError(`GitHub has no ${what} (HTTP ${status}), or the token cannot see it`, {
      code: 'tracker-not-found',
      status,
    });
  if (status !== undefined && status >= 400 && status < 500)
    return new TrackerError(`GitHub rejected ${what} (HTTP ${status})`, {
      code: 'tracker-bad-response',
      status,
    });
  return new TrackerError(
    `GitHub did not answer ${what}${status === undefined ? '' : ` (HTTP ${status})`}; will try again`,
    { code: 'tracker-unavailable', ...(status === undefined ? {} : { status }) },
  );
}
