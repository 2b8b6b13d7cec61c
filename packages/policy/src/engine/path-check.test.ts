import { describe, expect, it } from 'vitest';
import { findPathProblem, findSecretProblem, isWorktreeRoot } from './path-check.js';

const root = [[]] as const;

describe('findPathProblem', () => {
  it.each([
    'src',
    'src/index.ts',
    './a/../b',
    'a/b/../../c',
    '/dev/null',
    '/dev/fd/63',
    'main...task-x',
    'HEAD~1',
    '',
  ])('keeps %j inside', (value) => {
    expect(findPathProblem(value, root)).toBeUndefined();
  });

  it.each(['..', '../x', 'a/../../x', '/etc/passwd', '~/.ssh', '~root', '/dev/tcp/host/80'])(
    'finds %j outside',
    (value) => {
      expect(findPathProblem(value, root)).toBeDefined();
    },
  );

  it('resolves against every directory the shell may be in', () => {
    expect(findPathProblem('../x', [['src']])).toBeUndefined();
    expect(findPathProblem('../x', [['src'], []])).toBeDefined();
  });

  it('treats glob segments that can match .. as leaving', () => {
    expect(findPathProblem('.*/x', root, { glob: true })).toBeDefined();
    expect(findPathProblem('.*/x', root)).toBeUndefined();
    expect(findPathProblem('*.ts', root, { glob: true })).toBeUndefined();
  });

  it('decides every glob spelling of .. the way the pattern would match it', () => {
    for (const segment of ['..', '?.', '.?', '.*', '*.', '.*.', '[.].', '.[ab]', '*.*']) {
      expect(findPathProblem(`${segment}/x`, root, { glob: true }), segment).toBeDefined();
    }
    for (const segment of ['.?.', '.[.].', '*a.', '.a*', '[]].', '\\.*', '.*.*.']) {
      expect(findPathProblem(`${segment}/x`, root, { glob: true }), segment).toBeUndefined();
    }
  });

  it('refuses writes into .git, in any letter case, but not other dot names', () => {
    expect(findPathProblem('src/.GIT/config', root, { write: true })).toContain('.git');
    expect(findPathProblem('src/.gitignore', root, { write: true })).toBeUndefined();
    expect(findPathProblem('src/a.ts', root, { write: true })).toBeUndefined();
  });

  it('refuses writes into .git', () => {
    expect(findPathProblem('.git/hooks/pre-commit', root, { write: true })).toContain('.git');
    expect(findPathProblem('.git/config', root)).toBeUndefined();
  });
});

describe('isWorktreeRoot', () => {
  it('recognises spellings of the worktree itself', () => {
    for (const value of ['.', './', 'src/..', '']) expect(isWorktreeRoot(value, root), value).toBe(true);
    expect(isWorktreeRoot('..', [['src']])).toBe(true);
    for (const value of ['src', '/', '~']) expect(isWorktreeRoot(value, root), value).toBe(false);
  });
});

describe('findSecretProblem', () => {
  it.each([
    '.env',
    'config/.env.production',
    'id_rsa',
    '.npmrc',
    'certs/server.pem',
    'tls.key',
    '.git-credentials',
  ])('flags %s', (value) => {
    expect(findSecretProblem(value)).toBeDefined();
  });
  it.each(['.env.example', '.env.sample', 'src/env.ts', 'keys.ts', 'README.md', '.gitignore'])(
    'leaves %s',
    (value) => {
      expect(findSecretProblem(value)).toBeUndefined();
    },
  );
});
