import type { ResolvedPolicyConfig } from '../config/resolve-policy-config.js';
import { verifyRuleExamples } from '../config/verify-rule-examples.js';
import { programChecks } from '../programs/program-checks.js';
import { fallbackCheck } from '../programs/spec-check.js';
import type { Policy } from '../types.js';
import type { BuiltinKind, Engine, ProgramEntry } from './engine.js';
import { evaluateCommand } from './evaluate-command.js';
import { defaultInputLimits } from './input-limits.js';
import { createRuleDecider } from './rule-decider.js';
import { compileRule } from './rule-matcher.js';
import { NAMES_VARIABLES } from './variable-checks.js';

/** Builds a Policy from a resolved config; checks every rule's examples unless told not to. */
export function compilePolicy(
  resolved: ResolvedPolicyConfig,
  options: { verifyExamples?: boolean } = {},
): Policy {
  const compiled = resolved.rules.map(({ rule }) => compileRule(rule));
  const rules = createRuleDecider(compiled);
  const entries = new Map<string, ProgramEntry>();
  /** The first programs seen, by the first character of their name (masked to 7 bits). */
  const byFirstCharacter: ({ name: string; entry: ProgramEntry }[] | undefined)[] = new Array(128);
  const engine: Engine = {
    settings: resolved.settings,
    limits: resolved.limits,
    rules,
    fallbackCheck,
    program(name) {
      // Program names are fresh strings from the parser: comparing a few of them by content is
      // cheaper than hashing each one for the Map (which stays the bounded store).
      const bucket = name.length > 0 ? byFirstCharacter[name.charCodeAt(0) & 127] : undefined;
      if (bucket !== undefined) {
        for (let index = 0; index < bucket.length; index++) {
          const known = bucket[index]!;
          if (known.name === name) return known.entry;
        }
      }
      let entry = entries.get(name);
      if (entry === undefined) {
        const check = programChecks.get(name);
        entry = {
          check: check ?? fallbackCheck,
          fallback: !check,
          rules: rules.rulesFor(name),
          builtin: builtinKind(name),
          namesVariables: NAMES_VARIABLES.has(name),
        };
        // Program names come from hostile commands: keep the cache bounded.
        if (entries.size < 1000) entries.set(name, entry);
      }
      if (name.length > 0 && entries.get(name) === entry) {
        const slot = name.charCodeAt(0) & 127;
        const list = byFirstCharacter[slot] ?? [];
        byFirstCharacter[slot] = list;
        // Short lists only: the Map answers for the rest.
        if (list.length < 8) list.push({ name, entry });
      }
      return entry;
    },
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

/** Builtins whose arguments name shell variables (see ScriptRun's bookkeeping after a command). */
function builtinKind(name: string): BuiltinKind {
  switch (name) {
    case 'export':
    case 'declare':
    case 'typeset':
    case 'local':
    case 'readonly':
      return 1;
    case 'read':
    case 'mapfile':
    case 'readarray':
    case 'getopts':
      return 2;
    case 'let':
      return 3;
    default:
      return 0;
  }
}
