/**
 * Git lock files left by a git process that was killed (`index.lock`, `HEAD.lock`, ref locks):
 * while one exists every later git write fails. They are removed only once no git process works
 * in the repository any more (an orphaned `git merge` of a dead orchestrator is waited for).
 */
import { readdir, readFile, readlink, rm, stat } from 'node:fs/promises';
import { join, sep } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

const topLevelLocks = [
  'index.lock',
  'HEAD.lock',
  'ORIG_HEAD.lock',
  'MERGE_HEAD.lock',
  'packed-refs.lock',
  'config.lock',
];

async function refLocks(folder: string): Promise<string[]> {
  const entries = await readdir(folder, { withFileTypes: true, recursive: true }).catch(() => []);
  return entries
    .filter((entry) => entry.isFile() && entry.name.endsWith('.lock'))
    .map((entry) => join(entry.parentPath, entry.name));
}

/** Lock files present in the git dir `gitDir` (main's: the common dir). */
export async function findGitLocks(gitDir: string): Promise<string[]> {
  const found: string[] = [];
  for (const name of topLevelLocks) {
    if (await stat(join(gitDir, name)).catch(() => undefined)) found.push(join(gitDir, name));
  }
  return [...found, ...(await refLocks(join(gitDir, 'refs')))];
}

/** Pids of running git processes whose working directory is inside one of `roots` (Linux `/proc`). */
export async function gitProcessesIn(roots: readonly string[]): Promise<number[]> {
  const pids = (await readdir('/proc').catch(() => [])).filter((name) => /^\d+$/.test(name));
  const found: number[] = [];
  for (const pid of pids) {
    const command = await readFile(`/proc/${pid}/comm`, 'utf8').catch(() => '');
    if (!command.startsWith('git')) continue;
    const cwd = await readlink(`/proc/${pid}/cwd`).catch(() => '');
    if (roots.some((root) => cwd === root || cwd.startsWith(`${root}${sep}`))) found.push(Number(pid));
  }
  return found;
}

/**
 * Waits (at most `waitMs`, default 30 s) for git processes working in `roots` to end, then removes
 * the lock files of `gitDir` that remain, and returns their paths.
 */
export async function clearStaleGitLocks(
  gitDir: string,
  roots: readonly string[],
  options: { waitMs?: number } = {},
): Promise<string[]> {
  let locks = await findGitLocks(gitDir);
  if (locks.length === 0) return [];
  const deadline = Date.now() + (options.waitMs ?? 30_000);
  while ((await gitProcessesIn(roots)).length > 0 && Date.now() < deadline) await sleep(100);
  if ((await gitProcessesIn(roots)).length > 0) return [];
  locks = await findGitLocks(gitDir);
  for (const lock of locks) await rm(lock, { force: true });
  return locks;
}
