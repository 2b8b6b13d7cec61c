import { cp, readFile } from 'node:fs/promises';
import { isAbsolute, join, normalize, sep } from 'node:path';
import { runGit } from '../process/run-git.js';

/** The file in main listing what to copy into new worktrees (gitignore syntax, one pattern a line). */
export const worktreeIncludeFile = '.worktreeinclude';

/** The patterns of `<main>/.worktreeinclude` (blank lines and `#` comments skipped), or none. */
export async function readWorktreeInclude(mainPath: string): Promise<string[]> {
  const text = await readFile(join(mainPath, worktreeIncludeFile), 'utf8').catch(() => '');
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
}

/**
 * Copies into a new worktree the files and folders of main that match `patterns` (default: the
 * lines of `.worktreeinclude`) AND are ignored by the repository's own rules: `.env.local`,
 * generated config. Tracked files come with the branch and untracked, unignored files are the
 * user's work in progress, so neither is copied. The patterns only select (git matches them; no
 * shell), the paths come from git and stay inside main; symlinks are copied as links.
 * `node_modules` is left to `reuseDependencies`. Returns the copied paths, relative.
 */
export async function copyIncludedFiles(input: {
  mainPath: string;
  worktreePath: string;
  patterns?: readonly string[];
  signal?: AbortSignal;
}): Promise<string[]> {
  const patterns = input.patterns ?? (await readWorktreeInclude(input.mainPath));
  if (patterns.length === 0) return [];
  const gitOptions = { cwd: input.mainPath, ...(input.signal ? { signal: input.signal } : {}) };
  const matched = await runGit(
    [
      'ls-files',
      '-z',
      '--others',
      '--ignored',
      '--directory',
      ...patterns.flatMap((pattern) => ['-x', pattern]),
    ],
    gitOptions,
  );
  if (matched.exitCode !== 0) throw new Error(`git ls-files failed: ${matched.stderr.trim()}`);
  const candidates = matched.stdout
    .split('\0')
    .filter((path) => path !== '' && isInside(path) && !/(^|\/)node_modules\/?$/.test(path));
  if (candidates.length === 0) return [];
  const ignored = await runGit(['check-ignore', '--', ...candidates], gitOptions);
  const paths = ignored.stdout.split('\n').filter((path) => candidates.includes(path));
  const copied: string[] = [];
  for (const path of paths) {
    const relative = path.replace(/\/$/, '');
    const target = join(input.worktreePath, relative);
    await cp(join(input.mainPath, relative), target, {
      recursive: true,
      force: false,
      errorOnExist: false,
      preserveTimestamps: true,
      verbatimSymlinks: true,
    });
    copied.push(relative);
  }
  return copied;
}

function isInside(path: string): boolean {
  const normal = normalize(path);
  return (
    !isAbsolute(normal) && normal !== '..' && !normal.startsWith(`..${sep}`) && !normal.startsWith('.git/')
  );
}
