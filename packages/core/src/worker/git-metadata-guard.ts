/**
 * Guards the git metadata a sandboxed codex can write once its git dirs are writable roots.
 *
 * Codex needs `.git` (objects, refs, index, HEAD) writable to commit in a worktree, but the same
 * directories hold files that make git run programs: `config` (`core.fsmonitor`, `core.hooksPath`,
 * filter and diff drivers, aliases), `hooks/`, `info/attributes`. A change there would run outside
 * the sandbox the next time the orchestrator runs git. So the worker snapshots those files before
 * a run and puts them back afterwards; any change is reported as an error of the run. The
 * snapshot is also written to the repository's state folder before the run starts, so a restart
 * after a crash restores it (`restorePersistedGitMetadata`) before its first git call.
 */
import { randomBytes } from 'node:crypto';
import { lstat, mkdir, readdir, readFile, realpath, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join, relative } from 'node:path';
import { readDurableJson, writeDurableJson } from '../durability/durable-json.js';
import { currentProcess, isProcessAlive, type ProcessIdentity } from '../durability/process-identity.js';
import { repositoryStateDir } from '../durability/repository-state.js';
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

async function guardedPaths(roots: string[], linkedWorktrees = true): Promise<string[]> {
  const paths = new Set<string>();
  // Every linked worktree's git dir too: rewriting another worktree's `commondir` or `gitdir`
  // would point the orchestrator's next git call there at a config of codex's choosing.
  const linked = linkedWorktrees
    ? await readdir(join(roots[0]!, 'worktrees'), { withFileTypes: true }).catch(() => [])
    : [];
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
  /** Puts back every changed file and forgets the snapshot (also on disk). */
  restore(): Promise<string[]>;
  /** Puts back every changed file and keeps the snapshot, for the next check. */
  check(): Promise<string[]>;
}

/** A snapshot as written to disk (so a restart can restore it after a crash). */
interface PersistedSnapshot extends ProcessIdentity {
  roots: string[];
  linkedWorktrees?: boolean;
  /** Guarded path to base64 content and mode; null: the file did not exist. */
  files: Record<string, { content: string; mode: number } | null>;
}

/**
 * The state folder of the repository whose common git dir is `commonDir`, in the
 * `<baseDir>/main/.git` layout the orchestrator uses; undefined for any other layout.
 */
export function stateDirForCommonDir(commonDir: string): string | undefined {
  if (basename(commonDir) !== '.git') return undefined;
  return repositoryStateDir(dirname(dirname(commonDir)));
}

/**
 * True for the `commondir` or `gitdir` file of a linked worktree's git dir that appeared after the
 * snapshot with exactly what `git worktree add <baseDir>/<name>` writes: the common dir as `../..`
 * and the worktree's own `.git` in the base dir. Such a file points nowhere new; it belongs to a
 * worktree another run (or process) added meanwhile, and removing it would break that worktree
 * ("not a git repository"). Anything else that appeared is removed.
 */
async function isFreshWorktreeLink(commonDir: string, path: string): Promise<boolean> {
  const adminDir = dirname(path);
  if (dirname(adminDir) !== join(commonDir, 'worktrees')) return false;
  const content = (await readFile(path, 'utf8').catch(() => '')).trim();
  if (basename(path) === 'commondir') return content === '../..';
  if (basename(path) !== 'gitdir' || basename(content) !== '.git') return false;
  const [base, worktreeBase] = await Promise.all([
    realpath(dirname(dirname(commonDir))).catch(() => undefined),
    realpath(dirname(dirname(content))).catch(() => undefined),
  ]);
  return base !== undefined && base === worktreeBase;
}

async function restoreFrom(
  roots: string[],
  before: Map<string, FileState | undefined>,
  linkedWorktrees = true,
): Promise<string[]> {
  const restored: string[] = [];
  for (const path of await guardedPaths(roots, linkedWorktrees)) {
    if (!before.has(path)) {
      // Guarded names are listed whether or not they exist: only what is there was added.
      if (!(await lstat(path).catch(() => undefined))) continue;
      if (await isFreshWorktreeLink(roots[0]!, path)) continue;
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
}

/**
 * Restores every snapshot a dead process left in `stateDir` (it crashed while codex or a command
 * ran), with file operations only: call it before the first git call of a run, so git never reads
 * a config or hook planted before the crash. Returns the paths put back.
 */
export async function restorePersistedGitMetadata(stateDir: string): Promise<string[]> {
  const folder = join(stateDir, 'git-guard');
  const names = (await readdir(folder).catch(() => [])).filter((name) => name.endsWith('.json'));
  const restored: string[] = [];
  for (const name of names) {
    const path = join(folder, name);
    const snapshot = await readDurableJson<PersistedSnapshot>(path).catch(() => undefined);
    if (snapshot === undefined) {
      await rm(path, { force: true });
      continue;
    }
    if (isProcessAlive(snapshot)) continue; // its own process restores it
    const before = new Map<string, FileState | undefined>(
      Object.entries(snapshot.files).map(([file, state]) => [
        file,
        state === null ? undefined : { content: Buffer.from(state.content, 'base64'), mode: state.mode },
      ]),
    );
    restored.push(...(await restoreFrom(snapshot.roots, before, snapshot.linkedWorktrees !== false)));
    await rm(path, { force: true });
  }
  return restored;
}

/**
 * Snapshots the guarded git metadata of `dirs` (common dir and the worktree's own git dir).
 *
 * @example
 * const guard = await guardGitMetadata(dirs);
 * try { await runCodex(); } finally { const restored = await guard.restore(); }
 */
export async function guardGitMetadata(
  dirs: GitDirs,
  options: {
    /** Folder to write the snapshot to (default: the repository's state folder, when known). */
    persistDir?: string;
    /**
     * False: only the common dir's own files (config, hooks, attributes), not the git dirs of
     * linked worktrees, which the orchestrator itself adds while the run goes on (run-long guards).
     */
    linkedWorktrees?: boolean;
  } = {},
): Promise<GitMetadataGuard> {
  const roots = dirs.gitDir === dirs.commonDir ? [dirs.commonDir] : [dirs.commonDir, dirs.gitDir];
  const linked = options.linkedWorktrees !== false;
  const before = new Map<string, FileState | undefined>();
  for (const path of await guardedPaths(roots, linked)) before.set(path, await readState(path));
  // On disk before anything runs: if this process dies, the next start restores from it.
  const persistDir = options.persistDir ?? stateDirForCommonDir(dirs.commonDir);
  const persisted =
    persistDir === undefined
      ? undefined
      : join(persistDir, 'git-guard', `${process.pid}-${randomBytes(6).toString('hex')}.json`);
  if (persisted !== undefined) {
    const snapshot: PersistedSnapshot = {
      ...currentProcess(),
      roots,
      linkedWorktrees: linked,
      files: Object.fromEntries(
        [...before].map(([path, state]) => [
          path,
          state === undefined ? null : { content: state.content.toString('base64'), mode: state.mode },
        ]),
      ),
    };
    await writeDurableJson(persisted, snapshot);
  }

  return {
    async restore() {
      const restored = await restoreFrom(roots, before, linked);
      if (persisted !== undefined) await rm(persisted, { force: true });
      return restored;
    },
    check: () => restoreFrom(roots, before, linked),
  };
}
