import { describe } from 'vitest';
import { checkCases } from './case-table.js';
import { mainProbeCases, taskProbeCases } from './mixed-probes.cases.js';

describe('mixed probes in the main worktree', () => {
  checkCases('main', mainProbeCases);
});

describe('mixed probes in a task worktree', () => {
  checkCases('task-x', taskProbeCases);
});
