import { OrchestratorError, type OrchestratorErrorOptions } from '../errors.js';

/** Why a worktree operation was refused or failed. */
export type WorktreeErrorCode =
  | 'worktree-invalid-name'
  | 'worktree-protected'
  | 'worktree-not-found'
  | 'worktree-path-taken'
  | 'worktree-dirty'
  | 'worktree-locked'
  | 'worktree-invalid-base'
  | 'worktree-invalid-branch'
  | 'worktree-branch-exists'
  | 'worktree-git-failed';

/**
 * A worktree operation that could not be done. `kind` is `user` when the caller can fix it (a
 * bad name, uncommitted changes) and `system` when git itself failed.
 */
export class WorktreeError extends OrchestratorError {
  declare readonly code: WorktreeErrorCode;
  /** The worktree name the operation was about. */
  readonly worktree: string;

  constructor(
    message: string,
    options: Omit<OrchestratorErrorOptions, 'code'> & { code: WorktreeErrorCode; worktree: string },
  ) {
    super(message, {
      ...options,
      kind: options.kind ?? (options.code === 'worktree-git-failed' ? 'system' : 'user'),
    });
    this.worktree = options.worktree;
  }
}
