/**
 * The codex run's guard of git metadata and worktrees added meanwhile: another run (or process)
 * on the same repository adds a worktree while codex runs; the guard's restore must leave that
 * worktree's git dir working, and still remove a linked git dir planted to point elsewhere.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestRepository, type TestRepository } from '../worktree/repository.fixture.js';
import { guardGitMetadata } from './git-metadata-guard.js';

let repository: TestRepository;
beforeEach(async () => {
  repository = await createTestRepository();
  await repository.git(['worktree', 'add', '--quiet', '-b', 'task-a', '../task-a', 'main']);
});
afterEach(() => repository.cleanup());

describe('guardGitMetadata with worktrees added during the run', () => {
  it('keeps a worktree another run added meanwhile, removes a planted linked git dir', async () => {
    const commonDir = join(repository.mainPath, '.git');
    const guard = await guardGitMetadata(
      { commonDir, gitDir: join(commonDir, 'worktrees', 'task-a') },
      { persistDir: join(repository.baseDir, 'state') },
    );
    // Another run adds its worktree while this run's codex works.
    await repository.git(['worktree', 'add', '--quiet', '-b', 'task-b', '../task-b', 'main']);
    // A linked git dir pointing elsewhere, as a hostile command could plant it.
    const planted = join(commonDir, 'worktrees', 'evil');
    await mkdir(planted, { recursive: true });
    await writeFile(join(planted, 'commondir'), '/elsewhere\n');
    await writeFile(join(planted, 'gitdir'), '/tmp/elsewhere/.git\n');

    const restored = await guard.restore();
    expect(restored.sort()).toEqual(['.git/worktrees/evil/commondir', '.git/worktrees/evil/gitdir']);
    const status = await execa('git', ['status', '--porcelain'], {
      cwd: join(repository.baseDir, 'task-b'),
      reject: false,
    });
    expect(status.stderr).toBe('');
    expect(status.exitCode).toBe(0);
  });

  it('reports nothing when the only change is a worktree another run added (the codex run is not failed)', async () => {
    const commonDir = join(repository.mainPath, '.git');
    const guard = await guardGitMetadata(
      { commonDir, gitDir: join(commonDir, 'worktrees', 'task-a') },
      { persistDir: join(repository.baseDir, 'state') },
    );
    await repository.git(['worktree', 'add', '--quiet', '-b', 'task-b', '../task-b', 'main']);
    expect(await guard.check()).toEqual([]);
    expect(await guard.restore()).toEqual([]);
  });
});
