/** The git directories codex must be able to write to for `git commit` to work in a worktree. */
import { isAbsolute, resolve } from 'node:path';
import { runGit } from '../process/run-git.js';

/** A worktree's git dirs; `undefined` when `cwd` is not inside a git work tree. */
export interface GitDirs {
  /** The shared `.git` of the repository (objects, refs). */
  commonDir: string;
  /** This worktree's own git dir (`.git/worktrees/<name>` for a linked worktree; HEAD, index). */
  gitDir: string;
}

/**
 * Finds the git dirs of `cwd`. Under `workspace-write`, codex mounts the worktree's own git dir
 * read-only even inside an `--add-dir` of the common dir (measured with 0.169), so both are
 * needed as writable roots for codex to commit.
 */
export async function findGitDirs(
  cwd: string,
  options: { signal?: AbortSignal } = {},
): Promise<GitDirs | undefined> {
  const result = await runGit(['rev-parse', '--git-common-dir', '--git-dir'], {
    cwd,
    ...(options.signal === undefined ? {} : { signal: options.signal }),
  }).catch(() => undefined);
  if (result === undefined) return undefined;
  if (result.exitCode !== 0) return undefined;
  const [commonDir, gitDir] = result.stdout.split('\n').map((line) => line.trim());
  if (commonDir === undefined || gitDir === undefined || commonDir === '' || gitDir === '') return undefined;
  const absolute = (path: string) => (isAbsolute(path) ? path : resolve(cwd, path));
  return { commonDir: absolute(commonDir), gitDir: absolute(gitDir) };
}

/** The `--add-dir` list for `cwd`: the common dir and, when different, the worktree's git dir. */
export function writableGitDirs(dirs: GitDirs | undefined): string[] {
  if (dirs === undefined) return [];
  return dirs.gitDir === dirs.commonDir ? [dirs.commonDir] : [dirs.commonDir, dirs.gitDir];
}
