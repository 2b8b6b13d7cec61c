import { constants } from 'node:fs';
import { cp, readFile, rm, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { runGit } from '../process/run-git.js';
import { startProcess } from '../process/start-process.js';

/** Runs `cp` (argv, no shell) through core's one process home; rejects unless it exits 0. */
async function copyCommand(args: readonly string[]): Promise<void> {
  const child = startProcess({
    file: 'cp',
    args,
    cwd: '/',
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin' },
  });
  child.stdout.resume();
  child.stderr.resume();
  const outcome = await child.done;
  if (outcome.exitCode !== 0)
    throw new Error(`cp ${args.join(' ')} failed (${outcome.spawnError ?? `exit ${outcome.exitCode}`})`);
}

/** Files whose contents decide what `node_modules` holds; they must match between main and the worktree. */
const manifestFiles = [
  'package.json',
  'package-lock.json',
  'npm-shrinkwrap.json',
  'yarn.lock',
  'pnpm-lock.yaml',
  'bun.lock',
  'bun.lockb',
];

/** How `reuseDependencies` went. */
export interface ReusedDependencies {
  /** `node_modules` folders now in the worktree, relative to it. */
  paths: string[];
  method: 'reflink' | 'hardlink' | 'copy' | 'none';
  /** Why nothing was reused. */
  skipped?: string;
}

/**
 * Gives a new worktree main's installed dependencies: every gitignored `node_modules` folder of
 * main whose package.json and lockfiles are the same in the worktree, as a copy-on-write clone
 * (`cp --reflink=always`, btrfs/xfs/APFS-like file systems), else hard links (`cp -al`, one
 * directory walk, no file data copied), else a plain copy. Relative symlinks (workspace packages,
 * `.bin`) keep pointing inside the worktree. Folders that already exist are left alone.
 */
export async function reuseDependencies(input: {
  mainPath: string;
  worktreePath: string;
  signal?: AbortSignal;
}): Promise<ReusedDependencies> {
  const gitOptions = { cwd: input.mainPath, ...(input.signal ? { signal: input.signal } : {}) };
  const listed = await runGit(
    ['ls-files', '-z', '--others', '--ignored', '--exclude-standard', '--directory'],
    gitOptions,
  );
  if (listed.exitCode !== 0) throw new Error(`git ls-files failed: ${listed.stderr.trim()}`);
  const folders = listed.stdout
    .split('\0')
    .filter((path) => /(^|\/)node_modules\/$/.test(path) && !path.startsWith('../'))
    .map((path) => path.slice(0, -1));
  if (folders.length === 0)
    return { paths: [], method: 'none', skipped: 'main has no gitignored node_modules' };
  const paths: string[] = [];
  let method: ReusedDependencies['method'] = 'none';
  const mismatched: string[] = [];
  for (const folder of folders) {
    const owner = dirname(folder);
    const changed = await firstChangedManifest(join(input.mainPath, owner), join(input.worktreePath, owner));
    if (changed !== undefined) {
      mismatched.push(join(owner, changed));
      continue;
    }
    const target = join(input.worktreePath, folder);
    if (await stat(target).catch(() => undefined)) continue;
    method = await cloneTree(join(input.mainPath, folder), target, method);
    paths.push(folder);
  }
  if (paths.length === 0 && mismatched.length > 0) {
    return { paths, method: 'none', skipped: `${mismatched.join(', ')} differ from main` };
  }
  return { paths, method };
}

async function firstChangedManifest(mainFolder: string, worktreeFolder: string): Promise<string | undefined> {
  for (const name of manifestFiles) {
    const [left, right] = await Promise.all([
      readFile(join(mainFolder, name)).catch(() => undefined),
      readFile(join(worktreeFolder, name)).catch(() => undefined),
    ]);
    if (left === undefined && right === undefined) continue;
    if (left === undefined || right === undefined || !left.equals(right)) return name;
  }
  return undefined;
}

/** Clones `source` to `target` with the cheapest method that works here (tried once, then kept). */
async function cloneTree(
  source: string,
  target: string,
  known: ReusedDependencies['method'],
): Promise<Exclude<ReusedDependencies['method'], 'none'>> {
  const attempts: Exclude<ReusedDependencies['method'], 'none'>[] =
    known === 'none' ? ['reflink', 'hardlink', 'copy'] : [known];
  for (const method of attempts) {
    try {
      if (method === 'copy') {
        await cp(source, target, {
          recursive: true,
          verbatimSymlinks: true,
          mode: constants.COPYFILE_FICLONE,
        });
      } else if (method === 'reflink') {
        // One file first: where cloning is unsupported, cp would fail on every file of the tree.
        const probe = `${target}.reflink-probe`;
        try {
          await copyCommand(['--reflink=always', join(source, '..', 'package.json'), probe]);
        } finally {
          await rm(probe, { force: true });
        }
        await copyCommand(['-a', '--reflink=always', source, target]);
      } else {
        await copyCommand(['-al', source, target]);
      }
      return method;
    } catch {
      await rm(target, { recursive: true, force: true });
    }
  }
  throw new Error(`could not copy ${source}`);
}
