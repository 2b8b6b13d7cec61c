/**
 * Test support (not exported): a tiny Policy for runner unit tests, so they test the runner and
 * not the rules of the real policy engine (those are covered by tests with `createPolicy()`).
 * It denies any script mentioning `git push` or `DENY`, splits on `&&`, `||`, `;` and `|`, and
 * splits words on spaces (no quoting).
 */
import type { Policy, PolicyDecision } from '@codex-orchestrator/policy';

/** The test policy plus the commands it was asked about. */
export interface TestPolicy extends Policy {
  readonly evaluated: string[];
}

/** Creates the test policy. */
export function createTestPolicy(): TestPolicy {
  const evaluated: string[] = [];
  return {
    evaluated,
    evaluate(command): PolicyDecision {
      evaluated.push(command);
      const commands = command
        .split(/&&|\|\||;|\|/)
        .map((text) => text.trim())
        .filter((text) => text !== '')
        .map((text) => ({ argv: text.split(/\s+/), text, decision: 'allow' as const, reason: 'test' }));
      if (/git\s+push|DENY/.test(command)) {
        return {
          decision: 'deny',
          reason: 'git push is forbidden: the orchestrator never pushes',
          ruleId: 'test.no-push',
          commands,
        };
      }
      return { decision: 'allow', reason: 'allowed by the test policy', ruleId: 'test.allow', commands };
    },
  };
}
