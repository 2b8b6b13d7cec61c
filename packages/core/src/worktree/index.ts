/** The public part of `worktree/` (worktrees: the manager, its names and errors), re-exported by the package root. */
export type { WorktreeBootstrapOptions, WorktreeBootstrapResult } from './bootstrap-worktree.js';
export { bootstrapWorktree } from './bootstrap-worktree.js';
export { readWorktreeInclude, worktreeIncludeFile } from './copy-included-files.js';
export type { WorktreeInfo } from './parse-worktree-list.js';
export type { PruneReport } from './prune-worktrees.js';
export type { WorktreeSetupResult } from './run-worktree-setup.js';
export { slugifyTaskName } from './slugify-task-name.js';
export { createWorktreeCommandHandler } from './worktree-command-handler.js';
export type { WorktreeErrorCode } from './worktree-error.js';
export { WorktreeError } from './worktree-error.js';
export type {
  CreatedWorktree,
  CreateWorktreeOptions,
  WorktreeManager,
  WorktreeManagerOptions,
} from './worktree-manager.js';
export { createWorktreeManager } from './worktree-manager.js';
export type { WorktreePorts } from './worktree-ports.js';
export { allocateWorktreePorts, readWorktreePorts, worktreePorts } from './worktree-ports.js';
