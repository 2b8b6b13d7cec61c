import type { Policy } from '@codex-orchestrator/policy';
import type { AuditLog } from '../audit/audit-log.js';
import type { EventStream } from '../events/event-stream.js';
import type { Sandbox } from '../sandbox/create-sandbox.js';
import type { SandboxSetting } from '../sandbox/sandbox-options.js';
import type { CommandHandler, RunRepoCommandInput, RunRepoCommandResult } from '../types.js';

/** Options of `createCommandRunner`. Every option has a default; only `baseDir` must be known. */
export interface CommandRunnerOptions {
  /** Absolute path of the folder holding the worktrees. Default: `ORCHESTRATOR_BASE_DIR`. */
  baseDir?: string;
  /** Name of the main worktree in `baseDir` (default `main`); defines the target repository. */
  mainWorktree?: string;
  /** The orchestrator root, where the default audit log lives (default `process.cwd()`). */
  root?: string;
  /** Decides every command (default `createPolicy()`). */
  policy?: Policy;
  /** In-process executors for single simple commands (codex, worktree add, merge), tried in order. */
  handlers?: readonly CommandHandler[];
  /** Where command-start / command-end / command-denied go (default: a new stream, `runner.events`). */
  events?: EventStream;
  /** Audit log file path or object (default `<root>/run_repo_command.log`). */
  auditLog?: string | AuditLog;
  /** Limit for commands run through bash (default 10 minutes). Handlers apply their own. */
  timeoutMs?: number;
  /** Time between SIGTERM and SIGKILL to a process tree being stopped (default 2 s). */
  killGraceMs?: number;
  /** Cap per stream (stdout, stderr) in bytes; head and tail are kept (default 16 KiB). */
  maxOutputBytes?: number;
  /** Check and log commands without executing them. Default: `ORCHESTRATOR_DRY_RUN=1`. */
  dryRun?: boolean;
  /** One line per call: `true` writes to stderr; a function receives the line. Default: `ORCHESTRATOR_TRACE=1`. */
  trace?: boolean | ((line: string) => void);
  /** Extra env var names whose values are secrets (added to `defaultSecretEnvNames`). */
  secrets?: readonly string[];
  /**
   * Pass secret env vars to commands run through bash (default false: they are removed). Only
   * with `sandbox: 'off'`: the sandbox passes an allowlist (name extras in `sandbox.env`).
   */
  inheritSecrets?: boolean;
  /** Base environment of commands (default `process.env`); `noPushEnv` is always applied. */
  env?: NodeJS.ProcessEnv;
  /** Task id used when a call does not give one. */
  taskId?: string;
  /**
   * Confinement of the commands run through bash (default `{}`: bubblewrap, network off; see
   * `SandboxOptions`), a sandbox shared with other components, or `'off'`, the explicit opt-out
   * noted on every audit line. When the sandbox cannot start, `run` throws `SandboxUnavailableError`.
   */
  sandbox?: SandboxSetting | Sandbox;
}

/** Per-call options of `CommandRunner.run`. */
export interface CommandRunOptions {
  /** Aborting kills the command's whole process tree; the result has status `cancelled`. */
  signal?: AbortSignal;
  taskId?: string;
}

/** The run_repo_command chokepoint; see `createCommandRunner`. */
export interface CommandRunner {
  readonly baseDir: string;
  readonly events: EventStream;
  readonly auditLog: AuditLog;
  readonly dryRun: boolean;
  /** Runs one command; never throws for bad input (it returns `denied`/`failed` with a reason). */
  run(input: RunRepoCommandInput, options?: CommandRunOptions): Promise<RunRepoCommandResult>;
}
