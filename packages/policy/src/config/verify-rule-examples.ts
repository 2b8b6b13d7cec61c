import { parse } from 'unbash';
import type { ArgWord } from '../engine/arg-word.js';
import type { Engine, RuleOutcome } from '../engine/engine.js';
import { appliesIn, type CompiledRule, ruleMatches } from '../engine/rule-matcher.js';
import { ScriptRun } from '../engine/script-run.js';
import type { RuleExample } from './policy-config.js';
import { describeValue, PolicyConfigError } from './policy-config-error.js';

/**
 * Checks a rule against its own examples, as Codex's execpolicy does: every `match` example must
 * contain a command the rule matches, and no `notMatch` example may. Examples go through the same
 * parsing and normalisation as real commands (git global options removed, wrappers unwrapped).
 */
export function verifyRuleExamples(rule: CompiledRule, field: string, engine: Engine): void {
  const examples = rule.source.examples;
  if (!examples) return;
  for (const [kind, list] of [
    ['match', examples.match ?? []],
    ['notMatch', examples.notMatch ?? []],
  ] as const) {
    for (const [index, example] of list.entries()) {
      const { command, worktree } = normalize(example);
      const matched = exampleMatches(rule, command, worktree, engine);
      const expected = kind === 'match';
      if (matched === expected) continue;
      throw new PolicyConfigError(
        `${field}.examples.${kind}[${index}]: rule ${rule.id} ${expected ? 'does not match' : 'matches'} its example ${describeValue(command)}${worktree ? ` in worktree ${describeValue(worktree)}` : ''}; fix the rule's match or the example`,
        { field: `${field}.examples.${kind}[${index}]`, value: example, ruleId: rule.id },
      );
    }
  }
}

function normalize(example: RuleExample): { command: string; worktree: string | undefined } {
  return typeof example === 'string'
    ? { command: example, worktree: undefined }
    : { command: example.command, worktree: example.worktree };
}

function exampleMatches(
  rule: CompiledRule,
  command: string,
  worktree: string | undefined,
  engine: Engine,
): boolean {
  if (worktree !== undefined && !appliesIn(rule, worktree)) return false;
  let matched = false;
  const decide = (program: string, args: readonly ArgWord[]): RuleOutcome => {
    if (ruleMatches(rule, program, args)) matched = true;
    return { decision: 'allow', reason: 'example' };
  };
  const recording: Engine = {
    ...engine,
    rules: {
      decide,
      rulesFor: (program) => engine.rules.rulesFor(program),
      decideWith: (_rules, program, args, _worktree, _explain, offset = 0) =>
        decide(program, offset === 0 ? args : args.slice(offset)),
    },
  };
  try {
    new ScriptRun(recording, worktree ?? 'example', command).run(parse(command));
  } catch (error) {
    throw new PolicyConfigError(
      `rule ${rule.id}: the example ${describeValue(command)} could not be analysed (${(error as Error).message})`,
      {
        field: 'examples',
        value: command,
        ruleId: rule.id,
        cause: error,
      },
    );
  }
  return matched;
}
