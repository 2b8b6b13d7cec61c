/**
 * The policy config: plain JSON data. These types have no runtime cost; the zod schema that
 * validates them lives in policy-config-schema.ts.
 */

/** A command a rule's examples name, optionally in a given worktree. */
export type RuleExample = string | { command: string; worktree?: string };

/** One argument position of a prefix: a value or a list of alternatives; `*` and `?` are wildcards. */
export type PrefixToken = string | readonly string[];

/** What a rule matches. All given conditions must hold. */
export interface RuleMatch {
  /** The program name (exact, or with `*`/`?` wildcards), or a list of them. */
  program: string | readonly string[];
  /**
   * The arguments must start with these (for git: after its global options; for npm, yarn, pnpm
   * and codex: starting at the subcommand).
   */
  prefix?: readonly PrefixToken[];
  /** At least one argument matches one of these patterns. */
  anyArg?: readonly string[];
  /** No argument matches any of these patterns. */
  noArg?: readonly string[];
}

/** One allow or deny rule. */
export interface PolicyRule {
  /** Unique id, reported as `ruleId` in decisions (letters, digits, `.`, `_`, `-`). */
  id: string;
  decision: 'allow' | 'deny';
  /** One match, or a list (the rule matches when any of them does). */
  match: RuleMatch | readonly RuleMatch[];
  /** Worktree name patterns (`task-*`) the rule applies in; all worktrees when absent. */
  worktrees?: readonly string[];
  /**
   * For allow rules: ids of deny rules this rule may override for the commands it matches (an
   * opt-in like `git reset --soft` in `task-*`). Never possible for built-in checks or protected
   * worktrees.
   */
  overrides?: readonly string[];
  /** Why the rule exists; shown as the decision's reason. */
  reason?: string;
  /** Commands the rule must match and must not match; checked when the config loads. */
  examples?: { match?: readonly RuleExample[]; notMatch?: readonly RuleExample[] };
}

/** Resource limits (all optional). */
export interface PolicyLimits {
  /** Largest command in UTF-8 bytes, at most 65536. */
  maxInputBytes?: number;
  /** Deepest nesting of substitutions and `bash -c` strings. */
  maxDepth?: number;
  /** Most simple commands in one script. */
  maxCommands?: number;
}

/** A whole policy config. */
export interface PolicyConfig {
  version: 1;
  /** Start from the built-in default rules (`default`) or from nothing (`none`, the default). */
  extends?: 'default' | 'none';
  /** Ids of inherited rules to drop. */
  disable?: readonly string[];
  rules?: readonly PolicyRule[];
  /** Worktrees opt-in rules never apply in and `git worktree remove` never removes (default `main`). */
  protectedWorktrees?: readonly string[];
  /** Branches never deleted, renamed or force-reset (default `main`, `master`). */
  protectedBranches?: readonly string[];
  /** Allow `npm install <pkg>`, `yarn add`, `pip install`, ... (replaces rule `dependency-changes`). */
  allowDependencyChanges?: boolean;
  /** Allow codex `--sandbox danger-full-access` and `--dangerously-bypass-approvals-and-sandbox`. */
  allowCodexFullAccess?: boolean;
  /**
   * Variables a script may put into the environment of the programs it runs (`VAR=x cmd`, `env`,
   * `export`), beyond the built-in allowlist: names, or prefixes ending in `*` (`MY_APP_*`). Their
   * values are not checked.
   */
  allowedEnvironment?: readonly string[];
  limits?: PolicyLimits;
}
