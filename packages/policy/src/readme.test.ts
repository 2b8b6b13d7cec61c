import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { PolicyConfig } from './config/policy-config.js';
import { createPolicy } from './create-policy.js';

const readme = readFileSync(join(dirname(fileURLToPath(import.meta.url)), '..', 'README.md'), 'utf8');
const jsonBlocks = [...readme.matchAll(/```json\n([\s\S]*?)```/g)].map((match) => match[1] ?? '');

describe('README examples', () => {
  it('has config examples', () => {
    expect(jsonBlocks.length).toBeGreaterThanOrEqual(2);
  });

  it.each(jsonBlocks.map((block, index) => [index, block]))('config example %i loads', (_, block) => {
    expect(() => createPolicy(JSON.parse(block) as PolicyConfig)).not.toThrow();
  });

  it('behaves as the main example says', () => {
    const policy = createPolicy();
    expect(
      policy.evaluate('npm test && git add -A && git commit -m "never push"', { worktree: 'task-login' })
        .decision,
    ).toBe('allow');
    const denied = policy.evaluate('npm test; g""it -C . push origin main', { worktree: 'task-login' });
    expect(denied).toMatchObject({ decision: 'deny', ruleId: 'builtin:git-push' });
    expect(denied.reason).toContain('`g""it -C . push origin main`');
  });

  it('behaves as the extension example says', () => {
    const policy = createPolicy(JSON.parse(jsonBlocks[1] ?? '{}') as PolicyConfig);
    expect(policy.evaluate('git reset --soft HEAD~1', { worktree: 'task-a' }).decision).toBe('allow');
    expect(policy.evaluate('git reset --soft HEAD~1', { worktree: 'main' }).decision).toBe('deny');
    expect(policy.evaluate('git stash pop', { worktree: 'task-a' }).ruleId).toBe(
      'no-stash-in-task-worktrees',
    );
    expect(policy.evaluate('git stash list', { worktree: 'task-a' }).decision).toBe('allow');
    expect(policy.evaluate('npm install lodash', { worktree: 'task-a' }).decision).toBe('allow');
  });
});
