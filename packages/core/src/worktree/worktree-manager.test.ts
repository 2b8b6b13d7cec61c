import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { repositoryStateDir } from '../durability/repository-state.js';
import { registerLiveTask } from '../durability/worktree-owners.js';
import { createEventStream } from '../events/event-stream.js';
import type { OrchestratorEvent } from '../events.js';
import { createTestRepository, type TestRepository } from './repository.fixture.js';
import { WorktreeError } from './worktree-error.js';
import { createWorktreeManager, type WorktreeManagerOptions } from './worktree-manager.js';

const repositories: TestRepository[] = [];
afterEach(async () => {
  await Promise.all(repositories.splice(0).map((repository) => repository.cleanup()));
});

async function setup(options: { origin?: boolean } & Partial<WorktreeManagerOptions> = {}) {
  const repository = await createTestRepository({ origin: options.origin ?? false });
  repositories.push(repository);
  const events = createEventStream();
  const seen: OrchestratorEvent[] = [];
  events.onAny((event) => void seen.push(event));
  const manager = createWorktreeManager({ baseDir: repository.baseDir, events, ...options });
  return { repository, manager, seen };
}

describe('createWorktreeManager: create', () => {
  it('creates task-<slug> from origin/main when it exists, and reuses it idempotently', async () => {
    const { repository, manager, seen } = await setup({ origin: true });
    const originHead = await repository.git(['rev-parse', 'origin/main']);
    await writeFile(join(repository.mainPath, 'local.txt'), 'not pushed\n');
    await repository.git(['add', 'local.txt']);
    await repository.git(['commit', '-q', '-m', 'local only']);

    const created = await manager.create('Add users search!', { taskId: 't1' });
    expect(created).toEqual({
      name: 'task-add-users-search',
      path: join(repository.baseDir, 'task-add-users-search'),
      branch: 'task-add-users-search',
      base: 'origin/main',
      reused: false,
    });
    expect(await repository.git(['rev-parse', 'HEAD'], created.name)).toBe(originHead);
    expect(await repository.git(['branch', '--show-current'], created.name)).toBe('task-add-users-search');
    // --no-track: no upstream config was written for the new branch.
    expect(await repository.git(['config', '--get-regexp', '^branch\\.task-']).catch(() => '')).toBe('');

    const again = await manager.create('task-add-users-search');
    expect(again).toMatchObject({ name: created.name, reused: true });
    expect(
      seen.map((event) => event.type === 'worktree-create' && [event.worktree, event.reused, event.taskId]),
    ).toEqual([
      ['task-add-users-search', false, 't1'],
      ['task-add-users-search', true, undefined],
    ]);
    const listed = await manager.list();
    expect(listed.map((worktree) => [worktree.name, worktree.branch, worktree.main])).toEqual([
      ['main', 'main', true],
      ['task-add-users-search', 'task-add-users-search', false],
    ]);
  });

  it('starts from main without an origin, and never takes over a branch it did not create', async () => {
    const { repository, manager } = await setup();
    expect(await manager.resolveBase()).toBe('main');
    await repository.git(['branch', 'task-existing']);
    const userBranch = (await repository.git(['rev-parse', 'task-existing'])).trim();
    await expect(manager.create('task-existing')).rejects.toMatchObject({
      code: 'worktree-branch-exists',
      message: expect.stringMatching(/Branch task-existing already exists.*task-existing-2/),
    });
    expect(existsSync(join(repository.baseDir, 'task-existing'))).toBe(false);
    expect((await repository.git(['rev-parse', 'task-existing'])).trim()).toBe(userBranch);
  });

  it('checks out again a branch it created once its worktree was removed (a resumed run)', async () => {
    const { repository, manager } = await setup();
    const first = await manager.create('task-again');
    expect(first.reused).toBe(false);
    await manager.remove('task-again');
    const second = await manager.create('task-again');
    expect(second).toMatchObject({ branch: 'task-again', reused: false });
    expect(await repository.git(['branch', '--show-current'], 'task-again')).toBe('task-again');
  });

  it('recreates a half-created worktree (an add killed mid-checkout) instead of reusing it', async () => {
    const { repository, manager } = await setup();
    const first = await manager.create('task-half');
    // What a SIGKILL during `git worktree add` leaves: git's "initializing" lock, no index, and
    // only part of the files (a commit there would delete the rest).
    await repository.git(['worktree', 'lock', '--reason', 'initializing', first.path]);
    await rm(join(repository.mainPath, '.git', 'worktrees', 'task-half', 'index'));
    await rm(join(first.path, 'README.md'));
    const second = await manager.create('task-half');
    expect(second).toMatchObject({ branch: 'task-half', reused: false });
    expect(await repository.git(['status', '--porcelain'], 'task-half')).toBe('');
    expect(existsSync(join(first.path, 'README.md'))).toBe(true);
    expect(await repository.git(['worktree', 'list', '--porcelain'])).not.toContain('initializing');
  });

  it('refuses a taken path, a bad branch name and a base that is not a commit', async () => {
    const { repository, manager } = await setup();
    await mkdir(join(repository.baseDir, 'task-taken'));
    await expect(manager.create('task-taken')).rejects.toMatchObject({ code: 'worktree-path-taken' });
    await expect(manager.create('x', { branch: '../evil' })).rejects.toMatchObject({
      code: 'worktree-invalid-branch',
    });
    await expect(manager.create('x', { base: '--upload-pack=evil' })).rejects.toMatchObject({
      code: 'worktree-invalid-base',
    });
    await expect(manager.create('x', { base: 'no-such-branch' })).rejects.toBeInstanceOf(WorktreeError);
    expect(existsSync(join(repository.baseDir, 'task-x'))).toBe(false);
  });

  it('creates 8 worktrees in parallel (plus duplicates) without colliding', async () => {
    const { repository, manager } = await setup({ origin: true });
    const names = Array.from({ length: 8 }, (_, index) => `parallel task ${index}`);
    const results = await Promise.all([...names, ...names.slice(0, 3)].map((name) => manager.create(name)));
    expect(results.filter((result) => !result.reused)).toHaveLength(8);
    expect(new Set(results.map((result) => result.name)).size).toBe(8);
    const listed = await repository.git(['worktree', 'list', '--porcelain']);
    for (let index = 0; index < 8; index++)
      expect(listed).toContain(`branch refs/heads/task-parallel-task-${index}`);
    expect(await repository.git(['worktree', 'list'])).not.toContain('prunable');
  });

  it('retries while another process holds a git lock file', async () => {
    const { repository, manager } = await setup();
    const lock = join(repository.mainPath, '.git', 'refs', 'heads', 'task-locked.lock');
    await writeFile(lock, '');
    const creating = manager.create('task-locked');
    await sleep(300);
    await rm(lock);
    expect(await creating).toMatchObject({ name: 'task-locked', reused: false });
  });
});

