import { describe } from 'vitest';
import { checkCases, inProtectedWorktree } from './case-table.js';
import { redteam2MainCases, redteam2ProgramCases } from './redteam2-programs.cases.js';

describe('program checks refuse the second red-team round, and keep the neighbours', () => {
  checkCases('task-x', redteam2ProgramCases);
  checkCases(
    'main',
    inProtectedWorktree(redteam2ProgramCases, [['deny', 'black src', 'builtin:protected-worktree']]),
  );
  checkCases('main', redteam2MainCases);
});
