import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { OrchestratorEvent, OrchestratorEventInput } from '../events.js';
import type { MergeApprovalRequest } from '../types.js';
import { createTestRepository, type TestRepository } from '../worktree/test-repository.js';
import { createMergeQueue, type MergeQueueOptions } from './merge-queue.js';
import { createRepositoryGit } from './repository-git.js';
import { createReviewGate } from './review-gate.js';
import type { Reviewer, ReviewRequest, ReviewVerdict } from './review-verdict.js';

let repository: TestRepository;
let events: OrchestratorEvent[];
const emit = (event: OrchestratorEventInput) => {
  events.push({ ...event, time: new Date().toISOString() } as OrchestratorEvent);
};

beforeEach(async () => {
  repository = await createTestRepository();
  events = [];
});
afterEach(async () => {
  await repository.cleanup();
});

async function taskBranch(name: string, files: Record<string, string>): Promise<string> {
  await repository.git(['worktree', 'add', '--quiet', '-b', name, `../${name}`, 'main']);
  for (const [file, text] of Object.entries(files))
    await writeFile(join(repository.baseDir, name, file), text);
  await repository.git(['add', '-A'], name);
  await repository.git(['commit', '--quiet', '-m', `work on ${name}`], name);
  return (await repository.git(['rev-parse', 'HEAD'], name)).trim();
}

const queueFor = (options: Partial<MergeQueueOptions> = {}) =>
  createMergeQueue({ baseDir: repository.baseDir, ...options });

function invocation(command: string) {
  return {
    worktree: 'main',
    cwd: repository.mainPath,
    argv: command.split(' '),
    command,
    context: { baseDir: repository.baseDir },
  };
}

async function expectMainClean(expectedHead: string) {
  const git = createRepositoryGit(repository.mainPath);
  expect(await git.head()).toBe(expectedHead);
  expect(await git.mergeInProgress()).toBe(false);
  expect(await git.status()).toEqual([]);
  expect(existsSync(join(repository.mainPath, '.git', 'MERGE_HEAD'))).toBe(false);
}

const ofType = <T extends OrchestratorEvent['type']>(type: T) =>
  events.filter((event): event is Extract<OrchestratorEvent, { type: T }> => event.type === type);

