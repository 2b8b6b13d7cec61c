import { TrackerError } from '@codex-orchestrator/core/service';
import { afterEach, describe, expect, it } from 'vitest';
import { createGitHubTracker } from './create-github-tracker.js';
import { createFakeGitHubApi, type FakeGitHubApi } from './testing/index.js';

const token = 'ghp_fakeTokenForTests0123456789abcdef';
const fakes: FakeGitHubApi[] = [];
afterEach(async () => {
  for (const fake of fakes.splice(0)) await fake.close();
});

async function setup(options: { maxPerPage?: number; conditionalRequests?: boolean } = {}) {
  const github = await createFakeGitHubApi({
    token,
    ...(options.maxPerPage ? { maxPerPage: options.maxPerPage } : {}),
  });
  fakes.push(github);
  github.addRepository('octo/shop', { alice: 'write', reader: 'read' });
  const tracker = createGitHubTracker({
    repositories: ['octo/shop'],
    token,
    baseUrl: github.url,
    ...(options.conditionalRequests === undefined
      ? {}
      : { conditionalRequests: options.conditionalRequests }),
  });
  return { github, tracker };
}

const rejection = async (promise: Promise<unknown>) => {
  try {
    await promise;
  } catch (error) {
    return error as TrackerError;
  }
  throw new Error('expected a rejection');
};

