// --- commonly used ---------------------------------------------------------------------------

export type { PolicyCliIo } from './cli/run-policy-cli.js';
export { runPolicyCli } from './cli/run-policy-cli.js';
// --- for tooling -------------------------------------------------------------------------------
export { defaultPolicyConfig, dependencyChangesAllowedRule } from './config/default-policy-config.js';
export { loadPolicyConfig } from './config/load-policy-config.js';
export { parsePolicyConfig } from './config/parse-policy-config.js';
export type {
  PolicyConfig,
  PolicyLimits,
  PolicyRule,
  PrefixToken,
  RuleExample,
  RuleMatch,
} from './config/policy-config.js';
export type { PolicyConfigErrorCode } from './config/policy-config-error.js';
export { PolicyConfigError } from './config/policy-config-error.js';
export {
  policyConfigSchema,
  policyRuleSchema,
  ruleExampleSchema,
  ruleMatchSchema,
} from './config/policy-config-schema.js';
export { createPolicy } from './create-policy.js';
export type { CommandVerdict, Policy, PolicyContext, PolicyDecision, Verdict } from './types.js';
