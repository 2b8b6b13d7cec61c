import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { taskOutcomeExitCodes, taskOutcomes } from '../types.js';
import { createTestRepository, type TestRepository } from '../worktree/test-repository.js';
import type { MainGuardResult } from './guard-main.js';
import { createRepositoryGit, type RepositoryGit } from './repository-git.js';
import { mergeOutcome } from './run-outcome.js';

let repository: TestRepository;
let git: RepositoryGit;
beforeEach(async () => {
  repository = await createTestRepository();
  git = createRepositoryGit(repository.mainPath);
});
afterEach(() => repository.cleanup());

async function branchWithWork(name: string): Promise<string> {
  await repository.git(['worktree', 'add', '--quiet', '-b', name, `../${name}`, 'main']);
  await writeFile(join(repository.baseDir, name, `${name}.txt`), 'x\n');
  await repository.git(['add', '-A'], name);
  await repository.git(['commit', '--quiet', '-m', name], name);
  return (await repository.git(['rev-parse', 'HEAD'], name)).trim();
}

async function merge(branch: string) {
  await repository.git(['merge', '--quiet', '--no-ff', '-m', `merge ${branch}`, branch]);
  const mergeCommit = await git.head();
  return {
    branch,
    branchCommit: await git.check(['rev-parse', branch]).then((text) => text.trim()),
    mergeCommit,
  };
}

const guard = async (state: MainGuardResult['state'] = 'merged'): Promise<MainGuardResult> => ({
  mainCommit: await git.head(),
  state,
  repairs: state === 'unsafe' ? ['end-of-run check failed: boom'] : [],
});

describe('mergeOutcome', () => {
  it('completed only when every task branch with work is in main; partly / nothing merged otherwise', async () => {
    await branchWithWork('task-a');
    await branchWithWork('task-b');
    await repository.git(['branch', 'task-empty', 'main']); // created, never used: not work
    expect(
      await mergeOutcome({
        mainGit: git,
        guard: await guard('start'),
        branches: ['task-a', 'task-b', 'task-empty'],
        merged: [],
      }),
    ).toEqual({ status: 'nothing-merged', error: expect.stringMatching(/task-a, task-b/) });
    const a = await merge('task-a');
    expect(
      await mergeOutcome({
        mainGit: git,
        guard: await guard(),
        branches: ['task-a', 'task-b', 'task-empty'],
        merged: [a],
      }),
    ).toEqual({ status: 'partly-merged', error: expect.stringMatching(/Not merged into main: task-b/) });
    const b = await merge('task-b');
    expect(
      await mergeOutcome({
        mainGit: git,
        guard: await guard(),
        branches: ['task-a', 'task-b', 'task-empty'],
        merged: [a, b],
      }),
    ).toEqual({ status: 'completed' });
  });

  it('fails when main is unsafe or lacks a branch the queue reported merged', async () => {
    const start = await git.head();
    await branchWithWork('task-a');
    const a = await merge('task-a');
    expect(
      (await mergeOutcome({ mainGit: git, guard: await guard('unsafe'), branches: ['task-a'], merged: [a] }))
        .status,
    ).toBe('failed');
    await repository.git(['reset', '--quiet', '--hard', start]);
    expect(
      await mergeOutcome({ mainGit: git, guard: await guard(), branches: ['task-a'], merged: [a] }),
    ).toEqual({
      status: 'failed',
      error: expect.stringMatching(/does not hold task-a/),
    });
  });

  it('gives every status its own exit code, 0 only for completed', () => {
    const codes = taskOutcomes.map((outcome) => taskOutcomeExitCodes[outcome]);
    expect(new Set(codes).size).toBe(taskOutcomes.length);
    expect(taskOutcomes.filter((outcome) => taskOutcomeExitCodes[outcome] === 0)).toEqual(['completed']);
  });
});