describe('createGitHubTracker', () => {
  it('lists labelled open issues over every page, then asks again conditionally: a 304 costs nothing', async () => {
    const { github, tracker } = await setup({ maxPerPage: 2 });
    for (let index = 1; index <= 5; index++)
      github.openIssue('octo/shop', { author: 'alice', title: `task ${index}`, labels: ['orchestrator'] });
    github.openIssue('octo/shop', { author: 'alice', title: 'not labelled' });
    const first = await tracker.listCandidates({});
    expect(first.issues.map((issue) => issue.title).sort()).toEqual([
      'task 1',
      'task 2',
      'task 3',
      'task 4',
      'task 5',
    ]);
    expect(first.notModified).toBe(false);
    expect(
      github.requests.filter((request) => request.path.startsWith('/repos/octo/shop/issues?')),
    ).toHaveLength(3);
    const counted = github.requests.filter((request) => request.counted).length;
    const again = await tracker.listCandidates({});
    expect(again.notModified).toBe(true);
    expect(again.issues).toHaveLength(5);
    expect(github.requests.filter((request) => request.counted).length).toBe(counted);
    expect(github.requests.slice(-3).map((request) => request.status)).toEqual([304, 304, 304]);
  });

  it('without conditional requests every poll counts against the limit', async () => {
    const { github, tracker } = await setup({ conditionalRequests: false });
    github.openIssue('octo/shop', { author: 'alice', title: 'task', labels: ['orchestrator'] });
    await tracker.listCandidates({});
    await tracker.listCandidates({});
    expect(github.requests.map((request) => [request.status, request.counted])).toEqual([
      [200, true],
      [200, true],
    ]);
  });

  it("allows an issue by its author's write access or by who applied the label, never a stranger's own label", async () => {
    const { github, tracker } = await setup();
    const own = github.openIssue('octo/shop', { author: 'alice', title: 'a', labels: ['orchestrator'] });
    const strangers = github.openIssue('octo/shop', {
      author: 'mallory',
      title: 'b',
      labels: ['orchestrator'],
    });
    const vetted = github.openIssue('octo/shop', { author: 'mallory', title: 'c' });
    github.addLabel('octo/shop', vetted.number, 'orchestrator', 'alice');
    const byReader = github.openIssue('octo/shop', { author: 'mallory', title: 'd' });
    github.addLabel('octo/shop', byReader.number, 'orchestrator', 'reader');
    const issues = new Map((await tracker.listCandidates({})).issues.map((issue) => [issue.title, issue]));
    const verdict = async (title: string) => {
      const issue = issues.get(title);
      if (!issue) throw new Error(`no issue ${title}`);
      return (await tracker.checkTrigger(issue)).allowed;
    };
    expect([await verdict('a'), await verdict('b'), await verdict('c'), await verdict('d')]).toEqual([
      true,
      false,
      true,
      false,
    ]);
    expect(own.number).toBeGreaterThan(0);
    expect(strangers.author).toBe('mallory');
    expect(await tracker.isAllowed('reader', 'octo/shop')).toBe(false);
    expect(await tracker.isAllowed('nobody-at-all', 'octo/shop')).toBe(false);
  });

  it('moves an issue through its statuses with labels, assignment and closing', async () => {
    const { github, tracker } = await setup();
    const issue = github.openIssue('octo/shop', { author: 'alice', title: 'a', labels: ['orchestrator'] });
    const ref = { key: `octo/shop#${issue.number}`, container: 'octo/shop', id: String(issue.number) };
    await tracker.setStatus(ref, 'claimed');
    await tracker.setStatus(ref, 'claimed');
    expect(github.issue('octo/shop', issue.number)).toMatchObject({
      labels: ['orchestrator', 'orchestrator:in-progress'],
      assignees: ['orchestrator-bot'],
      state: 'open',
    });
    await tracker.setStatus(ref, 'done');
    expect(github.issue('octo/shop', issue.number)).toMatchObject({
      labels: ['orchestrator', 'orchestrator:done'],
      state: 'closed',
      stateReason: 'completed',
    });
    const failing = github.openIssue('octo/shop', { author: 'alice', title: 'b', labels: ['orchestrator'] });
    const failingRef = {
      key: `octo/shop#${failing.number}`,
      container: 'octo/shop',
      id: String(failing.number),
    };
    await tracker.setStatus(failingRef, 'failed');
    expect(github.issue('octo/shop', failing.number)).toMatchObject({
      labels: ['orchestrator', 'orchestrator:failed'],
      state: 'open',
    });
    expect(tracker.matchesFilter((await tracker.getIssue(ref)) ?? (undefined as never))).toBe(false);
    expect(tracker.matchesFilter((await tracker.getIssue(failingRef)) ?? (undefined as never))).toBe(true);
    expect(await tracker.getIssue({ ...ref, key: 'octo/shop#999', id: '999' })).toBeUndefined();
  });

  it('creates, edits and lists comments, knowing its own', async () => {
    const { github, tracker } = await setup();
    const issue = github.openIssue('octo/shop', { author: 'alice', title: 'a', labels: ['orchestrator'] });
    const ref = { key: `octo/shop#${issue.number}`, container: 'octo/shop', id: String(issue.number) };
    const { id } = await tracker.createComment(ref, 'queued');
    await tracker.updateComment(ref, id, 'running');
    github.comment('octo/shop', issue.number, 'alice', '/approve task-a');
    const comments = await tracker.listComments(ref);
    expect(comments.map((comment) => [comment.author, comment.body, comment.own])).toEqual([
      ['orchestrator-bot', 'running', true],
      ['alice', '/approve task-a', false],
    ]);
    const foreign = comments[1]?.id ?? '';
    expect((await rejection(tracker.updateComment(ref, foreign, 'hijack'))).code).toBe(
      'tracker-unauthorized',
    );
  });

  it('turns 429, secondary and primary limits into rate-limited errors with the wait GitHub asks for', async () => {
    const { github, tracker } = await setup();
    github.failNext(1, { status: 429, retryAfterSeconds: 7 });
    const limited = await rejection(tracker.listCandidates({}));
    expect(limited).toBeInstanceOf(TrackerError);
    expect([limited.code, limited.retryAfterMs]).toEqual(['tracker-rate-limited', 7000]);
    github.failNext(1, { status: 403, retryAfterSeconds: 3 });
    expect((await rejection(tracker.listCandidates({}))).retryAfterMs).toBe(3000);
    github.failNext(1, { status: 403, primary: true });
    const primary = await rejection(tracker.listCandidates({}));
    expect(primary.code).toBe('tracker-rate-limited');
    expect(primary.retryAfterMs).toBeGreaterThan(60_000);
    github.failNext(1, { status: 502 });
    expect((await rejection(tracker.listCandidates({}))).code).toBe('tracker-unavailable');
  });

  it('reports a wrong token as unauthorized without ever printing a token', async () => {
    const { github } = await setup();
    const wrong = createGitHubTracker({
      repositories: ['octo/shop'],
      token: `${token}-wrong`,
      baseUrl: github.url,
    });
    const error = await rejection(wrong.listCandidates({}));
    expect(error.code).toBe('tracker-unauthorized');
    expect(`${error.message}\n${error.stack}\n${JSON.stringify(error)}`).not.toContain(token);
    expect(() => createGitHubTracker({ repositories: ['octo/shop'], env: {} })).toThrow(/GITHUB_TOKEN/);
    expect(() => createGitHubTracker({ repositories: ['not a repo'], token })).toThrow(/owner\/name/);
  });
});
