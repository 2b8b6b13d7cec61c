import { existsSync } from 'node:fs';
import { join, sep } from 'node:path';
import type { GitDirs } from '../worker/git-writable-dirs.js';
import type { SandboxMount } from './bwrap-args.js';

/** The inputs of a sandbox's mounts, every path already resolved (`realpath`). */
export interface MountPlanInput {
  /** Readable paths that may lie under the private `/tmp` (e.g. the base dir). */
  readable: readonly string[];
  /** The writable worktree. */
  worktree: string;
  /** Its git dirs, when it is a git work tree. */
  gitDirs: GitDirs | undefined;
  git: 'read' | 'write';
  /** What to hide, from `hiddenMounts`. */
  hidden: readonly SandboxMount[];
  /** The private tmpfs that replaces the host's (`/tmp`). */
  privateTmp?: string;
}

function isUnder(path: string, root: string): boolean {
  return path === root || path.startsWith(root.endsWith(sep) ? root : root + sep);
}

/**
 * The fewest mounts that give `input`'s layout on top of bwrap's read-only root and private
 * `/tmp`. Every bind costs bubblewrap a parse of the mount table (about 30 system calls each,
 * measured), so a mount that would change nothing is left out:
 * - a bind of a path that has that access already: a read-only one outside `/tmp` and outside
 *   every writable bind (the base dir, a linked worktree's git dirs outside `/tmp`), a writable
 *   one inside a writable bind (the main worktree's `.git`, a linked worktree's git dir inside a
 *   writable common dir);
 * - the read-only binds of `config` and `hooks` inside a git dir that is itself bound read-only;
 * - a hiding mount under the private `/tmp` that no bind makes visible again.
 * Later mounts cover earlier ones, so the order is: readable, worktree, git dirs, their
 * `config`/`hooks`, hidden paths.
 */
export function mountPlan(input: MountPlanInput): SandboxMount[] {
  const privateTmp = input.privateTmp ?? '/tmp';
  const mounts: SandboxMount[] = [];
  // Whether `path` is visible inside at all, and writable, given the mounts so far.
  const state = (path: string): 'hidden' | 'ro' | 'rw' => {
    let result: 'hidden' | 'ro' | 'rw' = isUnder(path, privateTmp) ? 'hidden' : 'ro';
    let depth = -1;
    for (const mount of mounts) {
      if (!isUnder(path, mount.path) || mount.path.length < depth) continue;
      depth = mount.path.length;
      result = mount.kind === 'rw' ? 'rw' : mount.kind === 'ro' ? 'ro' : 'hidden';
    }
    return result;
  };
  const bindReadOnly = (path: string) => {
    if (state(path) !== 'ro') mounts.push({ kind: 'ro', path });
  };
  for (const path of input.readable) bindReadOnly(path);
  mounts.push({ kind: 'rw', path: input.worktree });
  const dirs = input.gitDirs;
  if (dirs !== undefined) {
    const roots = [...new Set([dirs.commonDir, dirs.gitDir])];
    for (const root of roots) {
      const wanted = input.git === 'write' ? 'rw' : 'ro';
      if (state(root) !== wanted) mounts.push({ kind: wanted, path: root });
    }
    // What git would run as code: hooks and config (aliases, filters, core.hooksPath, fsmonitor).
    // Looked up at each call: a hooks dir created by an earlier command is protected from then on.
    for (const root of roots) {
      for (const name of ['config', 'config.worktree', 'hooks']) {
        const path = join(root, name);
        if (state(path) === 'rw' && existsSync(path)) mounts.push({ kind: 'ro', path });
      }
    }
  }
  for (const mount of input.hidden) {
    if (state(mount.path) !== 'hidden') mounts.push(mount);
  }
  return mounts;
}
