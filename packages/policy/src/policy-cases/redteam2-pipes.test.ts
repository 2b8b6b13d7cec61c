import { describe } from 'vitest';
import { checkCases, inProtectedWorktree } from './case-table.js';
import { redteam2PipeCases } from './redteam2-pipes.cases.js';

describe('yarn/pnpm tools, pnpm selectors, xargs producers and git pathspecs (second red-team round)', () => {
  checkCases('task-x', redteam2PipeCases);
  checkCases(
    'main',
    inProtectedWorktree(redteam2PipeCases, [
      ['deny', 'git add src/*', 'builtin:protected-worktree'],
      ['deny', 'git add -- src/*.ts', 'builtin:protected-worktree'],
    ]),
  );
});
