import type { OrchestratorEvent } from '@codex-orchestrator/core';
import { describe, expect, it } from 'vitest';
import {
  applyProgressEvent,
  createProgressView,
  finishProgressView,
  renderProgressView,
} from './progress-view.js';

const time = '2025-01-01T00:00:00.000Z';
const usage = (totalTokens: number) => ({
  inputTokens: totalTokens,
  cachedInputTokens: 0,
  outputTokens: 0,
  reasoningOutputTokens: 0,
  totalTokens,
});

describe('progress view', () => {
  it('summarises worktrees, codex actions, merges, denials and tokens', () => {
    const view = createProgressView('#7', 'build search\nand billing');
    const events: OrchestratorEvent[] = [
      { type: 'task-start', time, taskId: 't', source: 'telegram', attempt: 2, resume: true },
      {
        type: 'plan-update',
        time,
        steps: [
          { title: 'Add search', status: 'done', worktree: 'task-a' },
          { title: 'Add billing', status: 'in-progress' },
        ],
      },
      {
        type: 'worktree-create',
        time,
        worktree: 'task-a',
        path: '/r/task-a',
        branch: 'feature/a',
        base: 'main',
        reused: false,
      },
      { type: 'worker-start', time, workerRunId: 'r1', worker: 'codex', worktree: 'task-a', prompt: 'p' },
      {
        type: 'worker-command-end',
        time,
        workerRunId: 'r1',
        worktree: 'task-a',
        itemId: 'i',
        command: '/bin/bash -lc "npm\ntest"',
        exitCode: 1,
        output: '',
      },
      {
        type: 'worker-file-change',
        time,
        workerRunId: 'r1',
        worktree: 'task-a',
        changes: [{ path: 'a.ts', kind: 'add' }],
      },
      {
        type: 'command-denied',
        time,
        callId: 'd',
        worktree: 'main',
        command: 'git push',
        reason: 'no pushing',
      },
      {
        type: 'review-end',
        time,
        branch: 'feature/a',
        commit: 'c',
        mode: 'agent',
        verdict: 'approve',
        summary: 's',
        comments: [],
        durationMs: 1,
      },
      { type: 'approval-start', time, branch: 'feature/a' },
      { type: 'approval-end', time, branch: 'feature/a', approved: true, durationMs: 1 },
      { type: 'merge-end', time, branch: 'feature/a', outcome: 'merged', mainCommit: 'm', durationMs: 1 },
      { type: 'merge-conflict', time, branch: 'task-b', files: ['x.ts'], mainCommit: 'm' },
      { type: 'usage-update', time, orchestrator: usage(1000), workers: usage(234), costUsd: 0.0123 },
    ];
    for (const event of events) applyProgressEvent(view, event);
    const text = renderProgressView(view);
    expect(text).toBe(
      [
        '⏳ Task #7 · running (attempt 2)',
        '“build search and billing”',
        '',
        'Plan:',
        ' ✓ Add search [task-a]',
        ' ▸ Add billing',
        '',
        '▸ task-a [feature/a]: codex running · 1 files',
        '   $ npm test → exit 1',
        '',
        'Branches:',
        ' feature/a: review: approve · approved · merged ✓',
        ' task-b: conflict ✗ (1 files)',
        '',
        'Denied commands: 1',
        'Tokens: 1,234 (orchestrator 1,000, codex 234) · ~$0.01',
        '',
        'Cancel: /cancel 7',
      ].join('\n'),
    );
    finishProgressView(view, 'failed', 'model endpoint failed');
    expect(renderProgressView(view).split('\n').slice(0, 3)).toEqual([
      '❌ Task #7 · failed (attempt 2)',
      '“build search and billing”',
      'model endpoint failed',
    ]);
  });

  it('ignores unknown and partial events and stays within one message', () => {
    const view = createProgressView('#1', 'x'.repeat(10_000));
    applyProgressEvent(view, { type: 'merge-queue-start', time } as unknown as OrchestratorEvent);
    applyProgressEvent(view, { type: 'worker-end', time } as unknown as OrchestratorEvent);
    applyProgressEvent(view, { type: 'worker-file-change', time } as unknown as OrchestratorEvent);
    for (let index = 0; index < 40; index += 1) {
      applyProgressEvent(view, {
        type: 'worker-command-start',
        time,
        workerRunId: `r${index}`,
        worktree: `task-${index}`,
        itemId: 'i',
        command: 'y'.repeat(5000),
      });
    }
    const text = renderProgressView(view);
    expect(text.length).toBeLessThanOrEqual(4096);
    expect(text).toContain('… and 30 more');
  });

  it('adds up per-turn worker-usage like every other view: two 100-token turns are 200', () => {
    const view = createProgressView('#2', 'task');
    for (let turn = 0; turn < 2; turn += 1)
      applyProgressEvent(view, {
        type: 'worker-usage',
        time,
        workerRunId: 'r1',
        worktree: 'task-a',
        usage: usage(100),
      });
    expect(renderProgressView(view)).toContain('Codex tokens: 200');
  });

  it('stays queued until the task starts', () => {
    const view = createProgressView('#3', 'task');
    applyProgressEvent(view, {
      type: 'task-queue',
      time,
      taskId: 't',
      source: 'telegram',
      reason: 'received',
    });
    expect(renderProgressView(view).split('\n')[0]).toBe('🕐 Task #3 · queued');
    applyProgressEvent(view, {
      type: 'task-start',
      time,
      taskId: 't',
      source: 'telegram',
      attempt: 1,
      resume: false,
    });
    expect(renderProgressView(view).split('\n')[0]).toBe('⏳ Task #3 · running');
  });
});
