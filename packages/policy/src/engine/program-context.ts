import type { ArgWord } from './arg-word.js';
import type { EnvironmentAllowlist } from './environment-allowlist.js';
import type { RelativeDirectory } from './path-check.js';

/** Settings from the policy config that built-in program checks read. */
export interface PolicySettings {
  /** Worktrees no opt-in rule may touch and no `git worktree remove` may target (default `main`). */
  protectedWorktrees: readonly string[];
  /** Branches never deleted, force-moved or reset by name (default `main`, `master`). */
  protectedBranches: readonly string[];
  /** Let `codex` run with `danger-full-access` or `--dangerously-bypass-approvals-and-sandbox`. */
  allowCodexFullAccess: boolean;
  /** Variables a script may export to the programs it runs, beyond the defaults. */
  environment: EnvironmentAllowlist;
}

/** Where a command's standard input comes from, as far as the script shows. */
export type StdinSource =
  /** The caller's stdin (closed or empty for the orchestrator). */
  | 'inherited'
  /** A pipe from a command that prints paths inside the worktree (`find`, `git ls-files`, ...). */
  | 'worktree-paths'
  /**
   * Like `worktree-paths`, straight from `find`: every path starts with one of find's start paths
   * (`src/...`, `./...`), which never start with `-`, so no path can be read as an option.
   */
  | 'prefixed-paths'
  /** A pipe, here-document, here-string or file with content the policy cannot vouch for. */
  | 'data';

/** A built-in safety check's refusal. Never overridden by rules. */
export interface Denial {
  ruleId: string;
  reason: string;
}

/** A command another command runs (`timeout 5 npm test` runs `npm test`). */
export interface InnerCommand {
  argv: ArgWord[];
  stdin: StdinSource;
}

/** What a program check learned about one command. */
export interface ProgramResult {
  deny?: Denial;
  /** Arguments the rules match against (git: after its global options). Defaults to argv[1..]. */
  ruleArgs?: readonly ArgWord[];
  /** Commands this one runs with their own argv (`env`, `timeout`, `xargs`, `find -exec`, ...). */
  inner?: InnerCommand[];
  /** Shell source this command runs (`bash -c`, `eval`), parsed and checked like the outer script. */
  script?: string;
  /** The command runs code from a file in the worktree (`node x.js`, `bash x.sh`, `npm test`). */
  executesFile?: boolean;
  /** The command writes content the script chose into a file (`cp`, `tee`, `sed -i`). */
  writesContent?: boolean;
  /** Inert output files the command writes (`tee test.log`); see isInertOutputFile. */
  inertWrites?: readonly string[];
  /** `cd`: the directories the shell may be in afterwards. */
  changesDirectory?: RelativeDirectory[];
}

/** What a program check can see besides the argv. */
export interface ProgramContext {
  worktree: string;
  settings: PolicySettings;
  /** Every directory (relative to the worktree root) the shell may be in at this point. */
  directories: readonly RelativeDirectory[];
  stdin: StdinSource;
}

/** A built-in check for one program. `argv[0]` is the program name. */
export type ProgramCheck = (argv: readonly ArgWord[], context: ProgramContext) => ProgramResult;
