import { parsePolicyConfig } from './config/parse-policy-config.js';
import type { PolicyConfig } from './config/policy-config.js';
import { resolvePolicyConfig } from './config/resolve-policy-config.js';
import { createDefaultPolicy } from './default-policy.js';
import { compilePolicy } from './engine/compile-policy.js';
import type { Policy } from './types.js';

/**
 * Creates a policy from a config (plain JSON data), or the default policy without one. The config
 * is validated, `extends`/`disable` applied, and every rule checked against its own examples;
 * problems throw PolicyConfigError naming the field and value.
 *
 * @example
 * ```ts
 * const policy = createPolicy();
 * policy.evaluate('git push origin main', { worktree: 'main' }).decision; // 'deny'
 * policy.evaluate('npm test', { worktree: 'task-login' }).decision; // 'allow'
 * ```
 */
export function createPolicy(config?: PolicyConfig): Policy {
  if (config === undefined) return createDefaultPolicy();
  return compilePolicy(resolvePolicyConfig(parsePolicyConfig(config)));
}
