import type { TokenUsage } from '../types.js';

/** A usage with every count at zero. */
export function emptyTokenUsage(): TokenUsage {
  return { inputTokens: 0, cachedInputTokens: 0, outputTokens: 0, reasoningOutputTokens: 0, totalTokens: 0 };
}

/** Adds `addition` into `total` (mutates and returns `total`). */
export function addTokenUsage(total: TokenUsage, addition: TokenUsage): TokenUsage {
  total.inputTokens += addition.inputTokens;
  total.cachedInputTokens += addition.cachedInputTokens;
  total.outputTokens += addition.outputTokens;
  total.reasoningOutputTokens += addition.reasoningOutputTokens;
  total.totalTokens += addition.totalTokens;
  return total;
}
