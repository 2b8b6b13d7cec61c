import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, createBaseDir, tempDir } from './cli-harness.js';

// Each mistake a new user makes gets exit code 2 and exactly one line that names the fix.
function expectOneLineError(run: { code: number; stdout: string; stderr: string }, ...fragments: string[]) {
  expect(run.code).toBe(2);
  expect(run.stdout).toBe('');
  const lines = run.stderr.trimEnd().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^error: /);
  for (const fragment of fragments) expect(lines[0]).toContain(fragment);
  expect(run.stderr).not.toMatch(/\n\s+at /); // no stack trace
}

describe('clear errors', () => {
  let root: { path: string; remove: () => Promise<void> };
  let baseDir: string;
  beforeAll(async () => {
    root = await tempDir('cli-errors-');
    baseDir = join(root.path, 'base');
    await createBaseDir(baseDir);
  });
  afterAll(() => root.remove());

  it('no base dir', async () => {
    expectOneLineError(await cli(['add search']), 'No base dir', '--base-dir', 'ORCHESTRATOR_BASE_DIR');
  });

  it('base dir missing', async () => {
    const missing = join(root.path, 'nope');
    expectOneLineError(
      await cli(['--base-dir', missing, 'add search']),
      `Base dir ${missing} does not exist`,
      'git clone',
    );
  });

  it('base dir without main/', async () => {
    const empty = join(root.path, 'empty');
    await mkdir(empty);
    expectOneLineError(
      await cli(['add search'], { env: { ORCHESTRATOR_BASE_DIR: empty } }),
      'has no main/ worktree',
      `git clone <url> ${join(empty, 'main')}`,
    );
  });

  it('base dir that is the project itself', async () => {
    const project = join(root.path, 'project');
    await createBaseDir(project); // project/main is a repo; point at project/main as if it were the base
    expectOneLineError(
      await cli(['--base-dir', join(project, 'main'), 'add search']),
      'is itself a git repository with no main/ folder',
    );
  });

  it('main/ that is not a git repository', async () => {
    const plain = join(root.path, 'plain');
    await mkdir(join(plain, 'main'), { recursive: true });
    expectOneLineError(
      await cli(['-C', plain, 'add search']),
      `${join(plain, 'main')} is not a git repository`,
    );
  });

  it('no API key and no base URL', async () => {
    expectOneLineError(
      await cli(['--base-dir', baseDir, 'add search']),
      'OPENAI_API_KEY is not set',
      'export OPENAI_API_KEY',
      '--base-url',
      'orchestrator demo',
    );
  });

  it('bad config file: field and value', async () => {
    const config = join(root.path, 'bad.json');
    await writeFile(config, JSON.stringify({ baseDir, review: 'sometimes' }));
    expectOneLineError(
      await cli(['--config', config, 'add search'], { env: { OPENAI_API_KEY: 'sk-test' } }),
      'bad.json',
      'field "review"',
      '(got "sometimes")',
    );
  });

  it('codex not installed', async () => {
    const config = join(root.path, 'codex-missing.json');
    await writeFile(config, JSON.stringify({ baseDir, codexPath: 'bin/no-codex-here' }));
    expectOneLineError(
      await cli(['--config', config, 'add search'], { env: { OPENAI_API_KEY: 'sk-test' } }),
      `The Codex CLI was not found at ${join(root.path, 'bin', 'no-codex-here')}`,
      'npm install -g @openai/codex',
    );
  });

  it('no task', async () => {
    expectOneLineError(await cli(['--base-dir', baseDir]), 'No task given');
    expectOneLineError(await cli(['-'], { stdinText: '   \n' }), 'No task given');
  });

  it('--approve without a terminal', async () => {
    expectOneLineError(
      await cli(['--approve', '--base-dir', baseDir, 'add search'], { env: { OPENAI_API_KEY: 'sk-test' } }),
      '--approve',
      'stdin is not a terminal',
    );
  });

  it('bad flag values', async () => {
    expectOneLineError(await cli(['--max-parallel', 'many', 'x']), '--max-parallel', '(got "many")');
    expectOneLineError(await cli(['--bogus']), "unknown option '--bogus'", 'orchestrator --help');
    expectOneLineError(
      await cli(['--budget-usd', '-1', 'x y']),
      '--budget-usd must be a number greater than 0',
    );
    expect((await cli(['--budget-usd', '-1', 'x y'])).stderr).not.toContain('ambiguous');
  });

  it('a typo of a command is refused before anything loads, with the command meant', async () => {
    const run = await cli(['dmeo'], { env: { OPENAI_API_KEY: 'sk-test' } });
    expect(run.code).toBe(2);
    expectOneLineError(run, 'Did you mean `orchestrator demo`?');
  });
});

describe('help and version', () => {
  it('prints the usage with every command and the exit codes', async () => {
    const run = await cli(['--help']);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    for (const word of [
      'orchestrator demo',
      'dispatch',
      'worktrees|worktree [options] [action]',
      '(default: 2)',
      'policy check',
      '--base-dir',
      '--json',
      'Exit codes',
      'DISPATCH_TASKS',
      'NO_COLOR',
    ]) {
      expect(run.stdout).toContain(word);
    }
  });

  it('prints the package version', async () => {
    const run = await cli(['--version']);
    expect(run).toEqual({ code: 0, stdout: '0.1.0\n', stderr: '' });
  });
});
