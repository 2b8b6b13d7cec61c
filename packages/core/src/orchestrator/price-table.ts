/**
 * Token prices used to estimate what a run cost. The default table is an estimate taken from
 * OpenAI's public price list at the time of writing; prices change, so pass your own table
 * (`runOrchestrator(task, { prices })`) when the figure matters.
 */
import type { TokenUsage } from '../types.js';

/** USD per one million tokens for one model. */
export interface ModelPrice {
  input: number;
  /** Input tokens served from the prompt cache (default: the input price). */
  cachedInput?: number;
  /** Output tokens, reasoning tokens included (the API counts them as output). */
  output: number;
}

/** Prices by model name. A name matches exactly, else by the longest table key it starts with. */
export type PriceTable = Readonly<Record<string, ModelPrice>>;

/**
 * Estimated prices (USD per 1M tokens). Estimates only: check the provider's current price list.
 * `gpt-5.5` and other `gpt-5*` names without an entry fall back to `gpt-5` by prefix.
 */
export const defaultPriceTable: PriceTable = Object.freeze({
  'gpt-5': { input: 1.25, cachedInput: 0.125, output: 10 },
  'gpt-5-mini': { input: 0.25, cachedInput: 0.025, output: 2 },
  'gpt-5-nano': { input: 0.05, cachedInput: 0.005, output: 0.4 },
  'gpt-5-codex': { input: 1.25, cachedInput: 0.125, output: 10 },
  'gpt-4.1': { input: 2, cachedInput: 0.5, output: 8 },
  'gpt-4.1-mini': { input: 0.4, cachedInput: 0.1, output: 1.6 },
  'gpt-4.1-nano': { input: 0.1, cachedInput: 0.025, output: 0.4 },
  'gpt-4o': { input: 2.5, cachedInput: 1.25, output: 10 },
  'gpt-4o-mini': { input: 0.15, cachedInput: 0.075, output: 0.6 },
  o3: { input: 2, cachedInput: 0.5, output: 8 },
  'o4-mini': { input: 1.1, cachedInput: 0.275, output: 4.4 },
  'codex-mini-latest': { input: 1.5, cachedInput: 0.375, output: 6 },
});

/** The price entry for `model`: exact name, else the longest key it starts with, else undefined. */
export function findModelPrice(
  model: string,
  prices: PriceTable = defaultPriceTable,
): ModelPrice | undefined {
  const exact = prices[model];
  if (exact) return exact;
  let best: string | undefined;
  for (const key of Object.keys(prices)) {
    if (model.startsWith(key) && (best === undefined || key.length > best.length)) best = key;
  }
  return best === undefined ? undefined : prices[best];
}

/**
 * Estimated cost in USD of `usage` on `model`; 0 when the table has no price for it (check with
 * `findModelPrice`). Cached input tokens are part of `inputTokens` and priced at `cachedInput`.
 */
export function estimateCostUsd(
  model: string,
  usage: TokenUsage,
  prices: PriceTable = defaultPriceTable,
): number {
  const price = findModelPrice(model, prices);
  if (!price) return 0;
  const cached = Math.min(usage.cachedInputTokens, usage.inputTokens);
  const uncached = usage.inputTokens - cached;
  const cost =
    uncached * price.input + cached * (price.cachedInput ?? price.input) + usage.outputTokens * price.output;
  return cost / 1_000_000;
}
