import { describe, expect, it } from 'vitest';
import { cli } from './cli-harness.js';

// `orchestrator policy ...` is the policy CLI, with its exit codes: 0 allowed, 1 denied, 2 usage.
describe('orchestrator policy', () => {
  it('exits 0 for an allowed command', async () => {
    const run = await cli(['policy', 'check', '--worktree', 'task-search', '--', 'npm', 'test']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/allow/i);
  });

  it('exits 1 for a denied command and says why', async () => {
    const run = await cli(['policy', 'check', '--json', '--', 'git push origin main']);
    expect(run.code).toBe(1);
    const decision = JSON.parse(run.stdout) as { decision: string; reason: string; command: string };
    expect(decision.decision).toBe('deny');
    expect(decision.command).toBe('git push origin main');
    expect(decision.reason).toMatch(/push/i);
  });

  it('exits 2 on a usage error, before parsing anything of its own', async () => {
    const run = await cli(['policy', 'check', '--frobnicate']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--frobnicate');
    expect((await cli(['policy'])).code).toBe(2);
  });
});
