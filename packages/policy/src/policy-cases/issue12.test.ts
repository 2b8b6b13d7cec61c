import { describe, expect, it } from 'vitest';
import { createPolicy } from '../create-policy.js';
import { checkCases } from './case-table.js';
import {
  argv0Cases,
  environmentCases,
  falseDenialCases,
  gitLocationCases,
  linkAndModeCases,
  objectStoreCases,
  printerCases,
  refWriteCases,
  toolCases,
} from './issue12.cases.js';

describe('issue 12, class 1: wrappers that set argv[0]', () => checkCases('task-x', argv0Cases));
describe('issue 12, class 2: git at the worktree root only', () => checkCases('task-x', gitLocationCases));
describe('issue 12, class 3: options that write refs', () => checkCases('task-x', refWriteCases));
describe('issue 12, class 4: the environment allowlist', () => checkCases('task-x', environmentCases));
describe('issue 12, class 5: links and modes made indirectly', () => checkCases('task-x', linkAndModeCases));
describe('issue 12, class 6: printers of config and URLs', () => checkCases('task-x', printerCases));
describe('issue 12, class 7: secrets through the object store', () => checkCases('task-x', objectStoreCases));
describe('issue 12, class 8: narrowed tools', () => checkCases('task-x', toolCases));
describe('issue 12: false denials', () => checkCases('task-x', falseDenialCases));

describe('issue 12: clearer reasons', () => {
  const policy = createPolicy();
  it('says backquotes run commands inside double quotes', () => {
    const decision = policy.evaluate('codex exec "fix the `src/a.ts` bug"', { worktree: 'task-x' });
    expect(decision.reason).toContain('backquotes run commands inside double quotes; use single quotes');
  });
  it('names the worktree to send a command to instead of cd ../task-x or git -C ../task-x', () => {
    for (const command of ['cd ../task-x && npm test', 'git -C ../task-x status']) {
      const decision = policy.evaluate(command, { worktree: 'main' });
      expect(decision.decision).toBe('deny');
      expect(decision.reason).toContain('worktree: "task-x"');
    }
  });
  it('gives dependency hints that fit the ecosystem and name the policy file', () => {
    const hint = (command: string) => policy.evaluate(command, { worktree: 'task-x' }).reason;
    expect(hint('pip install -e .')).not.toContain('npm ci');
    expect(hint('pip install -e .')).toContain('.venv/bin/python -m pytest');
    expect(hint('npm install lodash')).toContain('npm ci');
    expect(hint('cargo add serde')).toContain('--locked');
    expect(hint('go get example.com/x')).toContain('go mod download');
    expect(hint('yarn add react')).toContain('--frozen-lockfile');
    expect(hint('npm install lodash')).toContain('in the policy file, --policy FILE');
  });
  it('lets the policy file extend the environment allowlist', () => {
    const extended = createPolicy({
      version: 1,
      extends: 'default',
      allowedEnvironment: ['MY_FLAG', 'APP_*'],
    });
    expect(extended.evaluate('MY_FLAG=1 APP_MODE=x npm test', { worktree: 'task-x' }).decision).toBe('allow');
    expect(policy.evaluate('MY_FLAG=1 npm test', { worktree: 'task-x' }).decision).toBe('deny');
  });
});

describe("issue 11 item 4: the protected main worktree is the merge queue's", () => {
  checkCases('main', [
    ['allow', 'git merge task-x', 'git-local-changes'],
    ['allow', 'git merge --no-ff task-x -m "merge task-x"', 'git-local-changes'],
    ['allow', 'git merge --abort', 'git-local-changes'],
    ['allow', 'git status', 'git-inspect'],
    ['allow', 'git log --oneline -5', 'git-inspect'],
    ['allow', 'git worktree add -b task-y ../task-y main', 'git-worktrees'],
    ['allow', 'git worktree remove ../task-y', 'git-worktrees'],
    ['allow', 'git branch -d task-x', 'git-local-changes'],
    ['allow', 'git fetch origin', 'git-sync'],
    ['allow', 'git stash list', 'git-inspect'],
    ['allow', 'npm test'],
    ['allow', 'prettier --check .'],
    ['deny', 'git -c user.name=x merge task-x', 'builtin:protected-worktree'],
    ['deny', 'git commit -m x', 'builtin:protected-worktree'],
    ['deny', 'git checkout -B x origin/main', 'builtin:git-ref-write'],
    ['deny', 'git checkout task-x', 'builtin:protected-worktree'],
    ['deny', 'git switch task-x', 'builtin:protected-worktree'],
    ['deny', 'git pull --ff-only origin main', 'builtin:protected-worktree'],
    ['deny', 'git stash', 'builtin:protected-worktree'],
    ['deny', 'git restore src/a.ts', 'builtin:protected-worktree'],
    ['deny', 'git reset --hard', 'builtin:protected-worktree'],
    ['deny', 'git cherry-pick abc', 'builtin:protected-worktree'],
    ['deny', 'git add -A', 'builtin:protected-worktree'],
    ['deny', 'git rm x', 'builtin:protected-worktree'],
    ['deny', 'git read-tree HEAD', 'builtin:protected-worktree'],
    ['deny', 'sed -i s/a/b/ x.txt', 'builtin:protected-worktree'],
    ['deny', 'echo x > notes.txt', 'builtin:protected-worktree'],
    ['deny', 'npm test | tee test.log', 'builtin:protected-worktree'],
    ['deny', 'prettier --write .', 'builtin:protected-worktree'],
    ['deny', 'black src', 'builtin:protected-worktree'],
    ['deny', "codex exec 'fix it'", 'builtin:protected-worktree'],
  ]);
  it('says what to do instead', () => {
    const decision = createPolicy().evaluate('git commit -m x', { worktree: 'main' });
    expect(decision.reason).toContain('task worktree');
  });
  it('looks formatters up by name only: a program named like an Object method is an unknown program', () => {
    const policy = createPolicy();
    for (const name of ['constructor', 'toString x', 'hasOwnProperty', '__proto__', 'valueOf']) {
      const decision = policy.evaluate(name, { worktree: 'main' });
      expect(decision.decision).toBe('deny');
      expect(decision.reason).toContain('no rule allows it');
    }
  });
});
