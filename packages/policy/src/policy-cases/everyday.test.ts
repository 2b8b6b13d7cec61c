import { describe } from 'vitest';
import { checkCases } from './case-table.js';
import { mainWorktreeCases, taskWorktreeCases } from './everyday.cases.js';

describe('everyday commands in the main worktree are allowed', () => {
  checkCases('main', mainWorktreeCases);
});

describe('everyday commands in task worktrees are allowed', () => {
  checkCases('task-users-search', taskWorktreeCases);
});
