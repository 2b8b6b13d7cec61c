/**
 * End to end through the CLI on a real third-party package with its own dependencies and
 * lockfile (test/fixtures/minimist-1.2.8, tape tests, 127 packages): the user's main has its
 * dependencies installed once; the orchestrator bootstraps the task worktree from it (no npm ci
 * there), the real codex binary (driven by a scripted model) adds a test and runs the project's
 * own test script, the branch is merged and smoke-tested in main.
 */
import { execFile } from 'node:child_process';
import { cp, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import {
  applyPatch,
  assistantMessage,
  createCodexHome,
  createScriptedModelServer,
  execCommand,
  functionCall,
  type RecordedModelRequest,
  type ScriptedModelServer,
} from '@codex-orchestrator/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, tempDir } from './cli-harness.js';

const execFileAsync = promisify(execFile);
const fixture = fileURLToPath(new URL('./fixtures/minimist-1.2.8', import.meta.url));
const isCodex = (request: RecordedModelRequest) => request.headers.originator === 'codex_exec';
const run = (worktree: string, command: string) => functionCall('run_repo_command', { worktree, command });
const codexPrompt =
  'Add a tape test for --name=value parsing in test/e2e_equals.js; run npm run tests-only; commit.';

const extraTest = [
  "'use strict';",
  '',
  "var parse = require('../');",
  "var test = require('tape');",
  '',
  "test('e2e: --name=value', function (t) {",
  "\tt.deepEqual(parse(['--name=value']), { name: 'value', _: [] });",
  '\tt.end();',
  '});',
  '',
].join('\n');

describe('a real third-party package through the CLI', () => {
  let root: { path: string; remove: () => Promise<void> };
  let main: string;
  let server: ScriptedModelServer;

  beforeAll(async () => {
    root = await tempDir('cli-e2e-minimist-');
    main = join(root.path, 'main');
    await cp(fixture, main, { recursive: true });
    const git = (...args: string[]) => execFileAsync('git', args, { cwd: main });
    await git('init', '--quiet', '--initial-branch=main');
    await git('config', 'user.name', 'E2E test');
    await git('config', 'user.email', 'e2e@codex-orchestrator.invalid');
    await git('add', '.');
    await git('commit', '--quiet', '-m', 'minimist 1.2.8');
    // The user's checkout, installed once (from the npm cache when it is warm).
    await execFileAsync('npm', ['ci', '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts'], {
      cwd: main,
    });
    server = await createScriptedModelServer();
  }, 240_000);
  afterAll(async () => {
    await server?.close();
    await root?.remove();
  });

  it('bootstraps the worktree, runs the package tests there, merges and smoke-tests', async () => {
    server.addScript({
      name: 'probe',
      match: (request) => isCodex(request) && request.text.includes('Reply with the single word OK'),
      turns: [[assistantMessage('OK')]],
    });
    server.addScript({
      name: 'orchestrator',
      match: (request) =>
        !isCodex(request) && request.text.includes('You are the senior engineer and team lead'),
      turns: [
        [run('main', 'git worktree add ../task-equals main')],
        [run('task-equals', `codex exec --sandbox workspace-write '${codexPrompt}'`)],
        [run('task-equals', 'npm run tests-only'), run('task-equals', 'node test/e2e_equals.js')],
        [run('main', 'git merge --no-ff task-equals')],
        [assistantMessage('Added the test on task-equals and merged it.')],
      ],
    });
    server.addScript({
      name: 'codex',
      match: (request) => isCodex(request) && request.text.includes('test/e2e_equals.js'),
      turns: [
        [
          applyPatch(
            `*** Begin Patch\n*** Add File: test/e2e_equals.js\n${extraTest
              .trimEnd()
              .split('\n')
              .map((line) => `+${line}`)
              .join('\n')}\n*** End Patch\n`,
          ),
        ],
        [execCommand('npm run tests-only')],
        [execCommand("git add -A && git commit -q -m 'test: --name=value'")],
        [assistantMessage('Added test/e2e_equals.js; npm run tests-only passes; committed.')],
      ],
    });
    const codexHome = await createCodexHome(server, { directory: join(root.path, '.codex-home') });
    const config = join(root.path, 'orchestrator.json');
    await writeFile(
      config,
      JSON.stringify({ codex: { ownConfig: true }, review: 'off', smokeTest: 'npm test' }),
    );
    const result = await cli(['--config', config, 'E2E: add a test for --name=value parsing'], {
      env: { ORCHESTRATOR_BASE_DIR: root.path, OPENAI_BASE_URL: server.baseURL, ...codexHome.env },
    });
    expect(result.code, `${result.stderr}\n${result.stdout}`).toBe(0);
    expect(() => server.assertComplete(), result.stderr).not.toThrow();

    // Bootstrapped: the worktree got main's dependencies without an install of its own.
    const worktree = join(root.path, 'task-equals');
    const [mainTape, worktreeTape] = await Promise.all([
      stat(join(main, 'node_modules', 'tape', 'package.json')),
      stat(join(worktree, 'node_modules', 'tape', 'package.json')),
    ]);
    expect(worktreeTape.isFile()).toBe(true);
    expect(worktreeTape.size).toBe(mainTape.size);
    expect(result.stderr).toMatch(
      /task-equals\s+bootstrapped in [\d.]+s: node_modules from main \((reflink|hardlink|copy)\)/,
    );

    // Merged, with the package's own tests passing in main.
    expect(await readFile(join(main, 'test', 'e2e_equals.js'), 'utf8')).toBe(extraTest);
    const log = (await execFileAsync('git', ['log', '--oneline', '-3'], { cwd: main })).stdout;
    expect(log).toMatch(/Merge branch 'task-equals'|task-equals/);
    const tests = await execFileAsync('npm', ['test'], { cwd: main });
    expect(tests.stdout).toMatch(/# pass\s+\d+/);
    expect(tests.stdout).toContain('# ok');

    // The report names the test commands it did not know, with their worktree.
    expect(result.stdout.split('\n')[0]).toContain('completed');
    expect(result.stdout).toContain(
      `Audit log (every command and the policy's decision): \`${join(root.path, 'run_repo_command.log')}\``,
    );
    expect(result.stdout).toContain(`Worktree \`task-equals\`: \`${worktree}\`, branch \`task-equals\``);
    // Files changed from git, full paths (codex wrote the file; git is the source of truth).
    expect(result.stdout).toContain(
      `- \`task-equals\` (merged): 1 file: \`${join(main, 'test', 'e2e_equals.js')}\``,
    );
    expect(result.stdout).toContain(`- \`task-equals\` (\`${worktree}\`): \`npm run tests-only\` → exit 0`);
    expect(result.stdout).toContain(
      `- \`task-equals\` (\`${worktree}\`): \`node test/e2e_equals.js\` → exit 0`,
    );
    expect(result.stdout).toContain(
      `- smoke test in \`main\` (\`${main}\`) after merging \`task-equals\`: \`npm test\` → passed`,
    );
  }, 300_000);
});
