import { describe, expect, it } from 'vitest';
import {
  backoffDelay,
  type RetryNotice,
  retryWithBackoff,
  sleepUnlessAborted,
} from './retry-with-backoff.js';

describe('backoffDelay', () => {
  it('grows by factor from initialDelayMs, stays under maxDelayMs, and jitters between half and all', () => {
    const options = { initialDelayMs: 100, maxDelayMs: 1000 };
    expect([1, 2, 3, 4, 5, 50].map((retry) => backoffDelay(retry, options, () => 1))).toEqual([
      100, 200, 400, 800, 1000, 1000,
    ]);
    expect([1, 2, 5].map((retry) => backoffDelay(retry, options, () => 0))).toEqual([50, 100, 500]);
    expect(backoffDelay(3, { initialDelayMs: 10, factor: 3 }, () => 1)).toBe(90);
    for (let retry = 1; retry < 2000; retry += 1) {
      const delay = backoffDelay(retry, options);
      expect(delay).toBeGreaterThanOrEqual(50);
      expect(delay).toBeLessThanOrEqual(1000);
    }
  });

  it('uses 500 ms and 30 s by default', () => {
    expect(backoffDelay(1, {}, () => 1)).toBe(500);
    expect(backoffDelay(100, {}, () => 1)).toBe(30_000);
  });
});

describe('retryWithBackoff', () => {
  const fast = { initialDelayMs: 1, maxDelayMs: 2 };

  it('retries failures until one attempt succeeds, telling each retry first', async () => {
    const notices: RetryNotice[] = [];
    let calls = 0;
    const result = await retryWithBackoff(
      async (attempt) => {
        calls += 1;
        if (attempt < 3) throw new Error(`fail ${attempt}`);
        return 'ok';
      },
      { ...fast, retries: 5, onRetry: (notice) => notices.push(notice) },
    );
    expect(result).toBe('ok');
    expect(calls).toBe(3);
    expect(
      notices.map((notice) => [notice.attempt, notice.retriesLeft, (notice.error as Error).message]),
    ).toEqual([
      [1, 4, 'fail 1'],
      [2, 3, 'fail 2'],
    ]);
  });

  it('throws the last failure once the retries are used up', async () => {
    let calls = 0;
    await expect(
      retryWithBackoff(
        async () => {
          calls += 1;
          throw new Error(`fail ${calls}`);
        },
        { ...fast, retries: 2 },
      ),
    ).rejects.toThrow('fail 3');
    expect(calls).toBe(3);
  });

  it('stops at a failure shouldRetry refuses, and throws what shouldRetry throws', async () => {
    let calls = 0;
    await expect(
      retryWithBackoff(
        async () => {
          calls += 1;
          throw new Error('permanent');
        },
        { ...fast, retries: 5, shouldRetry: () => false },
      ),
    ).rejects.toThrow('permanent');
    expect(calls).toBe(1);
    await expect(
      retryWithBackoff(
        async () => {
          throw new Error('rate limited');
        },
        {
          ...fast,
          retries: 5,
          shouldRetry: () => {
            throw new Error('asked to wait too long');
          },
        },
      ),
    ).rejects.toThrow('asked to wait too long');
  });

  it('waits the delay shouldRetry asks for instead of the backoff', async () => {
    const delays: number[] = [];
    let calls = 0;
    await retryWithBackoff(
      async () => {
        calls += 1;
        if (calls === 1) throw new Error('429');
      },
      {
        initialDelayMs: 10_000,
        retries: 1,
        shouldRetry: () => ({ retry: true, delayMs: 3 }),
        onRetry: (notice) => delays.push(notice.delayMs),
      },
    );
    expect(delays).toEqual([3]);
  });

  it('stops waiting and throws the abort reason when the signal aborts', async () => {
    const controller = new AbortController();
    let calls = 0;
    const run = retryWithBackoff(
      async () => {
        calls += 1;
        throw new Error('down');
      },
      {
        initialDelayMs: 60_000,
        retries: 3,
        signal: controller.signal,
        onRetry: () => controller.abort(new Error('shutting down')),
      },
    );
    await expect(run).rejects.toThrow('shutting down');
    expect(calls).toBe(1);
  });
});

describe('sleepUnlessAborted', () => {
  it('returns early without throwing when the signal aborts', async () => {
    const controller = new AbortController();
    const sleeping = sleepUnlessAborted(60_000, controller.signal);
    controller.abort();
    await expect(sleeping).resolves.toBeUndefined();
  });
});
