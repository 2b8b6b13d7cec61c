import type { ResolvedPolicyConfig } from '../config/resolve-policy-config.js';
import { verifyRuleExamples } from '../config/verify-rule-examples.js';
import { programChecks } from '../programs/program-checks.js';
import { fallbackCheck } from '../programs/spec-check.js';
import type { Policy } from '../types.js';
import type { Engine } from './engine.js';
import { evaluateCommand } from './evaluate-command.js';
import { defaultInputLimits } from './input-limits.js';
import { createRuleDecider } from './rule-decider.js';
import { compileRule } from './rule-matcher.js';

/** Builds a Policy from a resolved config; checks every rule's examples unless told not to. */
export function compilePolicy(
  resolved: ResolvedPolicyConfig,
  options: { verifyExamples?: boolean } = {},
): Policy {
  const compiled = resolved.rules.map(({ rule }) => compileRule(rule));
  const engine: Engine = {
    settings: resolved.settings,
    limits: resolved.limits,
    rules: createRuleDecider(compiled),
    checks: programChecks,
    fallbackCheck,
  };
  if (options.verifyExamples !== false) {
    // Inherited default rules are verified by this package's tests; check the config's own rules.
    const examplesEngine: Engine = { ...engine, limits: defaultInputLimits };
    compiled.forEach((rule, index) => {
      const field = resolved.rules[index]!.field;
      if (field.startsWith('rules[')) verifyRuleExamples(rule, field, examplesEngine);
    });
  }
  return {
    evaluate: (command, context) => evaluateCommand(engine, command, context),
  };
}
