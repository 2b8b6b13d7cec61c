import { describe, expect, it } from 'vitest';
import { buildCodexPrompt, type CodexTaskKind } from './codex-prompt.js';

describe('buildCodexPrompt', () => {
  it('states goal, limits, tests and definition of done', () => {
    const prompt = buildCodexPrompt({
      kind: 'feature',
      goal: '  Add a search endpoint for users.  ',
      tests: ['npm test -- users'],
      files: ['src/users/'],
      limits: ['Do not touch the billing module.'],
    });
    expect(prompt).toContain('# Implement a feature');
    expect(prompt).toContain('## Goal\nAdd a search endpoint for users.\n');
    expect(prompt).toContain('## Focus on\n- src/users/');
    expect(prompt).toMatch(/## Limits\n- Work only inside this worktree/);
    expect(prompt).toContain('- Do not add, remove or upgrade dependencies');
    expect(prompt).toContain('- Never run git push');
    expect(prompt).toContain('- Do not touch the billing module.');
    expect(prompt).toContain('## Tests to run\n- npm test -- users');
    expect(prompt).toContain('git add -A && git commit -m "feat: <short summary>"');
  });

  it.each<[CodexTaskKind, RegExp]>([
    ['refactor', /Change the structure, not the behaviour/],
    ['fix', /Reproduce the bug first/],
    ['migration', /Migrate in small steps/],
    ['tests', /Add tests only; do not change production code/],
  ])('gives %s its own guidance', (kind, guidance) => {
    expect(buildCodexPrompt({ kind, goal: 'g' })).toMatch(guidance);
  });

  it('allows dependency changes and a custom definition of done when asked', () => {
    const prompt = buildCodexPrompt({
      kind: 'migration',
      goal: 'Move to zod 4',
      allowDependencyChanges: true,
      done: ['zod 4 only'],
    });
    expect(prompt).toContain('Dependency changes are allowed');
    expect(prompt).not.toContain('Do not add, remove or upgrade dependencies');
    expect(prompt).toMatch(/## Done when\n- zod 4 only\n$/);
  });
});
