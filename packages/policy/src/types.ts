/**
 * Public contract of the policy engine. Every other package (and every user) relies on these
 * names; change them only with a major version.
 */

/** The verdict for a whole command string or for one command found inside it. */
export type Verdict = 'allow' | 'deny';

/** Where a command would run. `worktree` is the directory name under the orchestrator's base dir. */
export interface PolicyContext {
  worktree: string;
}

/** One simple command found in the script (after unwrapping `env`, `bash -c`, `xargs`, ...). */
export interface CommandVerdict {
  /** The words of the command as bash would see them after quote removal. */
  argv: string[];
  /** The source text of this command inside the script. */
  text: string;
  decision: Verdict;
  /** Id of the rule that decided, when one did (absent for "no rule allowed it"). */
  ruleId?: string;
  reason: string;
}

/** What `policy.evaluate` returns. Never thrown: bad input is a `deny` with a reason. */
export interface PolicyDecision {
  decision: Verdict;
  /** Human-readable; names the part of the command that triggered the decision. */
  reason: string;
  /** The rule that decided the overall verdict, when one did. */
  ruleId?: string;
  /** Every command the script would execute, in source order, with its own verdict. */
  commands: CommandVerdict[];
}

/** A compiled, validated policy. */
export interface Policy {
  evaluate(command: string, context: PolicyContext): PolicyDecision;
}
