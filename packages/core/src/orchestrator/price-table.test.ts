import { describe, expect, it } from 'vitest';
import { defaultPriceTable, estimateCostUsd, findModelPrice } from './price-table.js';

const usage = (input: number, cached: number, output: number) => ({
  inputTokens: input,
  cachedInputTokens: cached,
  outputTokens: output,
  reasoningOutputTokens: 0,
  totalTokens: input + output,
});

describe('price table', () => {
  it('finds prices by exact name, then by the longest prefix', () => {
    expect(findModelPrice('gpt-5-mini')).toBe(defaultPriceTable['gpt-5-mini']);
    expect(findModelPrice('gpt-5-mini-2025-08-07')).toBe(defaultPriceTable['gpt-5-mini']);
    expect(findModelPrice('gpt-5.5')).toBe(defaultPriceTable['gpt-5']);
    expect(findModelPrice('llama-3')).toBeUndefined();
  });

  it('prices cached input at the cached rate and output separately', () => {
    const prices = { m: { input: 2, cachedInput: 0.5, output: 10 } };
    // 600k uncached * 2 + 400k cached * 0.5 + 100k * 10 = 1.2 + 0.2 + 1.0
    expect(estimateCostUsd('m', usage(1_000_000, 400_000, 100_000), prices)).toBeCloseTo(2.4, 10);
    expect(estimateCostUsd('unknown', usage(1_000_000, 0, 0), prices)).toBe(0);
  });
});
