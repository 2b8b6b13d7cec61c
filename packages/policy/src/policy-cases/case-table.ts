import { expect, it } from 'vitest';
import { createPolicy } from '../create-policy.js';
import type { Policy } from '../types.js';

/** One table row: expected decision, the command, and optionally the rule id that must decide. */
export type PolicyCase = readonly [decision: 'allow' | 'deny', command: string, ruleId?: string];

const defaultPolicy = createPolicy();

/**
 * Registers one test per row: the policy's decision for `command` in `worktree` must be
 * `decision`, and when a rule id is given, the decision's `ruleId` must be it.
 */
export function checkCases(
  worktree: string,
  cases: readonly PolicyCase[],
  policy: Policy = defaultPolicy,
): void {
  it.each(cases.map((row) => [row[0], row[1], row[2]] as const))(
    `%s in ${worktree}: %s`,
    (decision, command, ruleId) => {
      const result = policy.evaluate(command, { worktree });
      expect(result.decision, `${command} -> ${result.reason}`).toBe(decision);
      if (ruleId !== undefined) expect(result.ruleId, result.reason).toBe(ruleId);
    },
  );
}

/** Counts rows, so a test can assert the suite keeps its size. */
export function countCases(...tables: readonly (readonly PolicyCase[])[]): number {
  return tables.reduce((total, table) => total + table.length, 0);
}

/**
 * The rows of a table as they hold in a protected worktree (`main`), where every file write is
 * refused before it runs: `changed` rows replace the rows with the same command, and a
 * write-then-execute denial is reported as the write's refusal instead.
 */
export function inProtectedWorktree(
  cases: readonly PolicyCase[],
  changed: readonly PolicyCase[] = [],
): PolicyCase[] {
  const replacements = new Map(changed.map((row) => [row[1], row]));
  return cases.map((row) => {
    const replacement = replacements.get(row[1]);
    if (replacement) return replacement;
    if (row[2] === 'builtin:write-then-execute') return ['deny', row[1], 'builtin:protected-worktree'];
    return row;
  });
}
