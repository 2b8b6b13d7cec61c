import { describe, expect, it } from 'vitest';
import type { OrchestratorEvent } from '../events.js';
import { emptyTokenUsage } from '../orchestrator/token-usage.js';
import type { TokenUsage, WorkerResult } from '../types.js';
import { reduceRunState } from './reduce-run-state.js';
import { createRunState, type RunState, runStateTokens } from './run-state.js';

const time = '2026-01-01T10:00:00.000Z';
const usage = (totalTokens: number): TokenUsage => ({
  ...emptyTokenUsage(),
  inputTokens: totalTokens,
  totalTokens,
});
const result = (status: WorkerResult['status'], totalTokens: number): WorkerResult => ({
  status,
  finalMessage: 'done',
  filesChanged: [{ path: '/base/task-a/src/a.ts', kind: 'add' }],
  commands: [],
  usage: usage(totalTokens),
  exitCode: status === 'completed' ? 0 : 1,
  durationMs: 10,
  errors: [],
});
const play = (events: OrchestratorEvent[], from: RunState = createRunState()) =>
  events.reduce(reduceRunState, from);

const codexCommand = (callId: string, worktree = 'task-a'): OrchestratorEvent => ({
  type: 'command-start',
  time,
  callId,
  worktree,
  command: `codex exec -C ${worktree} "Add a"`,
  dryRun: false,
});
const commandEnd = (
  callId: string,
  command: string,
  status: 'ok' | 'failed' | 'cancelled',
  worktree = 'task-a',
): OrchestratorEvent => ({
  type: 'command-end',
  time,
  callId,
  worktree,
  command,
  exitCode: status === 'ok' ? 0 : 1,
  durationMs: 5,
  timedOut: false,
  cancelled: status === 'cancelled',
  truncated: false,
  dryRun: false,
  status,
});
const workerStart = (workerRunId: string, worktree = 'task-a'): OrchestratorEvent => ({
  type: 'worker-start',
  time,
  workerRunId,
  worker: 'codex',
  worktree,
  prompt: 'Add a',
});
const workerUsage = (workerRunId: string, tokens: number, worktree = 'task-a'): OrchestratorEvent => ({
  type: 'worker-usage',
  time,
  workerRunId,
  worktree,
  usage: usage(tokens),
});

