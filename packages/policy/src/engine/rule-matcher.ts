import type { PolicyRule, RuleMatch } from '../config/policy-config.js';
import type { Verdict } from '../types.js';
import { type ArgWord, possibleValues } from './arg-word.js';
import { compileGlob, type GlobMatcher } from './glob-match.js';

/** Alternatives for one position: exact values in a set, wildcard patterns as matchers. */
interface CompiledToken {
  exact: ReadonlySet<string>;
  patterns: GlobMatcher[];
}

/** One `match` object of a rule, compiled. */
export interface CompiledMatch {
  programs: CompiledToken;
  prefix: CompiledToken[];
  anyArg: CompiledToken | undefined;
  noArg: CompiledToken | undefined;
}

/** A rule ready to match commands. */
export interface CompiledRule {
  id: string;
  decision: Verdict;
  reason: string | undefined;
  worktrees: GlobMatcher[] | undefined;
  overrides: ReadonlySet<string>;
  /** Exact program names this rule can match, or undefined when it uses wildcards. */
  programNames: string[] | undefined;
  matches: CompiledMatch[];
  source: PolicyRule;
}

/** Compiles a validated rule. */
export function compileRule(rule: PolicyRule): CompiledRule {
  const matches = (Array.isArray(rule.match) ? rule.match : [rule.match]) as RuleMatch[];
  const compiled = matches.map((match) => ({
    programs: compileToken(list(match.program)),
    prefix: (match.prefix ?? []).map((token) => compileToken(list(token))),
    anyArg: match.anyArg && compileToken(match.anyArg),
    noArg: match.noArg && compileToken(match.noArg),
  }));
  const names = matches.flatMap((match) => list(match.program));
  return {
    id: rule.id,
    decision: rule.decision,
    reason: rule.reason,
    worktrees: rule.worktrees?.map(compileGlob),
    overrides: new Set(rule.overrides ?? []),
    programNames: names.some((name) => name.includes('*') || name.includes('?')) ? undefined : names,
    matches: compiled,
    source: rule,
  };
}

/** True when the rule applies in `worktree` (always when it names no worktrees). */
export function appliesIn(rule: CompiledRule, worktree: string): boolean {
  return !rule.worktrees || rule.worktrees.some((matcher) => matcher(worktree));
}

/**
 * Whether the rule matches `program args`. Words whose value is unknown count as matching a deny
 * rule and as not matching an allow rule, so doubt always leans to deny.
 */
export function ruleMatches(
  rule: CompiledRule,
  program: string,
  args: readonly ArgWord[],
  matches: readonly CompiledMatch[] = rule.matches,
): boolean {
  const lenient = rule.decision === 'deny';
  for (const match of matches) {
    if (matchOne(match, program, args, lenient)) return true;
  }
  return false;
}

/** The rule's matches that can apply to `program` (all of them when it uses wildcards). */
export function matchesFor(rule: CompiledRule, program: string): CompiledMatch[] {
  return rule.matches.filter(
    (match) => match.programs.patterns.length > 0 || match.programs.exact.has(program),
  );
}

function matchOne(
  match: CompiledMatch,
  program: string,
  args: readonly ArgWord[],
  lenient: boolean,
): boolean {
  if (!tokenMatches(match.programs, program)) return false;
  const prefix = match.prefix;
  for (let index = 0; index < prefix.length; index++) {
    const word = args[index];
    if (!word || !wordMatches(prefix[index]!, word, lenient)) return false;
  }
  const anyArg = match.anyArg;
  if (anyArg && !args.some((word) => wordMatches(anyArg, word, lenient))) return false;
  const noArg = match.noArg;
  if (noArg && args.some((word) => wordMatches(noArg, word, !lenient))) return false;
  return true;
}

/** True when the first argument could start a command this rule matches (for hints). */
export function firstTokenMatches(rule: CompiledRule, value: string): boolean {
  return rule.matches.some((match) => match.prefix[0] !== undefined && tokenMatches(match.prefix[0], value));
}

function compileToken(values: readonly string[]): CompiledToken {
  const exact = new Set<string>();
  const patterns: GlobMatcher[] = [];
  for (const value of values) {
    if (value.includes('*') || value.includes('?')) patterns.push(compileGlob(value));
    else exact.add(value);
  }
  return { exact, patterns };
}

function tokenMatches(token: CompiledToken, value: string): boolean {
  if (token.exact.has(value)) return true;
  for (const pattern of token.patterns) if (pattern(value)) return true;
  return false;
}

/**
 * `lenient`: an unknown word matches, and a word with several possible values matches when one
 * does. Otherwise an unknown word does not match, and every possible value must match.
 */
function wordMatches(token: CompiledToken, word: ArgWord, lenient: boolean): boolean {
  if (!word.dynamic) return tokenMatches(token, word.value);
  const values = possibleValues(word);
  if (!values) return lenient;
  const test = (value: string) => tokenMatches(token, value);
  return lenient ? values.some(test) : values.every(test);
}

function list(value: string | readonly string[]): string[] {
  return typeof value === 'string' ? [value] : [...value];
}
