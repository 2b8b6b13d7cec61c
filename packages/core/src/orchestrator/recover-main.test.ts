import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createMainLedgerStore, type MainLedgerStore, type MergeIntent } from '../durability/main-ledger.js';
import { repositoryStateDir } from '../durability/repository-state.js';
import type { OrchestratorEventInput } from '../events.js';
import { createTestRepository, type TestRepository } from '../worktree/test-repository.js';
import { recoverMain } from './recover-main.js';
import { createRepositoryGit, type RepositoryGit } from './repository-git.js';

let repository: TestRepository;
let git: RepositoryGit;
let ledger: MainLedgerStore;
let start: string;
const emitted: OrchestratorEventInput[] = [];
const emit = (event: OrchestratorEventInput) => void emitted.push(event);

beforeEach(async () => {
  repository = await createTestRepository();
  git = createRepositoryGit(repository.mainPath);
  ledger = createMainLedgerStore(repositoryStateDir(repository.baseDir));
  start = await git.head();
  emitted.length = 0;
});
afterEach(() => repository.cleanup());

async function taskBranch(name: string, files: Record<string, string>): Promise<string> {
  await repository.git(['branch', name, 'main']);
  await repository.git(['worktree', 'add', '--quiet', `../${name}`, name]);
  for (const [file, text] of Object.entries(files))
    await writeFile(join(repository.baseDir, name, file), text);
  await repository.git(['add', '-A'], name);
  await repository.git(['commit', '--quiet', '-m', `work on ${name}`], name);
  return (await repository.git(['rev-parse', 'HEAD'], name)).trim();
}

async function leaveIntent(intent: Partial<MergeIntent> & { branch: string; branchCommit: string }) {
  await ledger.write({
    version: 1,
    good: start,
    intent: { mainBefore: start, phase: 'merging', pid: 1, updatedAt: '', ...intent },
    merges: [],
  });
}

const recover = (moment: 'start' | 'before-merge' | 'end' = 'start') =>
  recoverMain({ git, ledger, moment, emit, taskField: {} });

async function expectClean(head: string) {
  expect(await git.head()).toBe(head);
  expect(await git.mergeInProgress()).toBe(false);
  expect(await git.status()).toEqual([]);
  expect(existsSync(join(repository.mainPath, '.git', 'index.lock'))).toBe(false);
  const stored = await ledger.read();
  expect(stored.intent).toBeUndefined();
  expect(stored.good).toBe(head);
}

describe('recoverMain', () => {
  it('clears a dead git lock, aborts a half merge and puts main back at its recorded commit', async () => {
    const branchCommit = await taskBranch('task-a', { 'a.txt': 'a\n', 'README.md': 'changed\n' });
    await leaveIntent({ branch: 'task-a', branchCommit });
    await repository.git(['merge', '--no-ff', '--no-commit', branchCommit]);
    await writeFile(join(repository.mainPath, '.git', 'index.lock'), '');
    const recovery = await recover();
    expect(recovery.repairs.join('\n')).toMatch(/removed git lock file/);
    expect(recovery.good).toBe(start);
    await expectClean(start);
    expect(existsSync(join(repository.mainPath, 'a.txt'))).toBe(false);
  });

  it('cleans a half checkout (files written, no commit) without touching anything else', async () => {
    const branchCommit = await taskBranch('task-a', { 'a.txt': 'a\n', 'b.txt': 'b\n' });
    await leaveIntent({ branch: 'task-a', branchCommit });
    await writeFile(join(repository.mainPath, 'a.txt'), 'a\n');
    await writeFile(join(repository.mainPath, 'README.md'), 'half\n');
    const recovery = await recover();
    expect(recovery.repairs.join('\n')).toMatch(/removed 1 file\(s\) a half checkout of task-a left/);
    await expectClean(start);
  });

  it('re-runs the smoke test of a merge that was never tested: kept when it passes', async () => {
    const branchCommit = await taskBranch('task-a', { 'a.txt': 'a\n' });
    await repository.git(['merge', '--no-ff', '-m', 'merge', branchCommit]);
    const merge = await git.head();
    // The orphaned merge finished after the recorder died: the intent never got the commit.
    await leaveIntent({ branch: 'task-a', branchCommit, smokeTest: 'test -f a.txt' });
    const recovery = await recover();
    expect(recovery.repairs.join('\n')).toMatch(/re-ran the smoke test.*passed/);
    await expectClean(merge);
    expect((await ledger.read()).merges.map((entry) => entry.branch)).toEqual(['task-a']);
    expect(emitted.filter((event) => event.type === 'smoke-test-end')).toHaveLength(1);
  });

  it('re-runs the smoke test of a merge that was never tested: undone when it fails', async () => {
    const branchCommit = await taskBranch('task-a', { 'a.txt': 'a\n' });
    await repository.git(['merge', '--no-ff', '-m', 'merge', branchCommit]);
    const merge = await git.head();
    await leaveIntent({
      branch: 'task-a',
      branchCommit,
      mergeCommit: merge,
      phase: 'merged',
      smokeTest: 'exit 3',
    });
    const recovery = await recover();
    expect(recovery.repairs.join('\n')).toMatch(/failed[\s\S]*moved main from/);
    await expectClean(start);
    expect((await ledger.read()).merges).toEqual([]);
  });

  it('undoes a merge whose smoke test had failed when the process died', async () => {
    const branchCommit = await taskBranch('task-a', { 'a.txt': 'a\n' });
    await repository.git(['merge', '--no-ff', '-m', 'merge', branchCommit]);
    const merge = await git.head();
    await leaveIntent({
      branch: 'task-a',
      branchCommit,
      mergeCommit: merge,
      phase: 'failed',
      smokeTest: 'true',
    });
    await recover();
    await expectClean(start);
    expect(emitted.some((event) => event.type === 'smoke-test-start')).toBe(false);
  });

  it('at the start refuses a main with a user’s uncommitted edit and leaves the edit alone', async () => {
    await writeFile(join(repository.mainPath, 'README.md'), 'my edit\n');
    await expect(recover()).rejects.toMatchObject({ code: 'main-dirty', kind: 'user' });
    expect(await repository.git(['diff', '--name-only'])).toBe('README.md');
    expect(await repository.git(['stash', 'list'])).toBe('');
  });

  it('accepts a clean main a user moved between runs, but sets aside a commit made during a run', async () => {
    await ledger.write({ version: 1, good: start, merges: [] });
    await writeFile(join(repository.mainPath, 'user.txt'), 'u\n');
    await repository.git(['add', 'user.txt']);
    await repository.git(['commit', '--quiet', '-m', 'user commit']);
    const user = await git.head();
    expect((await recover('start')).good).toBe(user);
    await writeFile(join(repository.mainPath, 'stray.txt'), 's\n');
    await repository.git(['add', 'stray.txt']);
    await repository.git(['commit', '--quiet', '-m', 'stray commit']);
    const recovery = await recover('before-merge');
    expect(recovery.repairs.join('\n')).toMatch(/orchestrator-rescue\//);
    await expectClean(user);
  });
});
