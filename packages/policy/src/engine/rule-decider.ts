import { type ArgWord, createArgWord } from './arg-word.js';
import type { RuleDecider, RuleOutcome } from './engine.js';
import {
  appliesIn,
  type CompiledMatch,
  type CompiledRule,
  firstTokenMatches,
  firstTokenValues,
  matchesFor,
  matchesForFirstArgument,
  matchesProgram,
  preparedMatches,
} from './rule-matcher.js';

/** A candidate rule for one program, with only the matches that can apply, and its outcome. */
interface PreparedRule {
  rule: CompiledRule;
  matches: CompiledMatch[];
  outcome: RuleOutcome;
  /** The worktree appliesIn last answered for, and its answer (the orchestrator asks about a few). */
  lastWorktree: string | undefined;
  lastApplies: boolean;
}

/**
 * The candidates for one kind of first argument. When none of them looks past the first argument
 * or depends on the worktree (`git status ...` and `git-inspect`), what they decide is known when
 * the policy is built: `fixed` holds it, and deciding is one lookup.
 */
interface RuleBucket {
  entries: PreparedRule[];
  fixed: RuleOutcome | undefined;
}

/** The rules that can match one program, indexed by the literal first argument. */
export interface ProgramRules {
  /** Every candidate, for a first argument whose value is not known. */
  all: PreparedRule[];
  /** For a first argument that no rule names literally (or none at all). */
  other: RuleBucket;
  /** For each first argument some rule names literally. */
  byFirst: Map<string, RuleBucket>;
  /** Length of the longest key of byFirst (-1 when empty): a longer word is not looked up. */
  longestFirst: number;
}

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
  const outcomes = new Map<CompiledRule, RuleOutcome>();
  for (const rule of rules) outcomes.set(rule, outcome(rule));
  const prepared = new Map<string, ProgramRules>();
  const prepare = (program: string): ProgramRules => {
    let entries = prepared.get(program);
    if (!entries) {
      entries = prepareProgram(candidates(program), program, outcomes);
      if (prepared.size < 1000) prepared.set(program, entries);
    }
    return entries;
  };
  const noRuleReasons = new Map<string, string>();
  const decideWith = (
    programRules: ProgramRules,
    program: string,
    args: readonly ArgWord[],
    worktree: string,
    explain = true,
    offset = 0,
  ): RuleOutcome => {
    const first = args[offset];
    let entries: PreparedRule[];
    if (first?.dynamic) entries = programRules.all;
    else {
      const bucket =
        first === undefined || first.value.length > programRules.longestFirst
          ? programRules.other
          : (programRules.byFirst.get(first.value) ?? programRules.other);
      if (bucket.fixed !== undefined) return bucket.fixed;
      entries = bucket.entries;
    }
    // The first match of each kind is kept apart: lists are only needed when an allow may
    // override several denies, which is rare.
    let firstDeny: PreparedRule | undefined;
    let firstAllow: PreparedRule | undefined;
    let denies: PreparedRule[] | undefined;
    let allows: PreparedRule[] | undefined;
    for (let index = 0; index < entries.length; index++) {
      const entry = entries[index]!;
      const rule = entry.rule;
      if (entry.lastWorktree !== worktree) {
        entry.lastApplies = appliesIn(rule, worktree);
        entry.lastWorktree = worktree;
      }
      if (!entry.lastApplies || !preparedMatches(rule, args, entry.matches, offset)) continue;
      if (rule.decision === 'deny') {
        if (firstDeny === undefined) firstDeny = entry;
        else if (denies === undefined) denies = [firstDeny, entry];
        else denies.push(entry);
      } else if (firstAllow === undefined) firstAllow = entry;
      else if (allows === undefined) allows = [firstAllow, entry];
      else allows.push(entry);
    }
    if (firstDeny !== undefined) {
      if (firstAllow === undefined) return firstDeny.outcome;
      const overriding = overridingAllow(allows ?? [firstAllow], denies ?? [firstDeny]);
      return overriding ? overriding.outcome : firstDeny.outcome;
    }
    if (firstAllow !== undefined) return firstAllow.outcome;
    if (!explain) return UNEXPLAINED_DENY;
    const key = `${program}\u0000${first?.value ?? ''}\u0000${args[offset + 1]?.value ?? ''}\u0000${worktree}`;
    let reason = noRuleReasons.get(key);
    if (reason === undefined) {
      reason = noRuleReason(program, offset === 0 ? args : args.slice(offset), candidates(program), worktree);
      if (noRuleReasons.size < 10000) noRuleReasons.set(key, reason);
    }
    return { decision: 'deny', reason };
  };
  return {
    decide: (program, args, worktree) => decideWith(prepare(program), program, args, worktree),
    rulesFor: prepare,
    decideWith,
  };
}

