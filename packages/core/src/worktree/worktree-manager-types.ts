import type { EventStream } from '../events/event-stream.js';
import type { Sandbox } from '../sandbox/create-sandbox.js';
import type { WorktreeBootstrapOptions, WorktreeBootstrapResult } from './bootstrap-worktree.js';
import type { WorktreeInfo } from './parse-worktree-list.js';
import type { PruneReport } from './prune-worktrees.js';
import type { WorktreeSetupResult } from './run-worktree-setup.js';

/** Options of `createWorktreeManager`. */
export interface WorktreeManagerOptions {
  /** Absolute path of the folder holding the worktrees. */
  baseDir: string;
  /** Directory name of the main worktree (default `main`). */
  mainWorktree?: string;
  /** Where new branches start (default `origin/main` when it exists, else `main`, else main's HEAD). */
  base?: string;
  /** Run with bash in every newly created worktree, with `ROOT` (baseDir) and `WORKTREE` set. */
  setupCommand?: string;
  /**
   * Prepare every new worktree before the setup command: copy main's gitignored files listed in
   * `.worktreeinclude`, reuse main's node_modules, give it a port range (see `bootstrapWorktree`).
   * Off unless given.
   */
  bootstrap?: WorktreeBootstrapOptions;
  /** Limit for the setup command (default 10 minutes). */
  setupTimeoutMs?: number;
  /** The sandbox the setup hook runs in (default: a new one, on). */
  sandbox?: Sandbox;
  /** Receives worktree-create, worktree-remove and (for a failed setup) error events. */
  events?: EventStream;
}

/** Options of `WorktreeManager.create`. */
export interface CreateWorktreeOptions {
  /** Branch to create or check out (default: the worktree name). */
  branch?: string;
  /** Start point of a new branch (default: the manager's base). */
  base?: string;
  /** Run the setup command after creation (default true when one is configured). */
  setup?: boolean;
  taskId?: string;
  signal?: AbortSignal;
}

/** A worktree `create` made or reused. */
export interface CreatedWorktree {
  name: string;
  path: string;
  branch: string;
  base: string;
  /** True when an existing worktree was returned (the setup command does not run again). */
  reused: boolean;
  /** Present when the bootstrap ran. */
  bootstrap?: WorktreeBootstrapResult;
  /** Present when the setup command ran; a failed setup leaves the worktree in place. */
  setup?: WorktreeSetupResult;
}

/** Creates, lists and removes task worktrees of one repository; see `createWorktreeManager`. */
export interface WorktreeManager {
  /** Real path of the base dir. */
  readonly baseDir: string;
  readonly mainWorktree: string;
  readonly mainPath: string;
  /** Creates `<baseDir>/task-<slug>` or reuses it; `nameOrText` is a `task-*` name or free text. */
  create(nameOrText: string, options?: CreateWorktreeOptions): Promise<CreatedWorktree>;
  list(options?: { signal?: AbortSignal }): Promise<WorktreeInfo[]>;
  /** Removes a clean `task-*` worktree (its branch is kept); `force` discards uncommitted changes. */
  remove(
    name: string,
    options?: { force?: boolean; taskId?: string; signal?: AbortSignal },
  ): Promise<WorktreeInfo>;
  /** Start-up clean-up; see `pruneWorktrees`. */
  prune(options?: { taskId?: string; signal?: AbortSignal }): Promise<PruneReport>;
  /** The start point new branches get when none is given. */
  resolveBase(options?: { signal?: AbortSignal }): Promise<string>;
}
