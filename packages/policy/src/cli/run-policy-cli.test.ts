import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { build } from 'tsup';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runPolicyCli } from './run-policy-cli.js';

const packageRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Runs the CLI in-process with the given stdin; returns exit code and captured output. */
async function run(argv: string[], stdin = '') {
  let stdout = '';
  let stderr = '';
  const code = await runPolicyCli(argv, {
    stdin: Readable.from([stdin]),
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
  });
  return { code, stdout, stderr };
}

let directory: string;
let goodConfig: string;
let badConfig: string;

beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), 'policy-cli-'));
  goodConfig = join(directory, 'policy.json');
  badConfig = join(directory, 'bad.json');
  await writeFile(
    goodConfig,
    JSON.stringify({
      version: 1,
      extends: 'default',
      rules: [
        {
          id: 'git-clean-in-task-worktrees',
          decision: 'allow',
          match: { program: 'git', prefix: ['clean'] },
          worktrees: ['task-*'],
          overrides: ['git-clean'],
        },
      ],
    }),
  );
  await writeFile(
    badConfig,
    JSON.stringify({ version: 1, rules: [{ id: 'x', decision: 'perhaps', match: { program: 'ls' } }] }),
  );
});

afterAll(async () => {
  await rm(directory, { recursive: true, force: true });
});