/** A deny no rule matched, for a caller that does not show the reason. */
const UNEXPLAINED_DENY: RuleOutcome = Object.freeze({ decision: 'deny', reason: '' });

/** Indexes the candidate rules of one program by the literal first argument their matches name. */
function prepareProgram(
  rules: readonly CompiledRule[],
  program: string,
  outcomes: ReadonlyMap<CompiledRule, RuleOutcome>,
): ProgramRules {
  const all: PreparedRule[] = [];
  for (const rule of rules) {
    const matches = matchesFor(rule, program);
    if (matches.length > 0) {
      const decided = outcomes.get(rule) ?? outcome(rule);
      all.push({ rule, matches, outcome: decided, lastWorktree: undefined, lastApplies: false });
    }
  }
  const narrow = (first: string | undefined): PreparedRule[] => {
    const narrowed: PreparedRule[] = [];
    for (const entry of all) {
      const matches = matchesForFirstArgument(entry.matches, first);
      if (matches.length > 0) narrowed.push({ ...entry, matches, lastWorktree: undefined });
    }
    return narrowed;
  };
  const byFirst = new Map<string, RuleBucket>();
  for (const entry of all) {
    for (const match of entry.matches) {
      for (const value of firstTokenValues(match)) {
        if (byFirst.has(value)) continue;
        const entries = narrow(value);
        byFirst.set(value, { entries, fixed: fixedOutcome(entries, value) });
      }
    }
  }
  let longestFirst = -1;
  for (const key of byFirst.keys()) longestFirst = Math.max(longestFirst, key.length);
  const other = narrow(undefined);
  return { all, other: { entries: other, fixed: fixedOutcome(other, undefined) }, byFirst, longestFirst };
}

/**
 * What `entries` decide for every command whose first argument is the literal `first` (undefined:
 * any first argument, or none), when that is the same whatever follows: no candidate is limited to
 * some worktrees, and no match looks past the first argument (for `first` undefined: at any
 * argument). Undefined when it is not fixed, or when no rule would match (the reason of that deny
 * names the command).
 */
function fixedOutcome(entries: readonly PreparedRule[], first: string | undefined): RuleOutcome | undefined {
  for (const entry of entries) {
    if (entry.rule.worktrees) return undefined;
    for (const match of entry.matches) {
      if (match.anyArg || match.noArg || match.prefix.length > (first === undefined ? 0 : 1))
        return undefined;
    }
  }
  const args = first === undefined ? [] : [createArgWord(first, first, 0, first.length)];
  const matched = entries.filter((entry) => preparedMatches(entry.rule, args, entry.matches));
  const denies = matched.filter((entry) => entry.rule.decision === 'deny');
  const allows = matched.filter((entry) => entry.rule.decision === 'allow');
  const [firstDeny] = denies;
  const [firstAllow] = allows;
  if (firstDeny !== undefined) {
    const overriding = overridingAllow(allows, denies);
    return overriding ? overriding.outcome : firstDeny.outcome;
  }
  return firstAllow?.outcome;
}

/** The first matching allow rule that names every matching deny rule in its `overrides`. */
function overridingAllow(
  allows: readonly PreparedRule[],
  denies: readonly PreparedRule[],
): PreparedRule | undefined {
  return allows.find((allow) => denies.every((deny) => allow.rule.overrides.has(deny.rule.id)));
}

/** What a rule decides; one frozen object per rule (its decision never changes). */
function outcome(rule: CompiledRule): RuleOutcome {
  return Object.freeze({
    decision: rule.decision,
    ruleId: rule.id,
    reason: rule.reason ?? `${rule.decision === 'allow' ? 'allowed' : 'denied'} by rule ${rule.id}`,
  });
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
    const sources = Array.isArray(rule.source.match) ? rule.source.match : [rule.source.match];
    // Only the rule's matches for this program (a rule may cover npm, yarn and pnpm differently).
    const applicable = sources.filter((_, index) => matchesProgram(rule.matches[index]!, program));
    for (const match of applicable) {
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
