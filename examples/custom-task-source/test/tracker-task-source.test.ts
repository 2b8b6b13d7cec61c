import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createTaskDispatcher,
  silentDispatcherLogger,
  type Task,
  type TaskRunner,
} from '@codex-orchestrator/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTrackerTaskSource, type TrackerIssue } from '../src/tracker-task-source.js';
import { startFakeTracker } from './fake-tracker.js';

const issue = (id: number, title: string, assignee = 'orchestrator-bot'): TrackerIssue => ({
  id,
  title,
  body: `Details of ${title}`,
  state: 'open',
  assignee,
});

describe('createTrackerTaskSource with the real TaskDispatcher', () => {
  let tracker: Awaited<ReturnType<typeof startFakeTracker>>;
  let dir: string;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tracker-example-'));
  });
  afterEach(async () => {
    await tracker?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('runs each assigned issue once and closes it with its outcome', async () => {
    tracker = await startFakeTracker(
      [issue(1, 'Add search'), issue(2, 'Fix the login test'), issue(3, 'Someone else’s', 'alice')],
      { token: 'secret-token' },
    );
    const ran: Task[] = [];
    // A no-op runner in place of runOrchestrator: the source's contract is what is tested here.
    const run: TaskRunner = async (task) => {
      ran.push(task);
      return { outcome: task.text.startsWith('Fix') ? 'failed' : 'completed' };
    };
    const dispatcher = createTaskDispatcher({
      sources: [
        createTrackerTaskSource({
          baseURL: tracker.baseURL,
          assignee: 'orchestrator-bot',
          token: 'secret-token',
          pollIntervalMs: 20,
          stopWhenIdle: true,
        }),
      ],
      run,
      store: join(dir, 'journal.jsonl'),
      logger: silentDispatcherLogger,
    });
    await dispatcher.start();
    await dispatcher.drain();
    await dispatcher.stop();

    expect(ran.map((task) => task.id)).toEqual(['tracker-1', 'tracker-2']);
    expect(ran[0]?.text).toBe('Add search\n\nDetails of Add search');
    expect(tracker.issues.map((entry) => entry.state)).toEqual(['done', 'failed', 'open']);
    expect(tracker.comments.get(1)).toEqual(['codex-orchestrator: completed']);
    expect(tracker.comments.get(2)).toEqual(['codex-orchestrator: failed']);
  });

  it('survives tracker outages: the dispatcher retries the source with backoff', async () => {
    tracker = await startFakeTracker([issue(7, 'Add export')]);
    tracker.failNext(2); // the first two polls get HTTP 503
    const ran: string[] = [];
    const dispatcher = createTaskDispatcher({
      sources: [
        createTrackerTaskSource({
          baseURL: tracker.baseURL,
          assignee: 'orchestrator-bot',
          pollIntervalMs: 20,
          stopWhenIdle: true,
        }),
      ],
      run: async (task) => {
        ran.push(task.id);
        return { outcome: 'completed' };
      },
      store: 'memory',
      sourceRetry: { initialDelayMs: 10, maxDelayMs: 20 },
      logger: silentDispatcherLogger,
    });
    await dispatcher.start();
    await dispatcher.drain();
    await dispatcher.stop();
    expect(ran).toEqual(['tracker-7']);
    expect(tracker.issues[0]?.state).toBe('done');
    expect(
      tracker.requests.filter((request) => request.startsWith('GET /issues')).length,
    ).toBeGreaterThanOrEqual(3);
  });
});
