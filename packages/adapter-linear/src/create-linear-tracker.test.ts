import { TrackerError } from '@codex-orchestrator/core/service';
import { afterEach, describe, expect, it } from 'vitest';
import { createLinearTracker, type LinearTrackerIssue } from './create-linear-tracker.js';
import { createFakeLinearApi, type FakeLinearApi } from './testing/index.js';

let fake: FakeLinearApi | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

async function setup() {
  fake = await createFakeLinearApi();
  const { workspace } = fake;
  workspace.addTeam({ key: 'ENG' });
  workspace.addTeam({ key: 'OPS' });
  workspace.addLabel({ name: 'orchestrator' });
  workspace.addLabel({ name: 'orchestrator-failed' });
  const alice = workspace.addUser({ name: 'Alice', email: 'alice@example.test' });
  const mallory = workspace.addUser({ name: 'Mallory', guest: true });
  const bob = workspace.addUser({ name: 'Bob' });
  const tracker = createLinearTracker({
    apiKey: fake.apiKey,
    apiUrl: fake.url,
    teams: ['ENG'],
    allowed: { users: ['alice@example.test'] },
  });
  return { fake, workspace, alice, mallory, bob, tracker };
}

describe('createLinearTracker', () => {
  it('lists open labelled issues of the configured teams, every page, and moves its cursor', async () => {
    const { fake, workspace, alice, tracker } = await setup();
    for (let index = 0; index < 3; index += 1) {
      workspace.createIssue({
        team: 'ENG',
        title: `task ${index}`,
        creatorId: alice.id,
        labels: ['orchestrator'],
      });
    }
    workspace.createIssue({ team: 'ENG', title: 'unlabelled', creatorId: alice.id });
    workspace.createIssue({
      team: 'OPS',
      title: 'other team',
      creatorId: alice.id,
      labels: ['orchestrator'],
    });
    workspace.createIssue({
      team: 'ENG',
      title: 'closed',
      creatorId: alice.id,
      labels: ['orchestrator'],
      state: 'Canceled',
    });
    const paged = createLinearTracker({ apiKey: fake.apiKey, apiUrl: fake.url, teams: ['ENG'], pageSize: 2 });
    const first = await paged.listCandidates({});
    expect(first.issues.map((issue) => issue.title).sort()).toEqual(['task 0', 'task 1', 'task 2']);
    expect(first.issues.every((issue) => issue.container === 'ENG' && issue.state === 'open')).toBe(true);
    expect(fake.requests.filter((request) => request.fields.includes('issues'))).toHaveLength(2);
    const again = await tracker.listCandidates(first.cursor === undefined ? {} : { cursor: first.cursor });
    // `gte` on the newest time seen: at most the newest issue comes again (the state machine dedupes).
    expect(again.issues.length).toBeLessThanOrEqual(1);
    const changed = workspace.createIssue({
      team: 'ENG',
      title: 'new',
      creatorId: alice.id,
      labels: ['orchestrator'],
    });
    const third = await tracker.listCandidates(first.cursor === undefined ? {} : { cursor: first.cursor });
    expect(third.issues.map((issue) => issue.id)).toContain(changed.id);
  });

  it('scopes by Linear project too, with the project name as the container when it is configured', async () => {
    const { fake, workspace, alice } = await setup();
    const search = workspace.addProject({ name: 'Search' });
    const other = workspace.addProject({ name: 'Other' });
    const create = (team: string, title: string, projectId?: string) =>
      workspace.createIssue({
        team,
        title,
        creatorId: alice.id,
        labels: ['orchestrator'],
        ...(projectId ? { projectId } : {}),
      });
    create('ENG', 'eng in search', search.id);
    create('ENG', 'eng elsewhere', other.id);
    create('OPS', 'ops in search', search.id);
    create('OPS', 'ops alone');
    const tracker = createLinearTracker({
      apiKey: fake.apiKey,
      apiUrl: fake.url,
      teams: ['ENG'],
      projects: ['Search'],
    });
    const issues = (await tracker.listCandidates({})).issues
      .map((issue) => [issue.title, issue.container])
      .sort();
    expect(issues).toEqual([
      ['eng elsewhere', 'ENG'],
      ['eng in search', 'Search'],
      ['ops in search', 'Search'],
    ]);
  });

  it('lets only allowed people start runs: by creating the issue or applying the label', async () => {
    const { workspace, alice, mallory, bob, tracker } = await setup();
    const byAlice = workspace.createIssue({
      team: 'ENG',
      title: 'a',
      creatorId: alice.id,
      labels: ['orchestrator'],
    });
    const byMallory = workspace.createIssue({
      team: 'ENG',
      title: 'm',
      creatorId: mallory.id,
      labels: ['orchestrator'],
    });
    const vetted = workspace.createIssue({ team: 'ENG', title: 'v', creatorId: mallory.id });
    workspace.changeIssue(vetted.id, alice.id, { addLabels: ['orchestrator'] });
    const hijacked = workspace.createIssue({ team: 'ENG', title: 'h', creatorId: alice.id });
    workspace.changeIssue(hijacked.id, bob.id, { addLabels: ['orchestrator'] });
    const issues = new Map((await tracker.listCandidates({})).issues.map((issue) => [issue.id, issue]));
    const check = async (id: string) => {
      const issue = issues.get(id);
      if (!issue) throw new Error('missing');
      return tracker.checkTrigger(issue);
    };
    expect(await check(byAlice.id)).toMatchObject({ allowed: true, by: alice.id });
    expect(await check(byMallory.id)).toMatchObject({ allowed: false, by: mallory.id });
    expect(await check(vetted.id)).toMatchObject({ allowed: true, by: alice.id });
    expect(await check(hijacked.id)).toMatchObject({ allowed: false, by: bob.id });
    expect(await tracker.isAllowed(alice.id, 'ENG')).toBe(true);
    expect(await tracker.isAllowed(bob.id, 'ENG')).toBe(false);
  });

  it('defaults to admins and members, never guests or deactivated users', async () => {
    const { fake, workspace, mallory, bob } = await setup();
    const gone = workspace.addUser({ name: 'Gone', active: false });
    const tracker = createLinearTracker({ apiKey: fake.apiKey, apiUrl: fake.url, teams: ['ENG'] });
    expect(await tracker.isAllowed(bob.id, 'ENG')).toBe(true);
    expect(await tracker.isAllowed(mallory.id, 'ENG')).toBe(false);
    expect(await tracker.isAllowed(gone.id, 'ENG')).toBe(false);
  });

  it('moves the issue through claim, done, needs-review, failed and cancelled, writing only changes', async () => {
    const { fake, workspace, alice, tracker } = await setup();
    const record = workspace.createIssue({
      team: 'ENG',
      title: 'a',
      creatorId: alice.id,
      labels: ['orchestrator'],
    });
    const ref = { key: record.identifier, container: 'ENG', id: record.id };
    const stateName = () => workspace.states.get(workspace.getIssue(record.id).stateId)?.name;
    await tracker.setStatus(ref, 'claimed');
    expect(stateName()).toBe('In Progress');
    expect(workspace.getIssue(record.id).assigneeId).toBe(fake.viewer.id);
    const writes = () => fake?.requests.filter((request) => request.fields.includes('issueUpdate')).length;
    const before = writes();
    await tracker.setStatus(ref, 'claimed');
    expect(writes()).toBe(before);
    await tracker.setStatus(ref, 'needs-review');
    expect(stateName()).toBe('In Review');
    await tracker.setStatus(ref, 'done');
    expect(stateName()).toBe('Done');
    await tracker.setStatus(ref, 'failed');
    const failed = workspace.labelNamed(record.teamId, 'orchestrator-failed').id;
    expect(workspace.getIssue(record.id).labelIds).toContain(failed);
    const other = workspace.createIssue({
      team: 'ENG',
      title: 'b',
      creatorId: alice.id,
      labels: ['orchestrator'],
    });
    const otherRef = { key: other.identifier, container: 'ENG', id: other.id };
    await tracker.setStatus(otherRef, 'claimed');
    await tracker.setStatus(otherRef, 'cancelled');
    expect(workspace.states.get(workspace.getIssue(other.id).stateId)?.name).toBe('Todo');
    expect(workspace.getIssue(other.id).assigneeId).toBeUndefined();
  });

  it('sees a label removed or the issue cancelled as no longer matching', async () => {
    const { workspace, alice, tracker } = await setup();
    const record = workspace.createIssue({
      team: 'ENG',
      title: 'a',
      creatorId: alice.id,
      labels: ['orchestrator'],
    });
    const ref = { key: record.identifier, container: 'ENG', id: record.id };
    await tracker.setStatus(ref, 'claimed');
    const claimed = await tracker.getIssue(ref);
    expect(claimed && tracker.matchesFilter(claimed)).toBe(true);
    workspace.changeIssue(record.id, alice.id, { removeLabels: ['orchestrator'] });
    const unlabelled = (await tracker.getIssue(ref)) as LinearTrackerIssue;
    expect(tracker.matchesFilter(unlabelled)).toBe(false);
    workspace.changeIssue(record.id, alice.id, { addLabels: ['orchestrator'], state: 'Canceled' });
    const cancelled = (await tracker.getIssue(ref)) as LinearTrackerIssue;
    expect(cancelled.state).toBe('closed');
    expect(tracker.matchesFilter(cancelled)).toBe(false);
    workspace.changeIssue(record.id, alice.id, { state: 'Duplicate' });
    const duplicate = (await tracker.getIssue(ref)) as LinearTrackerIssue;
    expect(duplicate.state).toBe('closed');
    expect(tracker.matchesFilter(duplicate)).toBe(false);
    expect(await tracker.getIssue({ key: 'ENG-99', container: 'ENG', id: 'no-such-issue' })).toBeUndefined();
  });

  it("posts, edits and lists comments, telling ours from people's", async () => {
    const { workspace, alice, tracker } = await setup();
    const record = workspace.createIssue({
      team: 'ENG',
      title: 'a',
      creatorId: alice.id,
      labels: ['orchestrator'],
    });
    const ref = { key: record.identifier, container: 'ENG', id: record.id };
    const { id } = await tracker.createComment(ref, 'queued');
    await tracker.updateComment(ref, id, 'running');
    workspace.addComment(record.id, alice.id, '/approve task-x');
    const all = await tracker.listComments(ref);
    expect(all.map((comment) => [comment.body, comment.own])).toEqual([
      ['running', true],
      ['/approve task-x', false],
    ]);
    const since = await tracker.listComments(ref, { since: all[0]?.createdAt ?? '' });
    expect(since.map((comment) => comment.author)).toEqual([alice.id]);
  });

  it('reads a claimed issue and its comments in one request, and never serves our own writes stale', async () => {
    const { fake, workspace, alice, tracker } = await setup();
    const record = workspace.createIssue({
      team: 'ENG',
      title: 'a',
      creatorId: alice.id,
      labels: ['orchestrator'],
    });
    const ref = { key: record.identifier, container: 'ENG', id: record.id };
    workspace.addComment(record.id, alice.id, 'first');
    await tracker.listComments(ref); // resolves the viewer once
    const before = fake.requests.length;
    await tracker.getIssue(ref);
    const comments = await tracker.listComments(ref);
    expect(comments.map((comment) => comment.body)).toEqual(['first']);
    expect(fake.requests.length - before).toBe(1);
    await tracker.getIssue(ref);
    await tracker.createComment(ref, 'ours');
    expect((await tracker.listComments(ref)).map((comment) => comment.body)).toEqual(['first', 'ours']);
  });

  it("turns RATELIMITED into a rate-limited TrackerError with Linear's reset time", async () => {
    const { fake, tracker } = await setup();
    fake.rateLimitNext(1, { resetInMs: 7000 });
    const error = await tracker.listCandidates({}).catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(TrackerError);
    expect(error).toMatchObject({ code: 'tracker-rate-limited' });
    const wait = (error as TrackerError).retryAfterMs ?? 0;
    expect(wait).toBeGreaterThan(1000);
    expect(wait).toBeLessThanOrEqual(7000);
    await expect(tracker.listCandidates({})).resolves.toMatchObject({ notModified: false });
  });

  it('keeps a reserve of the hourly budget: near it, calls wait for the reset without a request', async () => {
    fake = await createFakeLinearApi({ requestsPerHour: 13 });
    fake.workspace.addTeam({ key: 'ENG' });
    fake.workspace.addLabel({ name: 'orchestrator' });
    const tracker = createLinearTracker({ apiKey: fake.apiKey, apiUrl: fake.url, teams: ['ENG'] });
    for (let index = 0; index < 3; index += 1) await tracker.listCandidates({});
    const sent = fake.requests.length;
    const error = (await tracker.listCandidates({}).catch((thrown: unknown) => thrown)) as TrackerError;
    expect(error).toMatchObject({ code: 'tracker-rate-limited' });
    expect(error.retryAfterMs).toBeGreaterThan(60_000);
    expect(fake.requests.length).toBe(sent);
  });

  it('reports a wrong key as unauthorized without the key in the message', async () => {
    const { fake } = await setup();
    const key = 'lin_api_wrongKeyThatMustNotLeak';
    const tracker = createLinearTracker({ apiKey: key, apiUrl: fake.url, teams: ['ENG'] });
    const error = (await tracker.listCandidates({}).catch((thrown: unknown) => thrown)) as TrackerError;
    expect(error.code).toBe('tracker-unauthorized');
    expect(error.message).not.toContain(key);
    expect(JSON.stringify(error)).not.toContain(key);
  });

  it('refuses to start without a key or a scope, naming what to set', () => {
    const saved = process.env.LINEAR_API_KEY;
    delete process.env.LINEAR_API_KEY;
    try {
      expect(() => createLinearTracker({ teams: ['ENG'] })).toThrow(/LINEAR_API_KEY/);
      expect(() => createLinearTracker({ apiKey: 'x' })).toThrow(/team key/);
    } finally {
      if (saved !== undefined) process.env.LINEAR_API_KEY = saved;
    }
  });
});
