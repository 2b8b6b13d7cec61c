import { OrchestratorError, type OrchestratorErrorOptions } from '../errors.js';
import { errorMarkerPrefix, hasErrorMarker, markErrorClass } from '../shared/error-marker.js';

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

const marker = Symbol.for(`${errorMarkerPrefix}.WorktreeError`);

/**
 * A worktree operation that could not be done. `kind` is `user` when the caller can fix it (a
 * bad name, uncommitted changes) and `system` when git itself failed.
 */
export class WorktreeError extends OrchestratorError<WorktreeErrorCode> {
  static {
    markErrorClass(WorktreeError, marker);
  }
  /** The worktree name the operation was about. */
  readonly worktree: string;

  constructor(message: string, options: OrchestratorErrorOptions<WorktreeErrorCode> & { worktree: string }) {
    super(message, {
      ...options,
      kind: options.kind ?? (options.code === 'worktree-git-failed' ? 'system' : 'user'),
    });
    this.worktree = options.worktree;
  }

  /** True for a `WorktreeError` from any copy of the package. */
  static override isInstance(value: unknown): value is WorktreeError {
    return hasErrorMarker(value, marker);
  }
}
