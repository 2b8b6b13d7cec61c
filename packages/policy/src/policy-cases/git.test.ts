import { describe } from 'vitest';
import { checkCases, inProtectedWorktree } from './case-table.js';
import { globalOptionCases, pushCases, subcommandCases, worktreeCases } from './git.cases.js';

describe('git push in every form', () => {
  checkCases('task-x', pushCases);
  checkCases(
    'main',
    inProtectedWorktree(
      pushCases.filter(([decision]) => decision === 'deny'),
      [['deny', 'git commit -m "x" && git push -u origin task-x', 'builtin:protected-worktree']],
    ),
  );
});

describe('git global options', () => {
  checkCases('task-x', globalOptionCases);
});

describe('git subcommands', () => {
  checkCases('task-x', subcommandCases);
});

describe('git worktree paths', () => {
  checkCases('main', worktreeCases);
  checkCases('task-x', [
    ['deny', 'git worktree add ../task-y main'],
    ['deny', 'git worktree remove ../task-y'],
    ['allow', 'git worktree list', 'git-inspect'],
  ]);
});
