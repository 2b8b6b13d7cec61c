import { describe, expect, it } from 'vitest';
import { createPolicy } from '../create-policy.js';
import { checkCases } from './case-table.js';
import { limitCases } from './limits.cases.js';

describe('limits and malformed input', () => {
  checkCases('task-x', limitCases);

  it('refuses a worktree name that is not a plain directory name', () => {
    const policy = createPolicy();
    for (const worktree of ['', '../main', 'a/b', '.', '..', 'main\n']) {
      const decision = policy.evaluate('ls', { worktree });
      expect(decision.decision, worktree).toBe('deny');
      expect(decision.ruleId).toBe('builtin:worktree-name');
    }
  });

  it('never throws on values that are not strings', () => {
    const policy = createPolicy();
    for (const value of [undefined, null, 42, {}, ['ls']]) {
      const decision = policy.evaluate(value as unknown as string, { worktree: 'main' });
      expect(decision.decision).toBe('deny');
    }
    expect(policy.evaluate('ls', null as unknown as { worktree: string }).decision).toBe('deny');
  });
});
