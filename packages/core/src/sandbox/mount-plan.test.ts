import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mountPlan } from './mount-plan.js';

describe('mountPlan', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mount-plan-'));
    for (const root of ['main/.git', 'main/.git/worktrees/a'])
      await mkdir(join(dir, root), { recursive: true });
    await mkdir(join(dir, 'main/.git/hooks'));
    await writeFile(join(dir, 'main/.git/config'), '');
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  const main = () => join(dir, 'main');
  const mainGit = () => ({ commonDir: join(dir, 'main/.git'), gitDir: join(dir, 'main/.git') });

  it('keeps the git dir inside a writable worktree read-only for commands that only read', () => {
    const mounts = mountPlan({ readable: [], worktree: main(), gitDirs: mainGit(), git: 'read', hidden: [] });
    expect(mounts).toEqual([
      { kind: 'rw', path: main() },
      { kind: 'ro', path: join(dir, 'main/.git') },
    ]);
  });

  it('protects config and hooks of a git dir a command may write', () => {
    const mounts = mountPlan({
      readable: [],
      worktree: main(),
      gitDirs: mainGit(),
      git: 'write',
      hidden: [],
    });
    expect(mounts).toEqual([
      { kind: 'rw', path: main() },
      { kind: 'ro', path: join(dir, 'main/.git/config') },
      { kind: 'ro', path: join(dir, 'main/.git/hooks') },
    ]);
  });

  it('binds what lies under the private /tmp, and leaves out binds of what is read-only already', () => {
    const task = join(dir, 'task');
    const gitDirs = { commonDir: join(dir, 'main/.git'), gitDir: join(dir, 'main/.git/worktrees/a') };
    // The base dir under the private tmp: bound read-only, and the task's git dirs are inside it.
    const underTmp = mountPlan({
      readable: [dir],
      worktree: task,
      gitDirs,
      git: 'read',
      hidden: [],
      privateTmp: dir,
    });
    expect(underTmp).toEqual([
      { kind: 'ro', path: dir },
      { kind: 'rw', path: task },
    ]);
    // The same layout outside /tmp: the read-only root shows all of it already.
    const elsewhere = mountPlan({
      readable: [dir],
      worktree: task,
      gitDirs,
      git: 'read',
      hidden: [],
      privateTmp: '/nowhere',
    });
    expect(elsewhere).toEqual([{ kind: 'rw', path: task }]);
  });

  it('hides secret paths wherever they are visible, and skips those the private /tmp hides already', () => {
    const hidden = [
      { kind: 'hide-dir' as const, path: '/home/user/.ssh' },
      { kind: 'hide-file' as const, path: join(dir, 'main/audit.jsonl') },
      { kind: 'hide-file' as const, path: join(dir, 'elsewhere/journal.json') },
    ];
    const mounts = mountPlan({
      readable: [],
      worktree: main(),
      gitDirs: undefined,
      git: 'read',
      hidden,
      privateTmp: dir,
    });
    expect(mounts).toEqual([{ kind: 'rw', path: main() }, hidden[0], hidden[1]]);
  });

  it('makes the git dirs of a linked worktree writable for a command that writes, their config and hooks not', () => {
    const task = join(dir, 'task');
    const gitDirs = { commonDir: join(dir, 'main/.git'), gitDir: join(dir, 'main/.git/worktrees/a') };
    const mounts = mountPlan({
      readable: [],
      worktree: task,
      gitDirs,
      git: 'write',
      hidden: [],
      privateTmp: '/nowhere',
    });
    expect(mounts).toEqual([
      { kind: 'rw', path: task },
      { kind: 'rw', path: join(dir, 'main/.git') },
      { kind: 'ro', path: join(dir, 'main/.git/config') },
      { kind: 'ro', path: join(dir, 'main/.git/hooks') },
    ]);
  });

  it('does not take a sibling with a common prefix for a child', () => {
    const mounts = mountPlan({
      readable: [],
      worktree: main(),
      gitDirs: undefined,
      git: 'read',
      hidden: [{ kind: 'hide-dir', path: `${main()}-other/.ssh` }],
      privateTmp: dir,
    });
    expect(mounts).toEqual([{ kind: 'rw', path: main() }]);
  });
});
