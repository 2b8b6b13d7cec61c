import { describe } from 'vitest';
import { checkCases, inProtectedWorktree } from './case-table.js';
import { globPathCases } from './redteam-paths.cases.js';

describe('globs and file lists that reach .git, secrets or the worktree itself', () => {
  checkCases('task-x', globPathCases);
  checkCases(
    'main',
    inProtectedWorktree(globPathCases, [
      ['deny', 'touch src/*.ts', 'builtin:protected-worktree'],
      ['deny', 'echo x > notes.txt', 'builtin:protected-worktree'],
      ['deny', 'npx prettier --write src/index.ts', 'builtin:protected-worktree'],
    ]),
  );
});
