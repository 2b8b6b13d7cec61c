import type { ArgWord } from './arg-word.js';
import type { RuleDecider, RuleOutcome } from './engine.js';
import {
  appliesIn,
  type CompiledMatch,
  type CompiledRule,
  firstTokenMatches,
  matchesFor,
  ruleMatches,
} from './rule-matcher.js';

/**
 * The rule layer: deny wins, unless an allow rule that matches the same command names every
 * matching deny rule in its `overrides`; anything no rule allows is denied.
 */
export function createRuleDecider(rules: readonly CompiledRule[]): RuleDecider {
  const byProgram = new Map<string, CompiledRule[]>();
  const wildcard: CompiledRule[] = [];
  for (const rule of rules) {
    if (!rule.programNames) {
      wildcard.push(rule);
      continue;
    }
    for (const name of new Set(rule.programNames)) {
      const list = byProgram.get(name) ?? [];
      list.push(rule);
      byProgram.set(name, list);
    }
  }
  const none: CompiledRule[] = [];
  const candidates = (program: string): CompiledRule[] => {
    const exact = byProgram.get(program) ?? none;
    return wildcard.length === 0 ? exact : [...exact, ...wildcard];
  };
  // Per program, each candidate rule with only the matches that name that program.
  const prepared = new Map<string, { rule: CompiledRule; matches: CompiledMatch[] }[]>();
  const prepare = (program: string) => {
    let entries = prepared.get(program);
    if (!entries) {
      entries = candidates(program).map((rule) => ({ rule, matches: matchesFor(rule, program) }));
      if (prepared.size < 1000) prepared.set(program, entries);
    }
    return entries;
  };
  const noRuleReasons = new Map<string, string>();
  return {
    decide(program: string, args: readonly ArgWord[], worktree: string): RuleOutcome {
      let denies: CompiledRule[] | undefined;
      let allows: CompiledRule[] | undefined;
      for (const { rule, matches } of prepare(program)) {
        if (!appliesIn(rule, worktree) || !ruleMatches(rule, program, args, matches)) continue;
        if (rule.decision === 'deny') {
          denies ??= [];
          denies.push(rule);
        } else {
          allows ??= [];
          allows.push(rule);
        }
      }
      if (denies) {
        const matched = denies;
        const overriding = allows?.find((allow) => matched.every((deny) => allow.overrides.has(deny.id)));
        if (overriding) return outcome('allow', overriding);
        return outcome('deny', matched[0]!);
      }
      if (allows) return outcome('allow', allows[0]!);
      const key = `${program}\u0000${args[0]?.value ?? ''}\u0000${args[1]?.value ?? ''}\u0000${worktree}`;
      let reason = noRuleReasons.get(key);
      if (reason === undefined) {
        reason = noRuleReason(program, args, candidates(program), worktree);
        if (noRuleReasons.size < 10000) noRuleReasons.set(key, reason);
      }
      return { decision: 'deny', reason };
    },
  };
}

const outcomes = new WeakMap<CompiledRule, RuleOutcome>();

/** What a rule decides; one frozen object per rule (its decision never changes). */
function outcome(decision: 'allow' | 'deny', rule: CompiledRule): RuleOutcome {
  const cached = outcomes.get(rule);
  if (cached) return cached;
  const created: RuleOutcome = Object.freeze({
    decision,
    ruleId: rule.id,
    reason: rule.reason ?? `${decision === 'allow' ? 'allowed' : 'denied'} by rule ${rule.id}`,
  });
  outcomes.set(rule, created);
  return created;
}

function noRuleReason(
  program: string,
  args: readonly ArgWord[],
  rules: readonly CompiledRule[],
  worktree: string,
): string {
  const shown = [program, ...args.slice(0, 2).map((word) => word.value)].join(' ');
  const near = rules.find(
    (rule) => rule.decision === 'allow' && args[0] !== undefined && firstTokenMatches(rule, args[0].value),
  );
  if (near) {
    const example = near.source.examples?.match?.find((item) => {
      const command = typeof item === 'string' ? item : item.command;
      return command.startsWith(`${program} ${args[0]?.value ?? ''}`);
    });
    const where = near.source.worktrees ? ` in worktrees ${near.source.worktrees.join(', ')}` : '';
    const shape = example ? ` (e.g. \`${typeof example === 'string' ? example : example.command}\`)` : '';
    return `\`${shown}\` is not allowed in worktree ${worktree}: rule ${near.id} allows only some forms of \`${program} ${args[0]?.value}\`${where}${shape}`;
  }
  const hints = new Set<string>();
  for (const rule of rules) {
    if (rule.decision !== 'allow') continue;
    for (const match of Array.isArray(rule.source.match) ? rule.source.match : [rule.source.match]) {
      const first = match.prefix?.[0];
      if (first === undefined) continue;
      for (const value of typeof first === 'string' ? [first] : first) {
        if (hints.size < 12)
          hints.add(
            `${program} ${value}${rule.worktrees ? ` (in ${rule.source.worktrees?.join(', ')})` : ''}`,
          );
      }
    }
  }
  const suffix = hints.size > 0 ? `; allowed forms include: ${[...hints].join(', ')}` : '';
  return `\`${shown}\` is not allowed in worktree ${worktree}: no rule allows it${suffix}`;
}
