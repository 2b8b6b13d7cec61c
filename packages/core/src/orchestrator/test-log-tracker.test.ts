import { describe, expect, it } from 'vitest';
import { isTestCommand } from './test-log-tracker.js';

describe('isTestCommand', () => {
  it.each([
    'npm test',
    'npm run test -- --grep x',
    'pnpm test',
    'npx vitest run',
    'pytest -q',
    'node --test',
    "/bin/bash -lc 'npm test'",
    'cd sub && go test ./...',
  ])('counts %s as a test run', (command) => {
    expect(isTestCommand(command)).toBe(true);
  });

  it.each([
    'git status',
    'npm run build',
    'cat test/fixtures.txt',
    `codex exec --sandbox workspace-write "Add slugify. Tests: node --test. Done when npm test passes."`,
    `/usr/local/bin/codex exec "run pytest and fix failures"`,
  ])('does not count %s', (command) => {
    expect(isTestCommand(command)).toBe(false);
  });
});
