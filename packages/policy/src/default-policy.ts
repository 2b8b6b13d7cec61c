import { defaultPolicyConfig } from './config/default-policy-config.js';
import { resolvePolicyConfig } from './config/resolve-policy-config.js';
import { compilePolicy } from './engine/compile-policy.js';
import type { Policy } from './types.js';

let cached: Policy | undefined;

/**
 * The default policy, compiled once per process. It skips schema validation (the default config
 * and its rule examples are checked by this package's tests), which keeps zod and a few hundred
 * example parses off the CLI's fast path.
 */
export function createDefaultPolicy(): Policy {
  cached ??= compilePolicy(resolvePolicyConfig(defaultPolicyConfig), { verifyExamples: false });
  return cached;
}
