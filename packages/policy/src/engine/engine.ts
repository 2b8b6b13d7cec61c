import type { Verdict } from '../types.js';
import type { ArgWord } from './arg-word.js';
import type { InputLimits } from './input-limits.js';
import type { PolicySettings, ProgramCheck } from './program-context.js';
import type { ProgramRules } from './rule-decider.js';

/** The rule layer as the walker sees it: allow or deny one command by its program and arguments. */
export interface RuleDecider {
  decide(program: string, args: readonly ArgWord[], worktree: string): RuleOutcome;
  /** The rules that can match `program`, resolved once so a caller can keep them. */
  rulesFor(program: string): ProgramRules;
  /**
   * Like decide, with the program's rules already resolved by rulesFor. `explain: false` leaves
   * the reason of a deny no rule matched empty (for a caller that will not show it). The
   * arguments are `args` from index `offset` on (default 0), so a caller need not copy them.
   */
  decideWith(
    rules: ProgramRules,
    program: string,
    args: readonly ArgWord[],
    worktree: string,
    explain?: boolean,
    offset?: number,
  ): RuleOutcome;
}

/** What the walker needs to know about one program, resolved once per program name. */
export interface ProgramEntry {
  check: ProgramCheck;
  /** The program has no built-in check of its own (`check` is the fallback). */
  fallback: boolean;
  rules: ProgramRules;
  /** How the shell itself treats the name after the command ran (variables it assigns). */
  builtin: BuiltinKind;
  /** A builtin whose arguments name variables (`read`, `unset`, `printf -v`, ...). */
  namesVariables: boolean;
}

/** Shell builtins whose arguments name variables: 0 none, 1 declaration, 2 `read`-like, 3 `let`. */
export type BuiltinKind = 0 | 1 | 2 | 3;

/** What the rules said about one command. */
export interface RuleOutcome {
  decision: Verdict;
  ruleId?: string;
  reason: string;
}

/** Everything the script walker needs from a compiled policy. */
export interface Engine {
  settings: PolicySettings;
  limits: InputLimits;
  rules: RuleDecider;
  fallbackCheck: ProgramCheck;
  /** The check, rules and builtin kind of a program, cached per name. */
  program(name: string): ProgramEntry;
}

/** Thrown inside the walk when a limit is passed; turned into a deny by the caller. */
export class LimitExceeded extends Error {}
