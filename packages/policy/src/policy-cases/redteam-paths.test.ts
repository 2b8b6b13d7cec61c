import { describe } from 'vitest';
import { checkCases } from './case-table.js';
import { globPathCases } from './redteam-paths.cases.js';

describe('globs and file lists that reach .git, secrets or the worktree itself', () => {
  checkCases('task-x', globPathCases);
  checkCases('main', globPathCases);
});
