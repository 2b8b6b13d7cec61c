import { basename } from 'node:path';

/** One worktree as `git worktree list` reports it. */
export interface WorktreeInfo {
  /** The directory name (`main`, `task-users-search`). */
  name: string;
  /** Absolute path. */
  path: string;
  /** Checked-out branch (short name), absent when detached or bare. */
  branch?: string;
  /** Commit checked out. */
  head?: string;
  /** True for the worktree the manager treats as main. */
  main: boolean;
  detached: boolean;
  bare: boolean;
  locked: boolean;
  /** The reason given with the lock (`initializing` while `git worktree add` fills the folder). */
  lockReason?: string;
  /** Git reports the directory as gone. */
  prunable: boolean;
}

/** Parses `git worktree list --porcelain -z`. */
export function parseWorktreeList(output: string, mainPath: string): WorktreeInfo[] {
  const worktrees: WorktreeInfo[] = [];
  let current: WorktreeInfo | undefined;
  for (const field of output.split('\0')) {
    if (field === '') {
      current = undefined;
      continue;
    }
    const space = field.indexOf(' ');
    const key = space === -1 ? field : field.slice(0, space);
    const value = space === -1 ? '' : field.slice(space + 1);
    if (key === 'worktree') {
      current = {
        name: basename(value),
        path: value,
        main: value === mainPath,
        detached: false,
        bare: false,
        locked: false,
        prunable: false,
      };
      worktrees.push(current);
    } else if (current) {
      if (key === 'HEAD') current.head = value;
      else if (key === 'branch') current.branch = value.replace(/^refs\/heads\//, '');
      else if (key === 'detached') current.detached = true;
      else if (key === 'bare') current.bare = true;
      else if (key === 'locked') {
        current.locked = true;
        if (value !== '') current.lockReason = value;
      } else if (key === 'prunable') current.prunable = true;
    }
  }
  return worktrees;
}
