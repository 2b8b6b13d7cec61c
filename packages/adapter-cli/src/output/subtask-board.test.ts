import { describe, expect, it } from 'vitest';
import { createSubtaskBoard } from './subtask-board.js';
import { testEvents } from './test-events.js';

describe('createSubtaskBoard', () => {
  it('keeps one row per task worktree with its phase, last action and tokens', () => {
    const board = createSubtaskBoard();
    board.apply(testEvents.worktreeCreate('task-slugify'));
    board.apply(testEvents.worktreeCreate('task-capitalize'));
    board.apply(testEvents.workerStart('task-slugify', 'Add slugify'));
    board.apply(testEvents.workerCommandStart('task-slugify', 'npm test'));
    board.apply(testEvents.workerUsage('task-slugify', 300));
    board.apply(testEvents.workerUsage('task-slugify', 500)); // same run: per turn, so added up
    board.apply(testEvents.workerUsage('task-slugify', 200, 'second-run'));
    expect(board.rows()).toEqual([
      {
        worktree: 'task-slugify',
        branch: 'task-slugify',
        phase: 'codex',
        lastAction: 'codex $ npm test',
        tokens: 1000,
        runningSince: '2026-01-01T10:00:02.000Z',
      },
      {
        worktree: 'task-capitalize',
        branch: 'task-capitalize',
        phase: 'ready',
        lastAction: 'worktree from main',
        tokens: 0,
      },
    ]);
    expect(board.totalTokens()).toBe(1000);
  });

  it('leaves main out and strips control characters from hostile text', () => {
    const board = createSubtaskBoard();
    expect(board.apply(testEvents.commandEnd('main', 'git status', 0))).toBe(false);
    board.apply(testEvents.workerCommandStart('task-x', 'echo \u001b[2J\u001b]0;pwned\u0007hi\nthere'));
    expect(board.rows()).toHaveLength(1);
    expect(board.rows()[0]?.lastAction).toBe('codex $ echo hi there');
  });

  it('adds up per-turn worker-usage like every other view: two 100-token turns are 200', () => {
    const board = createSubtaskBoard();
    board.apply(testEvents.workerUsage('task-a', 100));
    board.apply(testEvents.workerUsage('task-a', 100));
    expect(board.rows()[0]?.tokens).toBe(200);
    expect(board.totalTokens()).toBe(200);
  });
});