describe('createWorktreeManager: setup hook', () => {
  it('runs the setup command in the new worktree with ROOT, WORKTREE and noPushEnv', async () => {
    const setupCommand = 'printf "%s|%s|%s" "$ROOT" "$WORKTREE" "$GIT_CONFIG_COUNT" > setup.txt';
    const { repository, manager } = await setup({ setupCommand });
    const created = await manager.create('with setup');
    expect(created.setup).toMatchObject({ ok: true, exitCode: 0 });
    const [root, worktree, count] = (await readFile(join(created.path, 'setup.txt'), 'utf8')).split('|');
    expect([root, worktree]).toEqual([repository.baseDir, created.path]);
    expect(Number(count)).toBeGreaterThan(0);
    expect((await manager.create('with setup')).setup).toBeUndefined();
  });

  it('reports a failing setup clearly and keeps the worktree', async () => {
    const { manager, seen } = await setup({ setupCommand: 'echo "no node_modules" >&2; exit 3' });
    const created = await manager.create('broken setup');
    expect(created.setup).toMatchObject({ ok: false, exitCode: 3, error: 'the setup command exited with 3' });
    expect(created.setup?.output).toContain('no node_modules');
    expect(existsSync(created.path)).toBe(true);
    expect(seen.find((event) => event.type === 'error')).toMatchObject({ code: 'worktree-setup-failed' });
  });
});

