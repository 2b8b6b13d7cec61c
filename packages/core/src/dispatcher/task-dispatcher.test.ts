import { describe, expect, it } from 'vitest';
import type { MergeApprover, Task, TaskSink, TaskSource } from '../types.js';
import { DispatcherConfigurationError, DispatcherStateError } from './dispatcher-errors.js';
import { createMemoryTaskSource } from './memory-task-source.js';
import { createTaskDispatcher } from './task-dispatcher.js';
import type { TaskRunner } from './task-runner.js';
import { createMemoryTaskStore } from './task-store.js';
import {
  createGate,
  createRecordingLogger,
  createRecordingSink,
  waitUntil,
  whenAborted,
} from './test-helpers.js';

const completed: TaskRunner = async () => ({ outcome: 'completed' });

function setup(options: { run?: TaskRunner; concurrency?: number; sinks?: TaskSink[] } = {}) {
  const source = createMemoryTaskSource();
  const sink = createRecordingSink();
  const logger = createRecordingLogger();
  const calls: string[] = [];
  const run: TaskRunner = async (task, runOptions) => {
    calls.push(task.id);
    return (options.run ?? completed)(task, runOptions);
  };
  const dispatcher = createTaskDispatcher({
    sources: [source],
    sinks: [sink, ...(options.sinks ?? [])],
    run,
    store: 'memory',
    concurrency: options.concurrency ?? 1,
    logger,
    callTimeoutMs: 200,
  });
  return { source, sink, logger, calls, dispatcher };
}

