/**
 * Test support (not exported): a throwaway base dir with a real git repository checked out as its
 * `main` worktree.
 */
import { mkdir, mkdtemp, realpath, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';

/** A temporary `baseDir` holding `main`, plus helpers. */
export interface TestRepository {
  /** Real path of the base dir. */
  baseDir: string;
  mainPath: string;
  /** Runs git in a directory of the base dir (default `main`) and returns stdout. */
  git(args: string[], worktree?: string): Promise<string>;
  cleanup(): Promise<void>;
}

const identity = {
  GIT_AUTHOR_NAME: 'Test',
  GIT_AUTHOR_EMAIL: 'test@example.com',
  GIT_COMMITTER_NAME: 'Test',
  GIT_COMMITTER_EMAIL: 'test@example.com',
};

/**
 * Creates `<tmp>/main` with one commit on `main` (plus `files` extra files in that commit).
 * With `origin: true`, a bare clone is added as `origin` and fetched, so `origin/main` exists.
 */
export async function createTestRepository(
  options: { files?: number; origin?: boolean } = {},
): Promise<TestRepository> {
  const baseDir = await realpath(await mkdtemp(join(tmpdir(), 'orchestrator-repo-')));
  const mainPath = join(baseDir, 'main');
  const git = async (args: string[], worktree = 'main') =>
    (await execa('git', args, { cwd: join(baseDir, worktree), env: identity })).stdout;
  await mkdir(mainPath);
  await git(['init', '--quiet', '--initial-branch=main']);
  await git(['config', 'user.name', 'Test']);
  await git(['config', 'user.email', 'test@example.com']);
  await writeFile(join(mainPath, 'README.md'), '# test\n');
  if (options.files) {
    const perDirectory = 500;
    for (let index = 0; index < options.files; index += perDirectory) {
      const directory = join(mainPath, 'src', `d${index / perDirectory}`);
      await mkdir(directory, { recursive: true });
      const count = Math.min(perDirectory, options.files - index);
      await Promise.all(
        Array.from({ length: count }, (_, offset) =>
          writeFile(join(directory, `f${offset}.txt`), `file ${index + offset}\n`),
        ),
      );
    }
  }
  await git(['add', '-A']);
  await git(['commit', '--quiet', '-m', 'initial']);
  if (options.origin) {
    await execa('git', ['clone', '--quiet', '--bare', mainPath, join(baseDir, 'origin.git')]);
    await git(['remote', 'add', 'origin', join(baseDir, 'origin.git')]);
    await git(['fetch', '--quiet', 'origin']);
  }
  return {
    baseDir,
    mainPath,
    git,
    cleanup: () => rm(baseDir, { recursive: true, force: true }),
  };
}