describe('createWorktreeManager: remove and prune', () => {
  it('removes a clean task worktree, refuses a dirty one unless forced, and never main', async () => {
    const { repository, manager, seen } = await setup();
    const clean = await manager.create('clean one');
    const dirty = await manager.create('dirty one');
    await writeFile(join(dirty.path, 'work.txt'), 'unsaved\n');

    await expect(manager.remove('main')).rejects.toMatchObject({ code: 'worktree-protected' });
    await expect(manager.remove('../main')).rejects.toMatchObject({ code: 'worktree-invalid-name' });
    await expect(manager.remove('task-missing')).rejects.toMatchObject({ code: 'worktree-not-found' });
    await expect(manager.remove(dirty.name)).rejects.toThrow(/uncommitted changes \(\?\? work\.txt\)/);
    expect(existsSync(dirty.path)).toBe(true);

    await manager.remove(clean.name);
    await manager.remove(dirty.name, { force: true });
    expect(existsSync(clean.path) || existsSync(dirty.path)).toBe(false);
    expect(await repository.git(['branch', '--list', 'task-clean-one'])).toContain('task-clean-one');
    expect(seen.filter((event) => event.type === 'worktree-remove')).toHaveLength(2);
  });

  it('prunes missing and merged clean worktrees and keeps anything with unmerged or uncommitted work', async () => {
    const { repository, manager, seen } = await setup();
    const merged = await manager.create('merged');
    await writeFile(join(merged.path, 'merged.txt'), 'done\n');
    await repository.git(['add', 'merged.txt'], merged.name);
    await repository.git(['commit', '-q', '-m', 'merged work'], merged.name);
    await repository.git(['merge', '-q', '--no-ff', '-m', 'merge', merged.branch]);
    const unmerged = await manager.create('unmerged');
    await writeFile(join(unmerged.path, 'wip.txt'), 'wip\n');
    await repository.git(['add', 'wip.txt'], unmerged.name);
    await repository.git(['commit', '-q', '-m', 'unmerged work'], unmerged.name);
    const dirty = await manager.create('dirty');
    await writeFile(join(dirty.path, 'scratch.txt'), 'untracked\n');
    const gone = await manager.create('gone');
    await rm(gone.path, { recursive: true, force: true });

    const report = await manager.prune();
    expect(report.missing).toEqual([gone.path]);
    expect(report.removed).toEqual(['task-merged']);
    expect(report.deletedBranches).toEqual(['task-merged']);
    expect(report.kept.sort((a, b) => a.name.localeCompare(b.name))).toEqual([
      { name: 'task-dirty', reason: 'uncommitted changes' },
      { name: 'task-unmerged', reason: 'branch task-unmerged has commits not merged into main' },
    ]);
    expect(existsSync(merged.path)).toBe(false);
    expect(await repository.git(['log', '-1', '--format=%s', 'task-unmerged'])).toBe('unmerged work');
    expect(existsSync(join(dirty.path, 'scratch.txt'))).toBe(true);
    expect(await repository.git(['worktree', 'list'])).not.toContain('task-gone');
    expect(
      seen
        .filter((event) => event.type === 'worktree-remove')
        .map((event) => event.type === 'worktree-remove' && event.reason),
    ).toEqual(['pruned', 'pruned']);
  });

  it('never prunes a worktree a live run owns, in this process or another', async () => {
    const { repository, manager } = await setup();
    const unregister = registerLiveTask('run-a');
    try {
      await manager.create('ours', { taskId: 'run-a' });
      await manager.create('theirs', { taskId: 'run-x' });
      const stateDir = repositoryStateDir(repository.baseDir);
      const record = JSON.parse(readFileSync(join(stateDir, 'worktrees', 'task-theirs.json'), 'utf8'));
      writeFileSync(
        join(stateDir, 'worktrees', 'task-theirs.json'),
        JSON.stringify({ ...record, pid: process.ppid, start: null }),
      );
      const report = await manager.prune({ taskId: 'run-b' });
      expect(report.removed).toEqual([]);
      expect(report.kept.sort((a, b) => a.name.localeCompare(b.name))).toEqual([
        { name: 'task-ours', reason: 'in use by run run-a of this process' },
        { name: 'task-theirs', reason: `in use by process ${process.ppid} (run run-x)` },
      ]);
    } finally {
      unregister();
    }
    const later = await manager.prune({ taskId: 'run-b' });
    expect(later.removed).toEqual(['task-ours']);
    expect(existsSync(join(repository.baseDir, 'task-theirs'))).toBe(true);
  });
});
