/**
 * Test fixture (used by the worker tests only): a real repository `<base>/main` with a bare
 * `origin` and task worktrees next to it, the layout the orchestrator uses.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';

/** A repository in a temp dir; `remove()` deletes everything. */
export interface GitFixture {
  base: string;
  main: string;
  origin: string;
  git(cwd: string, ...args: string[]): Promise<string>;
  /** `git worktree add -b <name> <base>/<name> main`; returns the worktree path. */
  addWorktree(name: string): Promise<string>;
  /** `git for-each-ref` of the bare origin, to prove nothing was pushed. */
  originRefs(): Promise<string>;
  remove(): Promise<void>;
}

/** Creates `<base>/main` (one commit, pushed to `<base>/origin.git`). */
export async function createGitFixture(): Promise<GitFixture> {
  const base = await mkdtemp(join(tmpdir(), 'codex-worker-test-'));
  const main = join(base, 'main');
  const origin = join(base, 'origin.git');
  const git = async (cwd: string, ...args: string[]) =>
    (await execa('git', args, { cwd, stdin: 'ignore' })).stdout;
  await git(base, 'init', '-q', '--bare', origin);
  await git(base, 'init', '-q', '-b', 'main', main);
  await git(main, 'config', 'user.name', 'Test');
  await git(main, 'config', 'user.email', 'test@example.com');
  await git(main, 'commit', '-q', '--allow-empty', '-m', 'initial');
  await git(main, 'remote', 'add', 'origin', origin);
  await git(main, 'push', '-q', 'origin', 'main');
  return {
    base,
    main,
    origin,
    git,
    async addWorktree(name) {
      const path = join(base, name);
      await git(main, 'worktree', 'add', '-q', '-b', name, path, 'main');
      return path;
    },
    originRefs: () => git(origin, 'for-each-ref', '--format=%(refname) %(objectname)'),
    remove: () => rm(base, { recursive: true, force: true }),
  };
}