describe('TaskDispatcher', () => {
  it('runs tasks in arrival order without exceeding the concurrency limit', async () => {
    let inFlight = 0;
    let maxInFlight = 0;
    const { source, dispatcher, calls, sink } = setup({
      concurrency: 3,
      run: async () => {
        inFlight += 1;
        maxInFlight = Math.max(maxInFlight, inFlight);
        await new Promise((resolve) => setTimeout(resolve, 5 + Math.random() * 10));
        inFlight -= 1;
        return { outcome: 'completed' };
      },
    });
    const ids = Array.from({ length: 12 }, (_, index) => `t${index}`);
    for (const id of ids) source.push({ id, text: `task ${id}` });
    source.end();
    await dispatcher.start();
    await dispatcher.drain();
    expect(maxInFlight).toBe(3);
    expect(calls).toEqual(ids);
    expect(sink.ends.map((entry) => entry.result.outcome)).toEqual(ids.map(() => 'completed'));
    expect(source.acks).toHaveLength(12);
    expect(sink.eventTypes('t0')).toEqual(['task-queue', 'task-start', 'task-end']);
    await dispatcher.stop();
  });

  it('runs a task id once: duplicates of an active task are ignored, of an ended one acked again', async () => {
    const gate = createGate();
    const { source, dispatcher, calls, sink } = setup({
      run: async (task) => {
        if (task.id === 'x') await gate.promise;
        return { outcome: 'completed' };
      },
    });
    await dispatcher.start();
    source.push({ id: 'x', text: 'first' });
    source.push({ id: 'x', text: 'same id again while running' });
    await waitUntil(() => calls.length === 1);
    expect(await dispatcher.enqueue({ id: 'x', text: 'enqueued copy', source: 'memory' })).toBe(false);
    gate.open();
    await sink.waitForEnd('x');
    source.push({ id: 'x', text: 'delivered again after it ended' });
    source.end();
    await dispatcher.drain();
    expect(calls).toEqual(['x']);
    expect(source.acks).toEqual([
      { taskId: 'x', outcome: 'completed' },
      { taskId: 'x', outcome: 'completed' },
    ]);
    expect(sink.ends).toHaveLength(1);
    await dispatcher.stop();
  });

  it('cancels a running task through its signal and removes a queued one', async () => {
    const { source, dispatcher, calls, sink } = setup({
      run: async (_task, { signal }) => {
        await whenAborted(signal);
        throw new Error('aborted by the test');
      },
    });
    source.push({ id: 'running', text: 'runs until cancelled' });
    source.push({ id: 'queued', text: 'waits behind it' });
    await dispatcher.start();
    await waitUntil(() => calls.length === 1 && dispatcher.list().length === 2);
    expect(dispatcher.list().map((entry) => [entry.task.id, entry.state])).toEqual([
      ['running', 'running'],
      ['queued', 'queued'],
    ]);
    expect(dispatcher.cancel('queued')).toBe(true);
    expect(dispatcher.cancel('queued')).toBe(false);
    expect(dispatcher.cancel('running')).toBe(true);
    expect(dispatcher.cancel('no-such-task')).toBe(false);
    source.end();
    await dispatcher.drain();
    expect(calls).toEqual(['running']);
    expect(Object.fromEntries(sink.ends.map((entry) => [entry.task.id, entry.result.outcome]))).toEqual({
      running: 'cancelled',
      queued: 'cancelled',
    });
    expect(source.acks.map((ack) => ack.outcome)).toEqual(['cancelled', 'cancelled']);
    expect(dispatcher.list().every((entry) => entry.state === 'cancelled')).toBe(true);
    await dispatcher.stop();
  });

  it('isolates a runner that throws or returns garbage: only that task fails', async () => {
    const { source, dispatcher, sink } = setup({
      concurrency: 2,
      run: async (task) => {
        if (task.id === 'throws') throw new Error('runner exploded');
        if (task.id === 'garbage') return { outcome: 'maybe' } as never;
        return { outcome: 'completed', reportMarkdown: `# ${task.id}` };
      },
    });
    for (const id of ['throws', 'fine', 'garbage', 'also-fine']) source.push({ id, text: id });
    source.end();
    await dispatcher.start();
    await dispatcher.drain();
    const results = Object.fromEntries(sink.ends.map((entry) => [entry.task.id, entry.result]));
    expect(results.throws).toEqual({ outcome: 'failed', error: 'runner exploded' });
    expect(results.garbage?.outcome).toBe('failed');
    expect(results.garbage?.error).toMatch(/valid outcome/);
    expect(results.fine).toEqual({ outcome: 'completed', reportMarkdown: '# fine' });
    expect(results['also-fine']?.outcome).toBe('completed');
    expect(dispatcher.list().find((entry) => entry.task.id === 'throws')?.error).toBe('runner exploded');
    await dispatcher.stop();
  });

  it('isolates sinks that throw, reject or hang; events reach the others in order', async () => {
    const throwing: TaskSink = {
      name: 'throwing',
      onEvent() {
        throw new Error('sink threw');
      },
      async onTaskEnd() {
        throw new Error('sink rejected');
      },
    };
    const hanging: TaskSink = {
      name: 'hanging',
      onEvent: () => new Promise(() => undefined),
      onTaskEnd: () => new Promise(() => undefined),
    };
    const { source, dispatcher, sink, logger } = setup({
      sinks: [throwing, hanging],
      run: async (_task, { emit }) => {
        emit({ type: 'error', code: 'probe', message: 'from the runner' });
        return { outcome: 'completed' };
      },
    });
    for (const id of ['a', 'b', 'c']) source.push({ id, text: id });
    source.end();
    await dispatcher.start();
    await dispatcher.drain();
    expect(sink.ends.map((entry) => entry.task.id)).toEqual(['a', 'b', 'c']);
    expect(sink.eventTypes('b')).toEqual(['task-queue', 'task-start', 'error', 'task-end']);
    const probe = sink.events.find((entry) => entry.event.type === 'error');
    expect(probe?.event.taskId).toBe('a');
    expect(probe?.event.time).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(logger.lines.some((line) => line.includes('Sink "throwing" failed: sink threw'))).toBe(true);
    expect(logger.lines.some((line) => line.includes('Sink "throwing" failed: sink rejected'))).toBe(true);
    expect(logger.lines.some((line) => line.includes('Sink "hanging" did not answer within 200 ms'))).toBe(
      true,
    );
    await dispatcher.stop();
  });

  it('retries a failing source with bounded backoff while other sources keep flowing', async () => {
    const callTimes: number[] = [];
    let failuresLeft = 3;
    const flaky: TaskSource = {
      name: 'flaky',
      async *tasks() {
        callTimes.push(Date.now());
        if (failuresLeft > 0) {
          failuresLeft -= 1;
          throw new Error('tracker unreachable');
        }
        yield { id: 'from-flaky', text: 'finally', source: 'flaky' };
      },
    };
    const steady = createMemoryTaskSource({ name: 'steady' });
    steady.push({ id: 'from-steady', text: 'flows meanwhile' });
    steady.end();
    const sink = createRecordingSink();
    const logger = createRecordingLogger();
    const dispatcher = createTaskDispatcher({
      sources: [flaky, steady],
      sinks: [sink],
      run: completed,
      store: 'memory',
      logger,
      sourceRetry: { initialDelayMs: 20, maxDelayMs: 40 },
    });
    await dispatcher.start();
    await sink.waitForEnd('from-steady');
    expect(callTimes.length).toBeLessThan(4);
    await dispatcher.drain();
    expect(sink.ends.map((entry) => entry.task.id).sort()).toEqual(['from-flaky', 'from-steady']);
    expect(callTimes).toHaveLength(4);
    const gaps = callTimes.slice(1).map((time, index) => time - callTimes[index]!);
    // Delays 20, 40, 40 (capped) with equal jitter: each at least half. Only lower bounds here: a
    // timer never fires early, but a loaded machine delays it without limit (the cap itself is
    // checked without timers in backoff.test.ts).
    expect(gaps[0]).toBeGreaterThanOrEqual(9);
    expect(gaps[2]).toBeGreaterThanOrEqual(19);
    expect(logger.lines.filter((line) => line.includes('Task source "flaky" failed'))).toHaveLength(3);
    await dispatcher.stop();
  });

  it('gives up on a source after sourceRetry.maxAttempts failures in a row', async () => {
    let calls = 0;
    const broken: TaskSource = {
      name: 'broken',
      // biome-ignore lint/correctness/useYield: a source that fails before its first task
      async *tasks() {
        calls += 1;
        throw new Error('always down');
      },
    };
    const logger = createRecordingLogger();
    const dispatcher = createTaskDispatcher({
      sources: [broken],
      run: completed,
      store: 'memory',
      logger,
      sourceRetry: { initialDelayMs: 1, maxDelayMs: 2, maxAttempts: 3 },
    });
    await dispatcher.start();
    await dispatcher.drain();
    expect(calls).toBe(3);
    expect(logger.lines.at(-1)).toMatch(/Giving up on it \(sourceRetry.maxAttempts is 3\)/);
    await dispatcher.stop();
  });

  it('stops gracefully: running tasks finish, queued ones stay in the journal for the next start', async () => {
    const store = createMemoryTaskStore();
    const source = createMemoryTaskSource();
    const gate = createGate();
    const calls: string[] = [];
    const first = createTaskDispatcher({
      sources: [source],
      store,
      logger: createRecordingLogger(),
      run: async (task) => {
        calls.push(task.id);
        await gate.promise;
        return { outcome: 'completed' };
      },
    });
    source.push({ id: 'one', text: 'runs' });
    source.push({ id: 'two', text: 'waits' });
    await first.start();
    await waitUntil(() => calls.length === 1 && first.list().length === 2);
    const stopped = first.stop();
    expect(first.isRunning).toBe(false);
    setTimeout(gate.open, 30);
    await stopped;
    expect(calls).toEqual(['one']);
    expect(first.list().map((entry) => [entry.task.id, entry.state])).toEqual([
      ['two', 'queued'],
      ['one', 'completed'],
    ]);
    expect(source.acks).toEqual([{ taskId: 'one', outcome: 'completed' }]);

    const restartRuns: string[] = [];
    const restart = async () => {
      const dispatcher = createTaskDispatcher({
        sources: [],
        store,
        run: async (task) => {
          restartRuns.push(task.id);
          return { outcome: 'completed' };
        },
      });
      await dispatcher.start();
      await dispatcher.drain();
      await dispatcher.stop();
    };
    await restart();
    expect(restartRuns).toEqual(['two']);
    await restart();
    expect(restartRuns).toEqual(['two']);
    expect(
      store.records.filter((record) => record.type === 'task-end').map((record) => record.taskId),
    ).toEqual(['one', 'two']);
  });

  it('stops with cancelRunning: aborts after the grace period and records the task as interrupted', async () => {
    const store = createMemoryTaskStore();
    const source = createMemoryTaskSource();
    const runs: { id: string; attempt: number; resume: boolean }[] = [];
    const sink = createRecordingSink();
    const first = createTaskDispatcher({
      sources: [source],
      sinks: [sink],
      store,
      gracePeriodMs: 40,
      run: async (task, { signal, attempt, resume }) => {
        runs.push({ id: task.id, attempt, resume });
        await whenAborted(signal);
        return { outcome: 'cancelled' };
      },
    });
    source.push({ id: 'long', text: 'never finishes by itself' });
    await first.start();
    await waitUntil(() => runs.length === 1);
    const stopStarted = Date.now();
    await first.stop({ cancelRunning: true });
    expect(Date.now() - stopStarted).toBeGreaterThanOrEqual(35);
    expect(sink.ends).toEqual([]);
    expect(sink.eventTypes('long')).toEqual(['task-queue', 'task-start', 'task-interrupt']);
    expect(source.acks).toEqual([]);
    expect(first.list()[0]?.state).toBe('interrupted');

    const second = createTaskDispatcher({
      sources: [],
      store,
      onInterrupted: 'resume',
      run: async (task, { attempt, resume }) => {
        runs.push({ id: task.id, attempt, resume });
        return { outcome: 'completed' };
      },
    });
    await second.start();
    await second.drain();
    await second.stop();
    expect(runs).toEqual([
      { id: 'long', attempt: 1, resume: false },
      { id: 'long', attempt: 2, resume: true },
    ]);
  });

  it('abandons a runner that ignores its abort signal, so stop() still returns', async () => {
    const logger = createRecordingLogger();
    const dispatcher = createTaskDispatcher({
      sources: [],
      store: 'memory',
      gracePeriodMs: 20,
      logger,
      run: () => new Promise(() => undefined),
    });
    await dispatcher.start();
    await dispatcher.enqueue({ id: 'stubborn', text: 'ignores signals', source: 'code' });
    await waitUntil(() => dispatcher.list()[0]?.state === 'running');
    await dispatcher.stop({ cancelRunning: true });
    expect(logger.lines.some((line) => line.includes('Task stubborn ignored its abort signal'))).toBe(true);
  });

  it('replays the journal: ended tasks never rerun, interrupted ones retry or fail, queued ones run', async () => {
    const store = createMemoryTaskStore();
    const time = new Date().toISOString();
    const task = (id: string): Task => ({ id, text: id, source: 'memory' });
    for (const record of [
      { v: 1, type: 'task-receive', time, task: task('done') },
      { v: 1, type: 'task-start', time, taskId: 'done', attempt: 1, resume: false },
      { v: 1, type: 'task-end', time, taskId: 'done', outcome: 'completed' },
      { v: 1, type: 'task-receive', time, task: task('was-running') },
      { v: 1, type: 'task-start', time, taskId: 'was-running', attempt: 1, resume: false },
      { v: 1, type: 'task-receive', time, task: task('crash-loop') },
      { v: 1, type: 'task-start', time, taskId: 'crash-loop', attempt: 3, resume: true },
      { v: 1, type: 'task-receive', time, task: task('was-queued') },
    ] as const) {
      await store.append(record);
    }
    const source = createMemoryTaskSource();
    source.push({ id: 'done', text: 'delivered again' });
    source.push({ id: 'was-queued', text: 'delivered again' });
    source.end();
    const runs: string[] = [];
    const sink = createRecordingSink();
    const dispatcher = createTaskDispatcher({
      sources: [source],
      sinks: [sink],
      store,
      onInterrupted: 'retry',
      run: async (current, { attempt, resume }) => {
        runs.push(`${current.id}#${attempt}${resume ? ' resume' : ''}`);
        return { outcome: 'completed' };
      },
    });
    await dispatcher.start();
    await dispatcher.drain();
    await dispatcher.stop();
    expect(runs).toEqual(['was-running#2', 'was-queued#1']);
    const crashLoop = sink.ends.find((entry) => entry.task.id === 'crash-loop')?.result;
    expect(crashLoop?.outcome).toBe('failed');
    expect(crashLoop?.error).toMatch(/interrupted 3 times.*maxAttempts is 3/);
    expect(source.acks).toContainEqual({ taskId: 'done', outcome: 'completed' });
    expect(sink.eventTypes('was-running')).toEqual([
      'task-interrupt',
      'task-queue',
      'task-start',
      'task-end',
    ]);
  });

  it("fails interrupted tasks without running them when onInterrupted is 'fail'", async () => {
    const store = createMemoryTaskStore();
    const time = new Date().toISOString();
    await store.append({ v: 1, type: 'task-receive', time, task: { id: 'x', text: 'x', source: 'memory' } });
    await store.append({ v: 1, type: 'task-start', time, taskId: 'x', attempt: 1, resume: false });
    const runs: string[] = [];
    const dispatcher = createTaskDispatcher({
      sources: [],
      store,
      onInterrupted: 'fail',
      run: async (task) => {
        runs.push(task.id);
        return { outcome: 'completed' };
      },
    });
    await dispatcher.start();
    await dispatcher.drain();
    await dispatcher.stop();
    expect(runs).toEqual([]);
    expect(store.records.at(-1)).toMatchObject({ type: 'task-end', taskId: 'x', outcome: 'failed' });
  });

  it('routes merge approval to the sink named like the task source, else the first that approves', async () => {
    const asked: string[] = [];
    const approver = (name: string, answer: boolean): TaskSink => ({
      name,
      async approveMerge(task, request) {
        asked.push(`${name}:${task.id}:${request.branch}`);
        return answer;
      },
    });
    const answers: (boolean | undefined)[] = [];
    const run: TaskRunner = async (_task, { approveMerge }) => {
      answers.push(
        await approveMerge?.({ branch: 'task-x', commit: 'abc1234', worktree: 'task-x', diffStat: '1 file' }),
      );
      return { outcome: 'completed' };
    };
    const chat = createMemoryTaskSource({ name: 'chat' });
    chat.push({ id: 'from-chat', text: 'x' });
    chat.end();
    const other = createMemoryTaskSource({ name: 'other' });
    other.push({ id: 'from-other', text: 'y' });
    other.end();
    const dispatcher = createTaskDispatcher({
      sources: [chat, other],
      sinks: [createRecordingSink(), approver('first', false), approver('chat', true)],
      store: 'memory',
      run,
    });
    await dispatcher.start();
    await dispatcher.drain();
    await dispatcher.stop();
    expect(asked.sort()).toEqual(['chat:from-chat:task-x', 'first:from-other:task-x']);
    expect(answers.sort()).toEqual([false, true]);

    const noApprover: (MergeApprover | undefined)[] = [];
    const plain = createTaskDispatcher({
      sources: [],
      sinks: [createRecordingSink()],
      store: 'memory',
      run: async (_task, { approveMerge }) => {
        noApprover.push(approveMerge);
        return { outcome: 'completed' };
      },
    });
    await plain.start();
    await plain.enqueue({ id: 'p', text: 'p', source: 'code' });
    await plain.drain();
    await plain.stop();
    expect(noApprover).toEqual([undefined]);
  });

  it('treats an approver that throws as a refusal', async () => {
    const answers: boolean[] = [];
    const logger = createRecordingLogger();
    const dispatcher = createTaskDispatcher({
      sources: [],
      sinks: [
        {
          name: 'broken-chat',
          approveMerge: async () => {
            throw new Error('chat offline');
          },
        },
      ],
      store: 'memory',
      logger,
      run: async (_task, { approveMerge }) => {
        answers.push(await approveMerge!({ branch: 'b', commit: 'abc1234', worktree: 'w', diffStat: '' }));
        return { outcome: 'completed' };
      },
    });
    await dispatcher.start();
    await dispatcher.enqueue({ id: 't', text: 't', source: 'code' });
    await dispatcher.drain();
    await dispatcher.stop();
    expect(answers).toEqual([false]);
    expect(logger.lines.some((line) => line.includes('not merging: chat offline'))).toBe(true);
  });

  it('rejects bad options and bad calls with errors that say what to do', async () => {
    expect(() => createTaskDispatcher({ sources: [], run: completed } as never)).toThrow(
      DispatcherConfigurationError,
    );
    expect(() => createTaskDispatcher({ sources: [], run: completed } as never)).toThrow(/store: 'memory'/);
    expect(() =>
      createTaskDispatcher({ sources: [], run: completed, store: 'memory', concurrency: 0 }),
    ).toThrow(/"concurrency" is 0; it must be a whole number of 1 or more/);
    const twins = [createMemoryTaskSource(), createMemoryTaskSource()];
    expect(() => createTaskDispatcher({ sources: twins, run: completed, store: 'memory' })).toThrow(
      /distinct names/,
    );
    const dispatcher = createTaskDispatcher({ sources: [], run: completed, store: 'memory' });
    await expect(dispatcher.enqueue({ id: 'a', text: 'a', source: 'code' })).rejects.toThrow(
      DispatcherStateError,
    );
    await dispatcher.start();
    await expect(dispatcher.start()).rejects.toThrow(/already called/);
    await expect(dispatcher.enqueue({ id: '', text: 'a', source: 'code' })).rejects.toThrow(/no string "id"/);
    await dispatcher.stop();
  });

  it('stops reading a source while the queue is full (maxQueued), and resumes as tasks run', async () => {
    let yielded = 0;
    const gate = createGate();
    const source: TaskSource = {
      name: 'firehose',
      async *tasks() {
        for (let index = 0; index < 20; index += 1) {
          yielded += 1;
          yield { id: `f${index}`, text: 'x', source: 'firehose' };
        }
      },
    };
    const runs: string[] = [];
    const dispatcher = createTaskDispatcher({
      sources: [source],
      store: 'memory',
      maxQueued: 3,
      run: async (task) => {
        runs.push(task.id);
        await gate.promise;
        return { outcome: 'completed' };
      },
    });
    await dispatcher.start();
    await waitUntil(() => runs.length === 1 && dispatcher.list().length === 4);
    await new Promise((resolve) => setTimeout(resolve, 20));
    // One running, three queued, one more in hand waiting for space.
    expect(yielded).toBe(5);
    gate.open();
    await dispatcher.drain();
    await dispatcher.stop();
    expect(runs).toHaveLength(20);
  });

  it('skips unusable deliveries from a source and keeps going', async () => {
    const logger = createRecordingLogger();
    const source: TaskSource = {
      name: 'hostile',
      async *tasks() {
        yield { id: 'ok', text: 'fine', source: 'hostile' };
        yield { id: 'blank', text: '   ', source: 'hostile' };
        yield 42 as never;
        yield { id: 'x'.repeat(600), text: 'long id', source: 'hostile' };
      },
    };
    const runs: string[] = [];
    const dispatcher = createTaskDispatcher({
      sources: [source],
      store: 'memory',
      logger,
      run: async (task) => {
        runs.push(task.id);
        return { outcome: 'completed' };
      },
    });
    await dispatcher.start();
    await dispatcher.drain();
    await dispatcher.stop();
    expect(runs).toEqual(['ok']);
    expect(logger.lines.filter((line) => line.includes('unusable task'))).toHaveLength(3);
  });
});
