import { describe, expect, it } from 'vitest';
import { backoffDelay } from './backoff.js';

describe('backoffDelay', () => {
  it('doubles from initialDelayMs, stays under maxDelayMs, and jitters between half and all', () => {
    const options = { initialDelayMs: 100, maxDelayMs: 1000 };
    expect([1, 2, 3, 4, 5, 50].map((failures) => backoffDelay(failures, options, () => 1))).toEqual([
      100, 200, 400, 800, 1000, 1000,
    ]);
    expect([1, 2, 5].map((failures) => backoffDelay(failures, options, () => 0))).toEqual([50, 100, 500]);
    for (let failures = 1; failures < 2000; failures += 1) {
      const delay = backoffDelay(failures, options);
      expect(delay).toBeGreaterThanOrEqual(50);
      expect(delay).toBeLessThanOrEqual(1000);
    }
  });

  it('uses 500 ms and 30 s by default', () => {
    expect(backoffDelay(1, {}, () => 1)).toBe(500);
    expect(backoffDelay(100, {}, () => 1)).toBe(30_000);
  });
});
