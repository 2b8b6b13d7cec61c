import { describe, expect, it } from 'vitest';
import type { ServiceControl } from '../api/api-types.js';
import { createMemoryStore } from '../store/create-memory-store.js';
import type { Task } from '../types.js';
import { createTrackerSync } from './create-tracker-sync.js';
import { createMemoryTrackerClient } from './memory-tracker-client.fixture.js';
import { stepMarker } from './render-tracker-comments.js';
import { renderTrackerTaskText } from './render-tracker-task-text.js';

function harness(allowed = ['alice']) {
  const tracker = createMemoryTrackerClient({ allowed });
  const store = createMemoryStore();
  const logs: string[] = [];
  const decisions: { id: string; approve: boolean; by: string }[] = [];
  const cancelled: string[] = [];
  const control = {
    cancel: async (taskId: string) => {
      cancelled.push(taskId);
      return true;
    },
    decide: async (id: string, decision: { approve: boolean; by: string }) => {
      decisions.push({ id, approve: decision.approve, by: decision.by });
      return { ok: true } as never;
    },
  } as unknown as ServiceControl;
  const logger = {
    info: (message: string) => logs.push(message),
    warn: (message: string) => logs.push(message),
    error: (message: string) => logs.push(message),
  };
  const sync = createTrackerSync({
    client: tracker.client,
    projects: { 'o/r': 'shop' },
    pollIntervalMs: 5,
    progressIntervalMs: 1,
    logger,
  });
  sync.attach({ store, control });
  /** Polls until `count` tasks came (each is stored as the service would), then stops. */
  async function take(count: number, polls = 3): Promise<Task[]> {
    const controller = new AbortController();
    const tasks: Task[] = [];
    let seen = 0;
    const original = tracker.client.listCandidates;
    tracker.client.listCandidates = async (options) => {
      seen += 1;
      if (seen > polls) controller.abort();
      return original(options);
    };
    try {
      for await (const task of sync.source.tasks(controller.signal)) {
        tasks.push(task);
        await store.createTask({
          id: task.id,
          source: task.source,
          text: task.text,
          state: 'running',
          metadata: {},
        });
        if (tasks.length >= count && seen >= polls) break;
      }
    } finally {
      tracker.client.listCandidates = original;
    }
    return tasks;
  }
  return { tracker, store, sync, logs, decisions, cancelled, take };
}

describe('createTrackerSync', () => {
  it("takes an allowed person's issue once, claims it with one comment, and ignores a stranger's", async () => {
    const { tracker, take, logs } = harness();
    tracker.open(1, 'alice');
    tracker.open(2, 'mallory');
    tracker.open(3, 'alice', { container: 'other/repo', key: 'other/repo#3' });
    const tasks = await take(1, 4);
    expect(tasks.map((task) => [task.id, task.metadata?.project])).toEqual([['memory:o/r#1', 'shop']]);
    expect(tracker.statuses).toEqual([['o/r#1', 'claimed']]);
    expect(tracker.created.map(([key]) => key)).toEqual(['o/r#1']);
    expect(logs.filter((line) => line.includes('o/r#2 ignored'))).toHaveLength(1);
    expect(logs.filter((line) => line.includes('other/repo are ignored'))).toHaveLength(1);
  });

  it('finds its comment by marker after a crash between posting and recording, instead of posting again', async () => {
    const { tracker, store, take } = harness();
    tracker.open(1, 'alice');
    // The earlier process marked the step and posted the comment, then died before recording its id.
    await store.markOnce('tracker:memory:issue:o/r#1:step:progress');
    tracker.addOwnComment('o/r#1', `queued\n\n${stepMarker('memory:o/r#1:progress')}`);
    tracker.comment('o/r#1', 'mallory', `fake\n\n${stepMarker('memory:o/r#1:progress')}`);
    await take(1);
    expect(tracker.created).toEqual([]);
    const record = (await store.getRecord('tracker:memory:issue:o/r#1')) as {
      comments: Record<string, string>;
    };
    expect(record.comments.progress).toBe(tracker.comments('o/r#1')[0]?.id);
  });

  it('writes the end once: a second end (after a restart) posts nothing more', async () => {
    const { tracker, sync, take } = harness();
    tracker.open(1, 'alice');
    const [task] = await take(1);
    if (!task) throw new Error('no task');
    await sync.sink.onTaskEnd?.(task, { outcome: 'partly-merged', error: 'one branch conflicted' });
    await sync.sink.onTaskEnd?.(task, { outcome: 'partly-merged' });
    expect(tracker.created).toHaveLength(2);
    expect(tracker.created[1]?.[1]).toContain('Needs review');
    expect(tracker.created[1]?.[1]).toContain('Reason: one branch conflicted');
    expect(tracker.statuses).toEqual([
      ['o/r#1', 'claimed'],
      ['o/r#1', 'needs-review'],
    ]);
  });

  it('cancels the run of an issue closed or un-labelled meanwhile', async () => {
    const { tracker, take, cancelled } = harness();
    const issue = tracker.open(1, 'alice');
    await take(1);
    issue.labels = [];
    await take(0, 2);
    expect(cancelled).toContain('memory:o/r#1');
  });

  it('takes /approve and /reject from allowed people only, for approvals asked before the comment', async () => {
    const { tracker, store, take, decisions, logs } = harness();
    tracker.open(1, 'alice');
    await take(1);
    await store.createRun({
      id: 'run-1',
      taskId: 'memory:o/r#1',
      project: 'shop',
      state: 'running',
      startedAt: new Date().toISOString(),
    });
    await store.createApproval({
      id: 'approval-1',
      runId: 'run-1',
      taskId: 'memory:o/r#1',
      project: 'shop',
      branch: 'task-a',
      commit: 'abc123',
      requestedAt: new Date(Date.now() - 1000).toISOString(),
    });
    tracker.comment('o/r#1', 'mallory', '/approve task-a');
    tracker.comment('o/r#1', 'alice', 'please\n/reject task-b');
    tracker.comment('o/r#1', 'alice', 'ok then\n/approve task-a');
    await take(0, 2);
    await take(0, 2); // read once: nothing is decided twice
    expect(decisions).toEqual([{ id: 'approval-1', approve: true, by: 'memory:alice' }]);
    expect(
      logs.some(
        (line) => line.includes('/approve task-a by mallory') && line.includes('not an allowed person'),
      ),
    ).toBe(true);
    expect(
      logs.some((line) => line.includes('/reject task-b by alice') && line.includes('no pending approval')),
    ).toBe(true);
  });
});

describe('renderTrackerTaskText', () => {
  it('cleans, caps and fences the issue text as untrusted', () => {
    const text = renderTrackerTaskText('github', {
      key: 'o/r#1',
      url: 'https://github.com/o/r/issues/1',
      title: `Fix\u001b]0;pwned\u0007 it\u202e`,
      body: `${'x'.repeat(9000)}`,
    });
    const fence = /<(untrusted-issue-[0-9a-f]{12})>/.exec(text)?.[1];
    expect(fence).toBeDefined();
    expect(text).toContain(`Title: Fix it\n`);
    expect(text).toContain(`</${fence}>`);
    expect(text).not.toMatch(/[\u001b\u0007\u202e]/);
    expect(text.match(/x/g)?.length).toBeLessThan(8001);
  });
});
