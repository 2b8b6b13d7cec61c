import { execFile } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

/** The files of the demo's sample project: a tiny Node package whose `npm test` runs `node --test`. */
export const sampleProjectFiles: Readonly<Record<string, string>> = {
  'package.json': `${JSON.stringify(
    {
      name: 'demo-shop',
      version: '1.0.0',
      private: true,
      type: 'module',
      description: 'Sample project of `orchestrator demo`.',
      scripts: { test: 'node --test' },
    },
    null,
    2,
  )}\n`,
  'README.md': '# demo-shop\n\nThe sample project of `orchestrator demo`. `npm test` runs the tests.\n',
  'src/price.js': [
    '/** Formats a price in cents as dollars, e.g. 1999 -> "$19.99". */',
    'export function formatPrice(cents) {',
    '  return `$${(cents / 100).toFixed(2)}`;',
    '}',
    '',
  ].join('\n'),
  'test/price.test.js': [
    "import assert from 'node:assert/strict';",
    "import { test } from 'node:test';",
    "import { formatPrice } from '../src/price.js';",
    '',
    "test('formats cents as dollars', () => {",
    "  assert.equal(formatPrice(1999), '$19.99');",
    '});',
    '',
  ].join('\n'),
  '.gitignore': 'node_modules/\n',
};

/**
 * Creates the demo's sample project in `<baseDir>/main`: the files above, a git repository on
 * branch `main` with one commit, and a repository-local author (so commits work on machines
 * with no git identity configured).
 */
export async function createSampleProject(baseDir: string): Promise<string> {
  const main = join(baseDir, 'main');
  for (const [path, contents] of Object.entries(sampleProjectFiles)) {
    await mkdir(join(main, path, '..'), { recursive: true });
    await writeFile(join(main, path), contents);
  }
  const git = (...args: string[]) => execFileAsync('git', args, { cwd: main });
  await git('init', '--quiet', '--initial-branch=main');
  await git('config', 'user.name', 'Orchestrator Demo');
  await git('config', 'user.email', 'demo@codex-orchestrator.invalid');
  await git('config', 'commit.gpgsign', 'false');
  await git('add', '--all');
  await git('commit', '--quiet', '-m', 'Initial commit: formatPrice with a test');
  return main;
}
