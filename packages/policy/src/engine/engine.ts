import type { Verdict } from '../types.js';
import type { ArgWord } from './arg-word.js';
import type { InputLimits } from './input-limits.js';
import type { PolicySettings, ProgramCheck } from './program-context.js';

/** The rule layer as the walker sees it: allow or deny one command by its program and arguments. */
export interface RuleDecider {
  decide(program: string, args: readonly ArgWord[], worktree: string): RuleOutcome;
}

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
  checks: ReadonlyMap<string, ProgramCheck>;
  fallbackCheck: ProgramCheck;
}

/** Thrown inside the walk when a limit is passed; turned into a deny by the caller. */
export class LimitExceeded extends Error {}