describe('merge queue', () => {
  it('merges a task branch with --no-ff through the handler and records it', async () => {
    const branchCommit = await taskBranch('task-a', { 'a.txt': 'a\n' });
    const queue = await queueFor();
    const handler = queue.handler;
    expect(handler.matches(invocation('git merge --no-ff task-a'))).toBe(true);
    expect(handler.matches({ ...invocation('git merge main'), worktree: 'task-a' })).toBe(false);

    const result = await handler.run(invocation('git merge --no-ff task-a'), {
      signal: new AbortController().signal,
      emit,
    });
    expect(result.status).toBe('ok');
    expect(result.stdout).toContain('Merged task-a');
    const head = (await repository.git(['rev-parse', 'HEAD'])).trim();
    const parents = (await repository.git(['rev-list', '--parents', '-n', '1', 'HEAD'])).trim().split(' ');
    expect(parents).toHaveLength(3); // a real merge commit, even though a fast-forward was possible
    expect(parents[2]).toBe(branchCommit);
    expect(queue.lastGoodCommit).toBe(head);
    expect(queue.merges).toEqual([{ branch: 'task-a', worktree: 'task-a', branchCommit, mergeCommit: head }]);
    expect(ofType('merge-end').map((event) => event.outcome)).toEqual(['merged']);
    await expectMainClean(head);
  });

  it('runs one merge at a time even when asked in parallel', async () => {
    for (const name of ['task-a', 'task-b', 'task-c'])
      await taskBranch(name, { [`${name}.txt`]: `${name}\n` });
    const queue = await queueFor({ smokeTest: 'sleep 0.2' });
    const results = await Promise.all(
      ['task-a', 'task-b', 'task-c'].map((name) =>
        queue.handler.run(invocation(`git merge ${name}`), { signal: new AbortController().signal, emit }),
      ),
    );
    expect(results.map((result) => result.status)).toEqual(['ok', 'ok', 'ok']);
    const sequence = events
      .filter((event) => event.type === 'merge-start' || event.type === 'merge-end')
      .map((event) => event.type);
    expect(sequence).toEqual([
      'merge-start',
      'merge-end',
      'merge-start',
      'merge-end',
      'merge-start',
      'merge-end',
    ]);
    expect(queue.merges.map((record) => record.branch).sort()).toEqual(['task-a', 'task-b', 'task-c']);
    await expectMainClean(queue.lastGoodCommit);
  });

  it('aborts a conflicting merge, leaves main clean and names the files', async () => {
    await taskBranch('task-a', { 'README.md': '# from a\n' });
    const bCommit = await taskBranch('task-b', { 'README.md': '# from b\n' });
    const queue = await queueFor();
    expect((await queue.merge('task-a', { emit })).status).toBe('ok');
    const afterA = queue.lastGoodCommit;

    const result = await queue.handler.run(invocation('git merge task-b'), {
      signal: new AbortController().signal,
      emit,
    });
    expect(result.status).toBe('failed');
    expect(result.reason).toContain('conflicts in: README.md');
    expect(result.reason).toContain('git merge main');
    expect(ofType('merge-conflict')).toMatchObject([
      { branch: 'task-b', files: ['README.md'], mainCommit: afterA },
    ]);
    await expectMainClean(afterA);
    expect((await repository.git(['rev-parse', 'task-b'])).trim()).toBe(bCommit);

    // Rework in the task worktree, then the merge goes through.
    await repository.git(['merge', '--quiet', 'main'], 'task-b').catch(() => undefined);
    await writeFile(join(repository.baseDir, 'task-b', 'README.md'), '# from a and b\n');
    await repository.git(['commit', '--quiet', '-am', 'resolve'], 'task-b');
    expect((await queue.merge('task-b', { emit })).status).toBe('ok');
    expect(queue.merges.map((record) => record.branch)).toEqual(['task-a', 'task-b']);
    await expectMainClean(queue.lastGoodCommit);
  });

  it('puts main back when the smoke test fails after a merge', async () => {
    const start = (await repository.git(['rev-parse', 'HEAD'])).trim();
    const branchCommit = await taskBranch('task-a', { 'broken.txt': 'x\n' });
    const queue = await queueFor({
      smokeTest: 'test ! -e broken.txt || { echo "smoke failed: broken.txt"; exit 3; }',
    });
    const result = await queue.merge('task-a', { emit });
    expect(result.status).toBe('failed');
    expect(result.reason).toContain('exit 3');
    expect(result.reason).toContain('smoke failed: broken.txt');
    expect(ofType('smoke-test-end')).toMatchObject([{ passed: false, exitCode: 3 }]);
    expect(ofType('main-restore')).toMatchObject([{ to: start }]);
    expect(ofType('main-restore')[0]?.rescueBranch).toBeUndefined();
    expect(ofType('merge-end').map((event) => event.outcome)).toEqual(['reverted']);
    expect(queue.lastGoodCommit).toBe(start);
    await expectMainClean(start);
    expect((await repository.git(['rev-parse', 'task-a'])).trim()).toBe(branchCommit);
  });

  it('treats an already merged branch as a no-op, also in a new queue (resume)', async () => {
    await taskBranch('task-a', { 'a.txt': 'a\n' });
    const first = await queueFor();
    expect((await first.merge('task-a', { emit })).status).toBe('ok');
    const head = first.lastGoodCommit;
    const again = await first.merge('task-a', { emit });
    expect(again).toMatchObject({ status: 'ok' });
    expect(again.stdout).toContain('already merged');

    const resumed = await queueFor();
    const result = await resumed.merge('task-a', { emit });
    expect(result.status).toBe('ok');
    expect(result.stdout).toContain('already merged');

    // A branch without commits of its own is "nothing to merge", with a hint about committing.
    await repository.git(['branch', 'task-empty']);
    expect((await resumed.merge('task-empty', { emit })).stdout).toContain('nothing to merge');
    expect(ofType('merge-end').map((event) => event.outcome)).toEqual([
      'merged',
      'already-merged',
      'already-merged',
      'already-merged',
    ]);
    expect(ofType('merge-start')).toHaveLength(1);
    await expectMainClean(head);
  });

  it('never lets a commit made directly in main ride along with a merge', async () => {
    const start = (await repository.git(['rev-parse', 'HEAD'])).trim();
    const branchCommit = await taskBranch('task-a', { 'a.txt': 'a\n' });
    const queue = await queueFor();
    await writeFile(join(repository.mainPath, 'direct.txt'), 'unreviewed\n');
    await repository.git(['add', 'direct.txt']);
    await repository.git(['commit', '--quiet', '-m', 'direct to main']);
    const direct = (await repository.git(['rev-parse', 'HEAD'])).trim();

    const result = await queue.merge('task-a', { emit });
    expect(result.status).toBe('ok');
    expect(result.stdout).toMatch(/main had changed outside the merge queue.*orchestrator-rescue\//);
    const head = (await repository.git(['rev-parse', 'HEAD'])).trim();
    const parents = (await repository.git(['rev-list', '--parents', '-n', '1', 'HEAD'])).trim().split(' ');
    expect(parents.slice(1)).toEqual([start, branchCommit]);
    expect(existsSync(join(repository.mainPath, 'direct.txt'))).toBe(false);
    // Nothing is lost: the direct commit is kept on a rescue branch.
    const rescue = ofType('main-restore')[0]?.rescueBranch;
    expect(rescue).toMatch(/^orchestrator-rescue\//);
    expect((await repository.git(['rev-parse', rescue as string])).trim()).toBe(direct);
    await expectMainClean(head);
  });

  it('asks the approval hook and keeps the branch unmerged when it declines', async () => {
    await taskBranch('task-a', { 'a.txt': 'a\n' });
    const start = (await repository.git(['rev-parse', 'HEAD'])).trim();
    const requests: MergeApprovalRequest[] = [];
    const queue = await queueFor({
      taskId: 'T-1',
      approveMerge: async (request) => {
        requests.push(request);
        return false;
      },
    });
    const result = await queue.merge('task-a', { emit });
    expect(result.status).toBe('failed');
    expect(result.reason).toContain('not approved');
    expect(requests).toMatchObject([{ branch: 'task-a', worktree: 'task-a', taskId: 'T-1' }]);
    expect(requests[0]?.diffStat).toContain('a.txt');
    expect(ofType('approval-end')).toMatchObject([{ branch: 'task-a', approved: false }]);
    await expectMainClean(start);
  });

  it('refuses what it must not merge, with reasons', async () => {
    await taskBranch('task-a', { 'a.txt': 'a\n' });
    await repository.git(['branch', 'feature-x']);
    const queue = await queueFor();
    const run = (command: string) =>
      queue.handler.run(invocation(command), { signal: new AbortController().signal, emit });

    expect((await run('git merge feature-x')).reason).toContain('not a task branch');
    expect((await run('git merge task-missing')).reason).toContain('no local branch task-missing');
    expect((await run('git merge --squash task-a')).reason).toContain('--squash is not supported');
    expect((await run('git merge task-a feature-x')).reason).toContain('one branch at a time');
    expect((await run('git merge --abort')).stdout).toContain('No merge is in progress');

    await writeFile(join(repository.baseDir, 'task-a', 'a.txt'), 'changed\n');
    expect((await run('git merge task-a')).reason).toContain('uncommitted changes on task-a');
    await repository.git(['checkout', '--quiet', '--', 'a.txt'], 'task-a');

    await writeFile(join(repository.mainPath, 'stray.txt'), 'x\n');
    expect((await run('git merge task-a')).reason).toContain('main has uncommitted changes');
    expect(queue.merges).toEqual([]);
  });

  it('merges only branches whose current head the reviewer approved', async () => {
    await taskBranch('task-a', { 'a.txt': 'bad\n' });
    const reviewed: ReviewRequest[] = [];
    const reviewer: Reviewer = {
      mode: 'agent',
      async review(request): Promise<ReviewVerdict> {
        reviewed.push(request);
        return request.diff.includes('+bad')
          ? {
              verdict: 'request-changes',
              summary: 'a.txt says bad',
              comments: [{ file: 'a.txt', line: 1, comment: 'write good' }],
            }
          : { verdict: 'approve', summary: 'fine', comments: [] };
      },
    };
    const queue = await queueFor({
      reviewGate: createReviewGate({ reviewer, mainGit: createRepositoryGit(repository.mainPath) }),
    });
    const refused = await queue.merge('task-a', { emit });
    expect(refused.status).toBe('failed');
    expect(refused.reason).toContain('review requested changes');
    expect(refused.reason).toContain('a.txt:1: write good');
    // Asking again without new commits does not review again.
    expect((await queue.merge('task-a', { emit })).reason).toContain('no new commits since');
    expect(reviewed).toHaveLength(1);

    await writeFile(join(repository.baseDir, 'task-a', 'a.txt'), 'good\n');
    await repository.git(['commit', '--quiet', '-am', 'fix'], 'task-a');
    expect((await queue.merge('task-a', { emit })).status).toBe('ok');
    expect(reviewed).toHaveLength(2);
    expect(ofType('review-end').map((event) => event.verdict)).toEqual(['request-changes', 'approve']);
  });

  it('runs of one process share the queue: parallel merges of two runs both land, neither is set aside', async () => {
    const tips = [
      await taskBranch('task-a', { 'a.txt': 'a\n' }),
      await taskBranch('task-b', { 'b.txt': 'b\n' }),
    ];
    const [first, second] = await Promise.all([
      queueFor({ taskId: 'run-1', smokeTest: 'test -f README.md' }),
      queueFor({ taskId: 'run-2', smokeTest: 'test -f README.md' }),
    ]);
    const results = await Promise.all([first.merge('task-a', { emit }), second.merge('task-b', { emit })]);
    expect(results.map((result) => result.status)).toEqual(['ok', 'ok']);
    expect(ofType('main-restore')).toEqual([]);
    const merges = (await repository.git(['rev-list', '--merges', '--first-parent', 'HEAD'])).split('\n');
    const mergedTips = await Promise.all(
      merges.map(async (commit) => (await repository.git(['rev-parse', `${commit}^2`])).trim()),
    );
    expect(mergedTips.sort()).toEqual([...tips].sort());
    await expectMainClean((await repository.git(['rev-parse', 'HEAD'])).trim());
  });
});