describe('reduceRunState', () => {
  it('adds up per-turn worker-usage: two 100-token turns are 200 tokens', () => {
    const state = play([workerStart('w1'), workerUsage('w1', 100), workerUsage('w1', 100)]);
    expect(state.subtasks[0]?.tokens).toBe(200);
    expect(state.workerRuns[0]?.usage.totalTokens).toBe(200);
    expect(runStateTokens(state)).toBe(200);
    // The end of the run does not count its turns twice.
    const ended = reduceRunState(state, {
      type: 'worker-end',
      time,
      workerRunId: 'w1',
      worktree: 'task-a',
      result: result('completed', 200),
    });
    expect(ended.subtasks[0]?.tokens).toBe(200);
  });

  it('takes the result usage of a worker that reported no turns, and sums runs per worktree', () => {
    const state = play([
      workerStart('w1'),
      { type: 'worker-end', time, workerRunId: 'w1', worktree: 'task-a', result: result('completed', 70) },
      workerStart('w2'),
      workerUsage('w2', 30),
      workerStart('w3', 'task-b'),
      workerUsage('w3', 5, 'task-b'),
    ]);
    expect(state.subtasks.map((subtask) => [subtask.worktree, subtask.tokens])).toEqual([
      ['task-a', 100],
      ['task-b', 5],
    ]);
    expect(runStateTokens(state)).toBe(105);
  });

  it('prefers the run totals of usage-update (cumulative: the last one replaces)', () => {
    const totals = (tokens: number): OrchestratorEvent => ({
      type: 'usage-update',
      time,
      orchestrator: usage(tokens),
      workers: usage(1),
      costUsd: 0.5,
    });
    const state = play([workerStart('w1'), workerUsage('w1', 100), totals(1000), totals(3000)]);
    expect(runStateTokens(state)).toBe(3001);
    expect(state.usage?.costUsd).toBe(0.5);
  });

  it('shows a codex run waiting for a slot as queued, then running, and a cancelled one as cancelled', () => {
    const queued = play([codexCommand('c1')]);
    expect(queued.subtasks[0]?.phase).toBe('queued');
    const running = reduceRunState(queued, workerStart('w1'));
    expect(running.subtasks[0]?.phase).toBe('running');
    const cancelled = play(
      [
        { type: 'worker-end', time, workerRunId: 'w1', worktree: 'task-a', result: result('cancelled', 0) },
        commandEnd('c1', 'codex exec -C task-a "Add a"', 'cancelled'),
      ],
      running,
    );
    expect(cancelled.subtasks[0]?.phase).toBe('cancelled');
    // Cancelled while still queued: the worker never started.
    const neverStarted = play([
      codexCommand('c2', 'task-b'),
      commandEnd('c2', 'codex exec', 'cancelled', 'task-b'),
    ]);
    expect(neverStarted.subtasks[0]?.phase).toBe('cancelled');
    // A failed run is failed.
    const failed = play([
      workerStart('w9'),
      { type: 'worker-end', time, workerRunId: 'w9', worktree: 'task-a', result: result('failed', 0) },
    ]);
    expect(failed.subtasks[0]?.phase).toBe('failed');
  });

  it('tracks running commands with their start time, for elapsed times', () => {
    const state = play([
      { type: 'command-start', time, callId: 'c1', worktree: 'task-a', command: 'npm test', dryRun: false },
      workerStart('w1'),
      {
        type: 'worker-command-start',
        time: '2026-01-01T10:00:05.000Z',
        workerRunId: 'w1',
        worktree: 'task-a',
        itemId: 'i1',
        command: 'npm run build',
      },
    ]);
    expect(state.subtasks[0]?.running).toEqual([
      { command: 'npm test', startedAt: time, source: 'orchestrator' },
      { command: 'npm run build', startedAt: '2026-01-01T10:00:05.000Z', source: 'codex' },
    ]);
    const after = play(
      [
        commandEnd('c1', 'npm test', 'ok'),
        {
          type: 'worker-command-end',
          time,
          workerRunId: 'w1',
          worktree: 'task-a',
          itemId: 'i1',
          command: 'npm run build',
          exitCode: 0,
          output: '',
        },
      ],
      state,
    );
    expect(after.subtasks[0]?.running).toEqual([]);
    expect(after.subtasks[0]?.codexCommand).toEqual({ command: 'npm run build', exitCode: 0 });
    expect(after.commands).toEqual([
      expect.objectContaining({ callId: 'c1', status: 'ok', exitCode: 0, durationMs: 5 }),
    ]);
    expect(after.tests).toEqual([
      { worktree: 'task-a', command: 'npm test', source: 'orchestrator', exitCode: 0, passed: true },
    ]);
  });

  it('follows a branch through review, approval, merge and smoke test', () => {
    const state = play([
      {
        type: 'worktree-create',
        time,
        worktree: 'task-a',
        path: '/base/task-a',
        branch: 'feature/a',
        base: 'main',
        reused: false,
      },
      {
        type: 'review-start',
        time,
        branch: 'feature/a',
        commit: 'c',
        mode: 'agent',
      },
    ]);
    expect(state.subtasks[0]?.phase).toBe('reviewing');
    const merged = play(
      [
        {
          type: 'review-end',
          time,
          branch: 'feature/a',
          commit: 'c',
          mode: 'agent',
          verdict: 'approve',
          summary: 'ok',
          comments: [],
          durationMs: 1,
        },
        { type: 'approval-start', time, branch: 'feature/a' },
        { type: 'approval-end', time, branch: 'feature/a', approved: true, durationMs: 1 },
        { type: 'merge-start', time, branch: 'feature/a', mainCommit: 'm0', branchCommit: 'b1' },
        { type: 'merge-end', time, branch: 'feature/a', outcome: 'merged', mainCommit: 'm1', durationMs: 1 },
        { type: 'smoke-test-start', time, branch: 'feature/a', command: 'npm test', mainCommit: 'm1' },
        {
          type: 'smoke-test-end',
          time,
          branch: 'feature/a',
          command: 'npm test',
          mainCommit: 'm1',
          passed: true,
          exitCode: 0,
          durationMs: 3,
          output: '',
        },
        { type: 'merge-conflict', time, branch: 'task-b', files: ['x.ts'], mainCommit: 'm1' },
        { type: 'merge-end', time, branch: 'task-b', outcome: 'conflict', mainCommit: 'm1', durationMs: 1 },
      ],
      state,
    );
    expect(merged.subtasks.map((subtask) => [subtask.worktree, subtask.phase, subtask.materialized])).toEqual(
      [
        ['task-a', 'merging', true], // the smoke test runs for it in main
        ['task-b', 'conflict', false],
      ],
    );
    expect(merged.branches).toEqual([
      { branch: 'feature/a', review: 'approve', approval: 'approved', merge: 'merged', smokeTest: 'passed' },
      { branch: 'task-b', merge: 'conflict', conflictFiles: ['x.ts'] },
    ]);
    expect(merged.merges[1]).toEqual({
      branch: 'task-b',
      outcome: 'conflict',
      mainCommit: 'm1',
      conflictFiles: ['x.ts'],
    });
    expect(merged.tests).toEqual([
      {
        worktree: 'main',
        command: 'npm test',
        source: 'smoke-test',
        exitCode: 0,
        passed: true,
        branch: 'feature/a',
      },
    ]);
    expect(merged.activity).toEqual({ kind: 'merging', branch: 'feature/a' });
  });

  it('moves a task from queued to running to its outcome', () => {
    const queued = play([{ type: 'task-queue', time, taskId: 't', source: 's', reason: 'received' }]);
    expect(queued.status).toBe('queued');
    const running = reduceRunState(queued, {
      type: 'task-start',
      time,
      taskId: 't',
      source: 's',
      attempt: 2,
      resume: true,
    });
    expect([running.status, running.attempt]).toEqual(['running', 2]);
    const ended = reduceRunState(running, {
      type: 'task-end',
      time,
      taskId: 't',
      source: 's',
      outcome: 'cancelled',
      attempt: 2,
      durationMs: 1,
    });
    expect(ended.status).toBe('cancelled');
  });

  it('marks planned subtasks and never lists main', () => {
    const state = play([
      {
        type: 'plan-update',
        time,
        steps: [
          { title: 'Add a', status: 'pending', worktree: 'task-a' },
          { title: 'Check main', status: 'pending', worktree: 'main' },
          { title: 'Later', status: 'pending' },
        ],
      },
      { type: 'command-start', time, callId: 'c', worktree: 'main', command: 'git log', dryRun: false },
    ]);
    expect(state.subtasks).toEqual([
      expect.objectContaining({ worktree: 'task-a', phase: 'planned', planTitle: 'Add a' }),
    ]);
    expect(state.commands).toHaveLength(1);
  });

  it('is pure: it never changes the state it is given, and returns it for events it cannot use', () => {
    const before = play([workerStart('w1'), workerUsage('w1', 100), codexCommand('c1', 'task-b')]);
    const snapshot = structuredClone(before);
    const after = play(
      [
        workerUsage('w1', 50),
        { type: 'worker-end', time, workerRunId: 'w1', worktree: 'task-a', result: result('completed', 150) },
        commandEnd('c1', 'codex exec', 'ok', 'task-b'),
      ],
      before,
    );
    expect(before).toEqual(snapshot);
    expect(after).not.toBe(before);
    const unknown = { type: 'merge-queue-start', time } as unknown as OrchestratorEvent;
    expect(reduceRunState(after, unknown)).toBe(after);
    const partial = { type: 'worker-end', time, workerRunId: 'w1', worktree: 'task-a' } as OrchestratorEvent;
    expect(reduceRunState(after, partial)).toBe(after);
    const reasoning: OrchestratorEvent = {
      type: 'worker-message',
      time,
      workerRunId: 'w1',
      worktree: 'task-a',
      kind: 'reasoning',
      text: 'hmm',
    };
    expect(reduceRunState(after, reasoning)).toBe(after);
  });
});
