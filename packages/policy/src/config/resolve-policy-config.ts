import { environmentAllowlist } from '../engine/environment-allowlist.js';
import { compileGlob } from '../engine/glob-match.js';
import { defaultInputLimits, type InputLimits } from '../engine/input-limits.js';
import type { PolicySettings } from '../engine/program-context.js';
import { defaultPolicyConfig, dependencyChangesAllowedRule } from './default-policy-config.js';
import type { PolicyConfig, PolicyRule } from './policy-config.js';
import { describeValue, PolicyConfigError } from './policy-config-error.js';

/** A config with `extends`, `disable` and switches applied: the rules and settings to compile. */
export interface ResolvedPolicyConfig {
  rules: { rule: PolicyRule; field: string }[];
  settings: PolicySettings;
  limits: InputLimits;
}

/**
 * Applies `extends`, `disable` and `allowDependencyChanges`, and checks what a schema cannot: ids
 * are unique, disabled and overridden ids exist, and overriding rules stay out of protected
 * worktrees. Throws PolicyConfigError naming the field.
 */
export function resolvePolicyConfig(config: PolicyConfig): ResolvedPolicyConfig {
  const inherits = config.extends === 'default';
  const base = inherits ? defaultPolicyConfig : undefined;
  let rules: { rule: PolicyRule; field: string }[] = (base?.rules ?? []).map((rule) => ({
    rule,
    field: `(default rule ${rule.id})`,
  }));
  for (const [index, id] of (config.disable ?? []).entries()) {
    if (!rules.some((entry) => entry.rule.id === id)) {
      throw new PolicyConfigError(
        `disable[${index}]: no inherited rule has the id ${describeValue(id)}${inherits ? '' : ' (set "extends": "default" to inherit the default rules)'}`,
        { field: `disable[${index}]`, value: id },
      );
    }
    rules = rules.filter((entry) => entry.rule.id !== id);
  }
  const allowDependencies = config.allowDependencyChanges ?? base?.allowDependencyChanges ?? false;
  if (allowDependencies) {
    rules = rules.filter((entry) => entry.rule.id !== 'dependency-changes');
    rules.push({ rule: dependencyChangesAllowedRule, field: 'allowDependencyChanges' });
  }
  for (const [index, rule] of (config.rules ?? []).entries()) rules.push({ rule, field: `rules[${index}]` });

  const settings: PolicySettings = {
    protectedWorktrees: config.protectedWorktrees ?? base?.protectedWorktrees ?? ['main'],
    protectedBranches: config.protectedBranches ?? base?.protectedBranches ?? ['main', 'master'],
    allowCodexFullAccess: config.allowCodexFullAccess ?? base?.allowCodexFullAccess ?? false,
    environment: environmentAllowlist(config.allowedEnvironment ?? []),
  };
  checkRules(rules, settings);
  return { rules, settings, limits: { ...defaultInputLimits, ...config.limits } };
}

function checkRules(rules: readonly { rule: PolicyRule; field: string }[], settings: PolicySettings): void {
  const byId = new Map<string, PolicyRule>();
  for (const { rule, field } of rules) {
    if (byId.has(rule.id)) {
      throw new PolicyConfigError(
        `${field}.id: the id ${describeValue(rule.id)} is used by another rule; give each rule a unique id (or disable the inherited one)`,
        { field: `${field}.id`, value: rule.id, ruleId: rule.id },
      );
    }
    byId.set(rule.id, rule);
  }
  for (const { rule, field } of rules) {
    if (!rule.overrides) continue;
    if (rule.decision !== 'allow') {
      throw new PolicyConfigError(
        `${field}.overrides: only allow rules can override deny rules (rule ${rule.id})`,
        {
          field: `${field}.overrides`,
          value: rule.overrides,
          ruleId: rule.id,
        },
      );
    }
    for (const [index, id] of rule.overrides.entries()) {
      const target = byId.get(id);
      if (target?.decision !== 'deny') {
        throw new PolicyConfigError(
          `${field}.overrides[${index}]: ${describeValue(id)} is not the id of a deny rule in this policy (rule ${rule.id})`,
          { field: `${field}.overrides[${index}]`, value: id, ruleId: rule.id },
        );
      }
    }
    if (!rule.worktrees) {
      throw new PolicyConfigError(
        `${field}.worktrees: rule ${rule.id} overrides a deny rule, so it must be limited to worktrees (e.g. ["task-*"])`,
        { field: `${field}.worktrees`, value: undefined, ruleId: rule.id },
      );
    }
    for (const [index, pattern] of rule.worktrees.entries()) {
      const matcher = compileGlob(pattern);
      const hit = settings.protectedWorktrees.find((name) => matcher(name));
      if (hit) {
        throw new PolicyConfigError(
          `${field}.worktrees[${index}]: ${describeValue(pattern)} matches the protected worktree ${describeValue(hit)}; rule ${rule.id} overrides a deny rule and may never apply there`,
          { field: `${field}.worktrees[${index}]`, value: pattern, ruleId: rule.id },
        );
      }
    }
  }
}
