/**
 * The user's guide starts runs with `yarn orchestrator "<task>"` and `yarn dispatcher`, the README
 * with `npm run demo`: the root package.json must keep those scripts working with npm and yarn.
 */
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs script of the repository root, without type declarations
import { summarizeTestOutput } from '../../../scripts/test-summary.mjs';

const root = JSON.parse(await readFile(new URL('../../../package.json', import.meta.url), 'utf8')) as {
  scripts: Record<string, string>;
  packageManager?: string;
  devEngines?: { packageManager?: { name: string } };
};

describe('root package.json', () => {
  it('has the orchestrator, dispatcher and demo scripts, all through the building launcher', () => {
    expect(root.scripts.orchestrator).toBe('node scripts/orchestrator.mjs');
    expect(root.scripts.dispatcher).toBe('node scripts/orchestrator.mjs dispatch');
    expect(root.scripts.demo).toBe('node scripts/orchestrator.mjs demo');
  });

  it('names npm in devEngines, not packageManager (yarn 1 refuses to run scripts when packageManager names another tool)', () => {
    expect(root.packageManager).toBeUndefined();
    // turbo needs one of the two to resolve the workspaces.
    expect(root.devEngines?.packageManager?.name).toBe('npm');
  });
});

describe('npm test', () => {
  it('runs every workspace (turbo --continue) through the summing script, which CI calls', async () => {
    expect(root.scripts.test).toBe('node scripts/run-tests.mjs');
    const runner = await readFile(new URL('../../../scripts/run-tests.mjs', import.meta.url), 'utf8');
    expect(runner).toContain("'--continue'");
    const ci = await readFile(new URL('../../../.ci/run', import.meta.url), 'utf8');
    expect(ci).toMatch(/^npm test$/m);
  });

  it('sums every workspace into one line and counts a workspace that failed without a failing test', () => {
    const lines = [
      '@x/a:test:       Tests  \u001b[1m1 failed\u001b[22m | 8 passed | 1 skipped (10)',
      '@x/a:test:  Test Files  1 failed | 1 passed (2)',
      '@x/b:test:       Tests  2 passed (2)',
      '@x/c:test:       Tests  5 passed (5)',
      '@x/a#test:  ERROR  command (/r/a) /usr/bin/npm run test exited (1)',
      '@x/b#test:  ERROR  command (/r/b) /usr/bin/npm run test exited (1)',
    ];
    const summary = summarizeTestOutput(lines, 1) as {
      passed: number;
      failed: number;
      skipped: number;
      crashed: string[];
      failedWorkspaces: string[];
    };
    expect(summary).toMatchObject({ passed: 15, failed: 2, skipped: 1, crashed: ['@x/b'] });
    expect(summary.failedWorkspaces.sort()).toEqual(['@x/a', '@x/b']);
    expect(summarizeTestOutput(['@x/c:test:       Tests  5 passed (5)'], 0)).toMatchObject({ failed: 0 });
  });
});
