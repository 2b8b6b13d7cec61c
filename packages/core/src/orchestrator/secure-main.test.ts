import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { OrchestratorEventInput } from '../events.js';
import { createTestRepository, type TestRepository } from '../worktree/repository.fixture.js';
import { createRepositoryGit } from './repository-git.js';
import { secureMain } from './secure-main.js';

let repository: TestRepository;
let emitted: OrchestratorEventInput[];
const emit = (event: OrchestratorEventInput) => void emitted.push(event);

beforeEach(async () => {
  repository = await createTestRepository();
  emitted = [];
});
afterEach(() => repository.cleanup());

describe('secureMain', () => {
  it('does nothing to a main already at the target', async () => {
    const git = createRepositoryGit(repository.mainPath);
    expect(await secureMain(git, await git.head(), { emit, reason: 'check' })).toEqual([]);
    expect(emitted).toEqual([]);
  });

  it('aborts a merge left in progress and keeps the target commit', async () => {
    const git = createRepositoryGit(repository.mainPath);
    const start = await git.head();
    await repository.git(['checkout', '--quiet', '-b', 'task-x']);
    await writeFile(join(repository.mainPath, 'README.md'), 'x\n');
    await repository.git(['commit', '--quiet', '-am', 'x']);
    await repository.git(['checkout', '--quiet', 'main']);
    await writeFile(join(repository.mainPath, 'README.md'), 'y\n');
    await repository.git(['commit', '--quiet', '-am', 'y']);
    const onMain = await git.head();
    await repository.git(['merge', 'task-x']).catch(() => undefined);
    expect(await git.mergeInProgress()).toBe(true);

    const repairs = await secureMain(git, onMain, { emit, reason: 'end of run' });
    expect(repairs).toContain('aborted a merge in progress');
    expect(await git.mergeInProgress()).toBe(false);
    expect(await git.status()).toEqual([]);
    expect(await git.head()).toBe(onMain);
    expect(start).not.toBe(onMain);
  });

  it('moves main back, keeping stray commits on a rescue branch and changes in a stash', async () => {
    const git = createRepositoryGit(repository.mainPath);
    const start = await git.head();
    await writeFile(join(repository.mainPath, 'stray.txt'), 'committed in main by mistake\n');
    await repository.git(['add', '-A']);
    await repository.git(['commit', '--quiet', '-m', 'stray']);
    const stray = await git.head();
    await writeFile(join(repository.mainPath, 'README.md'), 'uncommitted edit\n');

    const repairs = await secureMain(git, start, { emit, reason: 'end of run' });
    expect(await git.head()).toBe(start);
    expect(await git.status()).toEqual([]);
    const rescue = emitted.find((event) => event.type === 'main-restore');
    expect(rescue).toMatchObject({ type: 'main-restore', from: stray, to: start });
    const rescueBranch = (rescue as { rescueBranch?: string }).rescueBranch ?? '';
    expect(rescueBranch).toMatch(/^orchestrator-rescue\//);
    expect((await repository.git(['rev-parse', rescueBranch])).trim()).toBe(stray);
    expect(await repository.git(['stash', 'list'])).toContain('codex-orchestrator');
    expect(repairs.join('\n')).toContain('stashed uncommitted changes');
  });
});
