import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  findPathProblem,
  findSecretProblem,
  globSegmentMatchesName,
  hasParentSegment,
  isWorktreeRoot,
} from './path-check.js';

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
    // A bracket expression is assumed to admit `.` (`[]].` is refused though bash would not match).
    for (const segment of ['..', '?.', '.?', '.*', '*.', '.*.', '[.].', '.[ab]', '*.*', '[]].', '.[!]]']) {
      expect(findPathProblem(`${segment}/x`, root, { glob: true }), segment).toBeDefined();
    }
    // A `[` without its `]` is an ordinary character, so it never matches a dot.
    for (const segment of ['.?.', '.[.].', '*a.', '.a*', '\\.*', '.*.*.', '*[.', '.[']) {
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

describe('globs that can name .git or a secret file', () => {
  it('matches a glob segment against a name the way bash does', () => {
    const cases: [string, string, boolean][] = [
      ['.gi?', '.git', true],
      ['.[g]it', '.git', true],
      ['.[!a]it', '.git', true],
      ['.[!g]it', '.git', false],
      ['.[[:alpha:]]it', '.git', true],
      ['.[[:digit:]]it', '.git', false],
      ['*.pe[m]', 'server.pem', true],
      ['id_rs?', 'id_rsa', true],
      ['[]a]', ']', true],
      ['*.ts', 'server.pem', false],
      ['a*b*c', 'aXbYc', true],
      ['a*b*c', 'aXbY', false],
    ];
    for (const [pattern, name, expected] of cases) {
      expect(globSegmentMatchesName(pattern, name, false), `${pattern} ~ ${name}`).toBe(expected);
    }
    expect(globSegmentMatchesName('.GI?', '.git', true)).toBe(true);
    expect(globSegmentMatchesName('.GI?', '.git', false)).toBe(false);
  });

  it('refuses writes through a glob that can match .git', () => {
    for (const value of ['.gi?/config', '.g*/hooks/post-merge', 'sub/.[g]it/config', '.GI?/config']) {
      expect(findPathProblem(value, root, { glob: true, write: true }), value).toContain('.git');
    }
    // Bash never matches a leading dot with a wildcard, and reads are not writes.
    for (const value of ['src/*', '*/config', '?git/x']) {
      expect(findPathProblem(value, root, { glob: true, write: true }), value).toBeUndefined();
    }
    expect(findPathProblem('.gi?/config', root, { glob: true, write: false })).toBeUndefined();
  });

  it('refuses a glob that can name a secret file, but not a bare wildcard', () => {
    for (const value of ['.en[v]', '.en?', 'id_rs?', 'keys/*.pe[m]', '.npmr?', 'certs/*.key']) {
      expect(findSecretProblem(value, true), value).toContain('secrets');
    }
    for (const value of ['*', 'src/*', 'src/*.ts', '?env', '*.md']) {
      expect(findSecretProblem(value, true), value).toBeUndefined();
    }
  });
});

/**
 * The engine walks path segments by index for speed. These reference versions say the same thing
 * the plain way (split on `/`); the properties check the fast code agrees with them on paths built
 * from the characters that matter.
 */
describe('segment walking agrees with splitting on /', () => {
  const pathText = fc.stringMatching(/^[./a~gitGIT-]{0,14}$/);
  const directories = fc.array(fc.array(fc.constantFrom('src', 'a', 'b'), { maxLength: 3 }), {
    minLength: 1,
    maxLength: 3,
  });

  it('hasParentSegment(value) is value.split("/").includes("..")', () => {
    fc.assert(
      fc.property(pathText, (value) => {
        expect(hasParentSegment(value)).toBe(value.split('/').includes('..'));
      }),
      { numRuns: 2000 },
    );
  });

  it('findPathProblem matches a split-based walk, for reads and writes', () => {
    fc.assert(
      fc.property(pathText, directories, fc.boolean(), (value, dirs, write) => {
        expect(findPathProblem(value, dirs, { write })).toBe(referencePathProblem(value, dirs, write));
      }),
      { numRuns: 3000 },
    );
  });

  it('findSecretProblem matches a check of the whole last segment', () => {
    const secretish = fc.stringMatching(/^[./a-z_0-9]{0,16}$/);
    const names = fc.constantFrom('.env', '.env.local', '.env.example', 'id_rsa', 'x.pem', 'a.key', '.npmrc');
    fc.assert(
      fc.property(secretish, fc.option(names), fc.constantFrom('', '/', '//'), (prefix, name, tail) => {
        const value = `${prefix}${name ?? ''}${tail}`;
        expect(findSecretProblem(value) !== undefined).toBe(referenceIsSecret(value));
      }),
      { numRuns: 3000 },
    );
  });
});

/**
 * Glob segments against bash itself: with `globskipdots` off (bash before 5.2 behaves so), every
 * pattern bash expands to `..` must be refused. Bash runs once, in an empty directory, for all.
 */
describe('glob segments that bash expands to ..', () => {
  const patterns = [
    '.?',
    '.*',
    '.[.]',
    '.[].]',
    '.[]]',
    '.[!]]',
    '.[^a]',
    '.[!a]',
    '.[[:punct:]]',
    '.[[:alpha:].]',
    '.[[.].]]',
    '..*',
    '.*.',
    '*',
    '??',
    '[.][.]',
    '.[',
    '*[.',
    '.[a]',
    '.[!.]',
    '.[[:alpha:]]',
  ];

  it('refuses every pattern bash matches against .. (and bash does match some)', () => {
    const directory = mkdtempSync(join(tmpdir(), 'policy-glob-'));
    const script = [
      'cd "$1" || exit 2',
      'shift',
      'shopt -u globskipdots 2>/dev/null',
      'shopt -s nullglob',
      'for pattern in "$@"; do',
      '  found=0',
      '  for match in $pattern; do [[ $match == .. ]] && found=1; done',
      '  echo "$found"',
      'done',
    ].join('\n');
    const result = spawnSync('bash', ['-c', script, 'bash', directory, ...patterns], { encoding: 'utf8' });
    rmSync(directory, { recursive: true, force: true });
    expect(result.status).toBe(0);
    const matched = result.stdout.trim().split('\n');
    expect(matched).toHaveLength(patterns.length);
    const parents = patterns.filter((_, index) => matched[index] === '1');
    // The list is only a test if bash expands several of these to `..`.
    expect(parents.length).toBeGreaterThan(8);
    for (const pattern of parents) {
      expect(findPathProblem(`${pattern}/secret`, [[]], { glob: true }), pattern).toBeDefined();
    }
    // One real bash run: seconds alone, but it waited 60 s for a core once while the suite's other
    // workers ran git and bash in parallel on 2 cores.
  }, 180_000);
});

function referencePathProblem(
  value: string,
  directories: readonly (readonly string[])[],
  write: boolean,
): string | undefined {
  // The same early answers as the engine (empty, plain names, no `..`), then a split-based walk.
  if (value === '' || (!value.includes('.') && !value.startsWith('~') && !value.startsWith('/'))) {
    return undefined;
  }
  if (value.startsWith('~') || value.startsWith('/')) return findPathProblem(value, directories, { write });
  if (!value.includes('..') && (!write || !/\.git/i.test(value))) return undefined;
  for (const directory of directories) {
    let depth = directory.length;
    for (const segment of value.split('/')) {
      if (segment === '' || segment === '.') continue;
      if (segment === '..') {
        if (depth === 0) return `\`${value}\` leaves the worktree through ..`;
        depth--;
        continue;
      }
      depth++;
      if (write && segment.toLowerCase() === '.git') {
        return `\`${value}\` writes into .git (hooks and config there run programs)`;
      }
    }
  }
  return undefined;
}

function referenceIsSecret(value: string): boolean {
  const name = value.replace(/\/+$/, '').split('/').pop() ?? '';
  return /^(\.env(?!.*\.(example|sample|template|dist|defaults?)$)(\.[^/]*)?|\.npmrc|\.pypirc|\.netrc|\.pgpass|\.git-credentials|id_(rsa|dsa|ecdsa|ed25519)|[^/]*\.(pem|key|p12|pfx))$/.test(
    name,
  );
}
