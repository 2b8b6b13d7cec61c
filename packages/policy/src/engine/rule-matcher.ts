import type { PolicyRule, RuleMatch } from '../config/policy-config.js';
import type { Verdict } from '../types.js';
import { type ArgWord, possibleValues } from './arg-word.js';
import { compileGlob, type GlobMatcher } from './glob-match.js';

/** Alternatives for one position: exact values in a set, wildcard patterns as matchers. */
interface CompiledToken {
  exact: ReadonlySet<string>;
  /** Length of the longest exact value: a longer word (a prompt, a message) is not hashed. */
  longestExact: number;
  patterns: GlobMatcher[];
  /**
   * Long options (`--force`, and the literal start of a pattern like `--rebase*`) that a word also
   * matches by abbreviating them (`--forc`, `--reb=x`), as git, getopt_long and npm read options.
   * Only where that leans to deny: the prefix and anyArg of a deny rule, the noArg of an allow rule.
   */
  abbreviated: readonly string[] | undefined;
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
  const deny = rule.decision === 'deny';
  const compiled = matches.map((match) => ({
    programs: compileToken(list(match.program), false),
    prefix: (match.prefix ?? []).map((token) => compileToken(list(token), deny)),
    anyArg: match.anyArg && compileToken(match.anyArg, deny),
    noArg: match.noArg && compileToken(match.noArg, !deny),
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

/** Whether one compiled match names `program` (literally or by pattern). */
export function matchesProgram(match: CompiledMatch, program: string): boolean {
  return tokenMatches(match.programs, program);
}

/** The rule's matches whose program pattern matches `program` (the program part is settled). */
export function matchesFor(rule: CompiledRule, program: string): CompiledMatch[] {
  return rule.matches.filter((match) => tokenMatches(match.programs, program));
}

/**
 * The subset of `matches` (already narrowed to one program) that can match when the first argument
 * is the literal `first`: those without a prefix, with a wildcard first token, or naming `first`.
 * `first` undefined keeps only matches whose first token is no exact value.
 */
export function matchesForFirstArgument(
  matches: readonly CompiledMatch[],
  first: string | undefined,
): CompiledMatch[] {
  return matches.filter((match) => {
    const token = match.prefix[0];
    return (
      token === undefined ||
      token.patterns.length > 0 ||
      (first !== undefined && token.exact.has(first)) ||
      (token.abbreviated !== undefined && (first === undefined || abbreviationMatches(token, first)))
    );
  });
}

/** Every literal value a match's first prefix token names (for indexing rules by first argument). */
export function firstTokenValues(match: CompiledMatch): Iterable<string> {
  return match.prefix[0]?.exact ?? [];
}

/**
 * Like ruleMatches for matches that matchesFor already narrowed to `program`: the program is not
 * checked again. The arguments are `args` from index `offset` on (so a caller need not copy).
 */
export function preparedMatches(
  rule: CompiledRule,
  args: readonly ArgWord[],
  matches: readonly CompiledMatch[],
  offset = 0,
): boolean {
  const lenient = rule.decision === 'deny';
  for (let index = 0; index < matches.length; index++) {
    if (argumentsMatch(matches[index]!, args, lenient, offset)) return true;
  }
  return false;
}

function matchOne(
  match: CompiledMatch,
  program: string,
  args: readonly ArgWord[],
  lenient: boolean,
): boolean {
  if (!tokenMatches(match.programs, program)) return false;
  return argumentsMatch(match, args, lenient, 0);
}

function argumentsMatch(
  match: CompiledMatch,
  args: readonly ArgWord[],
  lenient: boolean,
  offset: number,
): boolean {
  const prefix = match.prefix;
  for (let index = 0; index < prefix.length; index++) {
    const word = args[offset + index];
    if (!word || !wordMatches(prefix[index]!, word, lenient)) return false;
  }
  const anyArg = match.anyArg;
  if (anyArg && !someWordMatches(anyArg, args, lenient, offset)) return false;
  const noArg = match.noArg;
  if (noArg && someWordMatches(noArg, args, !lenient, offset)) return false;
  return true;
}

function someWordMatches(
  token: CompiledToken,
  args: readonly ArgWord[],
  lenient: boolean,
  offset: number,
): boolean {
  for (let index = offset; index < args.length; index++) {
    if (wordMatches(token, args[index]!, lenient)) return true;
  }
  return false;
}

/** True when the first argument could start a command this rule matches (for hints). */
export function firstTokenMatches(rule: CompiledRule, value: string): boolean {
  return rule.matches.some((match) => match.prefix[0] !== undefined && tokenMatches(match.prefix[0], value));
}

/** `abbreviate`: long options in the token also match their abbreviations (see CompiledToken). */
function compileToken(values: readonly string[], abbreviate: boolean): CompiledToken {
  const exact = new Set<string>();
  const patterns: GlobMatcher[] = [];
  const abbreviated: string[] = [];
  let longestExact = -1;
  for (const value of values) {
    const wildcard = firstWildcard(value);
    if (wildcard !== -1) patterns.push(compileGlob(value));
    else {
      exact.add(value);
      longestExact = Math.max(longestExact, value.length);
    }
    // `--x` at least; a pattern contributes its literal start (`--rebase` of `--rebase*`).
    const literal = wildcard === -1 ? value : value.slice(0, wildcard);
    if (abbreviate && literal.length > 2 && literal.startsWith('--')) abbreviated.push(literal);
  }
  return { exact, longestExact, patterns, abbreviated: abbreviated.length > 0 ? abbreviated : undefined };
}

function firstWildcard(value: string): number {
  const star = value.indexOf('*');
  const question = value.indexOf('?');
  return star === -1 ? question : question === -1 ? star : Math.min(star, question);
}

function tokenMatches(token: CompiledToken, value: string): boolean {
  if (value.length <= token.longestExact && token.exact.has(value)) return true;
  for (const pattern of token.patterns) if (pattern(value)) return true;
  return token.abbreviated !== undefined && abbreviationMatches(token, value);
}

/**
 * Whether `value` (`--abc` or `--abc=value`) names or abbreviates one of the token's long options:
 * its name part is a prefix (of at least one character after the dashes) of the option.
 */
function abbreviationMatches(token: CompiledToken, value: string): boolean {
  if (value.length < 3 || value.charCodeAt(0) !== 45 || value.charCodeAt(1) !== 45) return false;
  const equals = value.indexOf('=');
  const length = equals === -1 ? value.length : equals;
  if (length < 3) return false;
  for (const option of token.abbreviated!) {
    if (length > option.length) continue;
    let index = 2;
    while (index < length && value.charCodeAt(index) === option.charCodeAt(index)) index++;
    if (index === length) return true;
  }
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
  for (const value of values) {
    if (tokenMatches(token, value) === lenient) return lenient;
  }
  return !lenient;
}

function list(value: string | readonly string[]): string[] {
  return typeof value === 'string' ? [value] : [...value];
}
