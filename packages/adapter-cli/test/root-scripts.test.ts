/**
 * The user's guide starts runs with `yarn orchestrator "<task>"` and `yarn dispatcher`, the README
 * with `npm run demo`: the root package.json must keep those scripts working with npm and yarn.
 */
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';

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
