/**
 * A `fetch` for Octokit that makes every GET conditional: the ETag of each answer is kept with
 * its body, the next GET of the same URL sends `If-None-Match`, and a 304 (which GitHub does not
 * count against the rate limit) is answered from the kept body. Written here rather than taken
 * from a plugin: Octokit has no maintained ETag cache plugin, and this is a few lines over the
 * standard `fetch` contract, bounded in size.
 */

interface CachedAnswer {
  etag: string;
  body: ArrayBuffer;
  headers: [string, string][];
}

/** What the conditional fetch saw, for benchmarks and tests. */
export interface ConditionalFetchStats {
  /** Requests sent. */
  sent: number;
  /** Answers of 304 served from the cache. */
  notModified: number;
}

/** Settings of `createConditionalFetch`. */
export interface ConditionalFetchOptions {
  /** Most URLs kept (default 500; the oldest is dropped first). */
  maxEntries?: number;
  /** Send no `If-None-Match` (for the benchmark's "without ETags" side). */
  disabled?: boolean;
  fetch?: typeof globalThis.fetch;
}

/** A `fetch` with an ETag cache, and its counters. */
export function createConditionalFetch(options: ConditionalFetchOptions = {}): {
  fetch: typeof globalThis.fetch;
  stats: ConditionalFetchStats;
} {
  const maxEntries = options.maxEntries ?? 500;
  const base = options.fetch ?? globalThis.fetch;
  const cache = new Map<string, CachedAnswer>();
  const stats: ConditionalFetchStats = { sent: 0, notModified: 0 };

  const conditionalFetch: typeof globalThis.fetch = async (input, init) => {
    const request = new Request(input, init);
    stats.sent += 1;
    if (request.method !== 'GET' || options.disabled) return base(request);
    const key = request.url;
    const cached = cache.get(key);
    if (cached) request.headers.set('if-none-match', cached.etag);
    const response = await base(request);
    if (response.status === 304 && cached) {
      stats.notModified += 1;
      cache.delete(key);
      cache.set(key, cached); // most recently used last
      const headers = new Headers(cached.headers);
      // The rate-limit headers of the 304 are the current ones.
      response.headers.forEach((value, name) => {
        if (name.startsWith('x-ratelimit-')) headers.set(name, value);
      });
      return new Response(cached.body.slice(0), { status: 200, headers });
    }
    const etag = response.headers.get('etag');
    if (response.status !== 200 || etag === null) return response;
    const body = await response.arrayBuffer();
    const headers = [...response.headers.entries()];
    cache.delete(key);
    cache.set(key, { etag, body, headers });
    if (cache.size > maxEntries) cache.delete(cache.keys().next().value as string);
    return new Response(body.slice(0), { status: 200, headers });
  };
  return { fetch: conditionalFetch, stats };
}