describe('orchestrator-policy check (in-process)', () => {
  it('exits 0 and prints the decision for an allowed command', async () => {
    const result = await run(['check', '--', 'git status']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^allow \[git-inspect\]: /);
  });

  it('exits 1 for a denied command and names the rule', async () => {
    const result = await run(['check', '--', 'git', 'push', 'origin', 'main']);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('deny [builtin:git-push]');
  });

  it('takes the worktree from --worktree (default main)', async () => {
    expect((await run(['check', '--', 'git worktree add ../task-x main'])).code).toBe(0);
    expect((await run(['check', '--worktree', 'task-x', '--', 'git worktree add ../task-y main'])).code).toBe(
      1,
    );
    expect((await run(['check', '--worktree=task-x', '--', 'npm test'])).code).toBe(0);
  });

  it('prints the whole decision as JSON with --json', async () => {
    const result = await run(['check', '--json', '--worktree', 'task-x', '--', 'npm test && git push']);
    expect(result.code).toBe(1);
    const decision = JSON.parse(result.stdout);
    expect(decision).toMatchObject({
      command: 'npm test && git push',
      worktree: 'task-x',
      decision: 'deny',
      ruleId: 'builtin:git-push',
    });
    expect(decision.commands.map((command: { decision: string }) => command.decision)).toEqual([
      'allow',
      'deny',
    ]);
  });

  it('lists every command of a compound script', async () => {
    const result = await run(['check', '--worktree', 'task-x', '--', 'npm test && git add -A']);
    expect(result.stdout).toContain('allow npm test  [package-scripts]');
    expect(result.stdout).toContain('allow git add -A  [git-local-changes]');
  });

  it('exits 2 on usage errors', async () => {
    for (const argv of [
      [],
      ['check'],
      ['check', '--frobnicate', '--', 'ls'],
      ['lint'],
      ['check', '--worktree'],
      ['check', '--jsonl', '--', 'ls'],
    ]) {
      const result = await run(argv);
      expect(result.code, argv.join(' ')).toBe(2);
      expect(result.stderr).toContain('Usage:');
    }
    expect((await run(['--help'])).code).toBe(0);
  });

  it('uses a config file and exits 2 with a clear message for a bad one', async () => {
    expect((await run(['check', '--worktree', 'task-x', '--', 'git clean -fd'])).code).toBe(1);
    expect(
      (await run(['check', '--config', goodConfig, '--worktree', 'task-x', '--', 'git clean -fd'])).code,
    ).toBe(0);
    expect((await run(['check', '--config', goodConfig, '--', 'git clean -fd'])).code).toBe(1);
    const bad = await run(['check', '--config', badConfig, '--', 'ls']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('rules[0].decision');
    expect(bad.stderr).toContain('"perhaps"');
    const missing = await run(['check', '--config', join(directory, 'nope.json'), '--', 'ls']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('nope.json');
  });
});

describe('orchestrator-policy check --jsonl', () => {
  it('answers one line per request, in order, with worktree defaulting to main', async () => {
    const input = [
      { command: 'git worktree add ../task-a main' },
      { command: 'git worktree add ../task-b main', worktree: 'task-a' },
      { command: 'git push' },
      { command: 'npm test', worktree: 'task-a' },
    ]
      .map((request) => JSON.stringify(request))
      .join('\n');
    const result = await run(['check', '--jsonl'], `${input}\n\n`);
    expect(result.code).toBe(0);
    const lines = result.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(lines.map((line) => [line.command, line.decision])).toEqual([
      ['git worktree add ../task-a main', 'allow'],
      ['git worktree add ../task-b main', 'deny'],
      ['git push', 'deny'],
      ['npm test', 'allow'],
    ]);
    expect(Object.keys(lines[0])).toEqual(['command', 'decision', 'ruleId', 'reason']);
    expect(lines[2].ruleId).toBe('builtin:git-push');
    expect(lines[1].ruleId).toBeNull();
  });

  it('writes an error record in place of a malformed line and exits 2', async () => {
    const result = await run(
      ['check', '--jsonl'],
      '{"command":"ls"}\nnot json\n{"command":3}\n{"command":"git push"}\n',
    );
    expect(result.code).toBe(2);
    const lines = result.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(lines.map((line) => line.decision)).toEqual(['allow', 'deny', 'deny', 'deny']);
    expect(lines[1]).toMatchObject({ command: null, ruleId: 'builtin:invalid-request' });
    expect(lines[1].reason).toContain('line 2');
    expect(lines[2].reason).toContain('"command" must be a string');
  });

  it('applies --config to every line', async () => {
    const result = await run(
      ['check', '--jsonl', '--config', goodConfig],
      '{"command":"git clean -fd","worktree":"task-1"}\n',
    );
    expect(JSON.parse(result.stdout)).toMatchObject({
      decision: 'allow',
      ruleId: 'git-clean-in-task-worktrees',
    });
  });
});

describe('the built orchestrator-policy bin', () => {
  const execFileAsync = promisify(execFile);
  let outDir: string;
  let bin: string;

  beforeAll(async () => {
    // Built next to the package so `unbash` and `zod` resolve as they do for the published bin.
    outDir = join(packageRoot, `.test-bin-${process.pid}`);
    await build({
      entry: { cli: join(packageRoot, 'src/cli.ts') },
      format: ['esm'],
      outDir,
      target: 'node20',
      dts: false,
      silent: true,
      config: false,
    });
    bin = join(outDir, 'cli.js');
  }, 60_000);

  afterAll(async () => {
    await rm(outDir, { recursive: true, force: true });
  });

  const exec = async (args: string[], input?: string) => {
    const child = execFileAsync(process.execPath, [bin, ...args], { encoding: 'utf8' });
    if (input !== undefined) {
      child.child.stdin?.end(input);
    }
    try {
      const { stdout, stderr } = await child;
      return { code: 0, stdout, stderr };
    } catch (error) {
      const failure = error as { code: number; stdout: string; stderr: string };
      return { code: failure.code, stdout: failure.stdout, stderr: failure.stderr };
    }
  };

  it('keeps the shebang on the first line', async () => {
    expect((await readFile(bin, 'utf8')).split('\n')[0]).toBe('#!/usr/bin/env node');
  });

  it('exits 0, 1 and 2 like the in-process CLI', async () => {
    expect((await exec(['check', '--', 'git status'])).code).toBe(0);
    const denied = await exec(['check', '--json', '--', 'cat ~/.ssh/id_rsa']);
    expect(denied.code).toBe(1);
    expect(JSON.parse(denied.stdout).ruleId).toBe('builtin:outside-worktree');
    const bad = await exec(['check', '--config', badConfig, '--', 'ls']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('rules[0].decision');
  });

  it('reads JSON lines from stdin', async () => {
    const result = await exec(
      ['check', '--jsonl'],
      '{"command":"git status"}\n{"command":"git push","worktree":"task-x"}\n',
    );
    expect(result.code).toBe(0);
    expect(
      result.stdout
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line).decision),
    ).toEqual(['allow', 'deny']);
  });
});
