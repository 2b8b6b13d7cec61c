/**
 * Guards the git metadata a sandboxed codex can write once its git dirs are writable roots.
 *
 * Codex needs `.git` (objects, refs, index, HEAD) writable to commit in a worktree, but the same
 * directories hold files that make git run programs: `config` (`core.fsmonitor`, `core.hooksPath`,
 * filter and diff drivers, aliases), `hooks/`, `info/attributes`. A change there would run outside
 * the sandbox the next time the orchestrator runs git. So the worker snapshots those files before
 * a run and puts them back afterwards; any change is reported as an error of the run.
 */
import { lstat, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import type { GitDirs } from './git-writable-dirs.js';

interface FileState {
  content: Buffer;
  mode: number;
}

/** Files (relative to a git dir) whose change can make git execute something or look elsewhere. */
const guardedFiles = ['config', 'config.worktree', 'info/attributes', 'commondir', 'gitdir'];
/** Directories whose every file is guarded, recursively. */
const guardedDirectories = ['hooks'];

async function readState(path: string): Promise<FileState | undefined> {
  try {
    const stats = await lstat(path);
    if (!stats.isFile()) return undefined;
    return { content: await readFile(path), mode: stats.mode & 0o777 };
  } catch {
    return undefined;
  }
}

async function listFiles(directory: string): Promise<string[]> {
  const entries = await readdir(directory, { withFileTypes: true, recursive: true }).catch(() => []);
  return entries
    .filter((entry) => !entry.isDirectory())
    .map((entry) => join(entry.parentPath ?? directory, entry.name));
}

async function guardedPaths(roots: string[]): Promise<string[]> {
  const paths = new Set<string>();
  // Every linked worktree's git dir too: rewriting another worktree's `commondir` or `gitdir`
  // would point the orchestrator's next git call there at a config of codex's choosing.
  const linked = await readdir(join(roots[0]!, 'worktrees'), { withFileTypes: true }).catch(() => []);
  const all = [
    ...roots,
    ...linked.filter((entry) => entry.isDirectory()).map((entry) => join(roots[0]!, 'worktrees', entry.name)),
  ];
  for (const root of all) {
    for (const file of guardedFiles) paths.add(join(root, file));
    for (const directory of guardedDirectories) {
      for (const file of await listFiles(join(root, directory))) paths.add(file);
    }
  }
  return [...paths];
}

/** A snapshot taken before a run; `restore()` undoes every change and names what it undid. */
export interface GitMetadataGuard {
  restore(): Promise<string[]>;
}

/**
 * Snapshots the guarded git metadata of `dirs` (common dir and the worktree's own git dir).
 *
 * @example
 * const guard = await guardGitMetadata(dirs);
 * try { await runCodex(); } finally { const restored = await guard.restore(); }
 */
export async function guardGitMetadata(dirs: GitDirs): Promise<GitMetadataGuard> {
  const roots = dirs.gitDir === dirs.commonDir ? [dirs.commonDir] : [dirs.commonDir, dirs.gitDir];
  const before = new Map<string, FileState | undefined>();
  for (const path of await guardedPaths(roots)) before.set(path, await readState(path));

  return {
    async restore() {
      const restored: string[] = [];
      for (const path of await guardedPaths(roots)) {
        if (!before.has(path)) {
          await rm(path, { force: true, recursive: true });
          restored.push(path);
        }
      }
      for (const [path, state] of before) {
        const now = await readState(path);
        if (state === undefined) {
          if (now !== undefined) {
            await rm(path, { force: true });
            restored.push(path);
          }
          continue;
        }
        if (now !== undefined && now.mode === state.mode && now.content.equals(state.content)) continue;
        await rm(path, { force: true, recursive: true });
        await mkdir(join(path, '..'), { recursive: true });
        await writeFile(path, state.content, { mode: state.mode });
        restored.push(path);
      }
      return restored.sort().map((path) => relative(join(roots[0]!, '..'), path));
    },
  };
}
