import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { promisify } from 'node:util';
import {
  assistantMessage,
  createScriptedModelServer,
  functionCall,
  type ScriptedModelServer,
} from '@codex-orchestrator/core/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { cli, createBaseDir, tempDir } from './cli-harness.js';

// A task run and a dispatch through the real runOrchestrator, against a scripted model on
// 127.0.0.1 (no codex run: these scripts only use plain commands, to stay fast).
const execFileAsync = promisify(execFile);
const run = (worktree: string, command: string) => functionCall('run_repo_command', { worktree, command });
const isOrchestrator = (text: string) => text.includes('You are the senior engineer and team lead');

describe('orchestrator "<task>" and dispatch', () => {
  let root: { path: string; remove: () => Promise<void> };
  let server: ScriptedModelServer;
  let env: Record<string, string>;

  beforeAll(async () => {
    root = await tempDir('cli-run-');
    await createBaseDir(root.path);
  });
  afterEach(async () => {
    await server?.close();
  });
  afterAll(() => root.remove());

  const start = async (
    ...scripts: { match: string; turns: Parameters<ScriptedModelServer['addScript']>[0]['turns'] }[]
  ) => {
    server = await createScriptedModelServer();
    for (const script of scripts) {
      server.addScript({
        match: (request) => isOrchestrator(request.text) && request.text.includes(script.match),
        turns: script.turns,
      });
    }
    env = { ORCHESTRATOR_BASE_DIR: root.path, OPENAI_BASE_URL: server.baseURL };
  };

  it('runs a task: plain lines on stderr, the report on stdout, denials shown', async () => {
    await start({
      match: 'TASK-PLAIN',
      turns: [
        [run('main', 'git log --oneline -1'), run('main', 'git push origin main')],
        [assistantMessage('Looked around; pushing is not allowed, so nothing was pushed.')],
      ],
    });
    const result = await cli(['--review', 'off', 'TASK-PLAIN: look at the repository'], { env });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^# Orchestrator report: completed/);
    expect(result.stderr).toMatch(/main\s+denied: git push origin main/);
    expect(result.stderr).toMatch(/main\s+\$ git log --oneline -1 → exit 0/);
    const audit = await readFile(join(root.path, 'run_repo_command.log'), 'utf8');
    expect(audit).toContain('git push origin main');
    server.assertComplete();
  });

  it('--json writes nothing but JSON Lines on stdout', async () => {
    await start({
      match: 'TASK-JSON',
      turns: [[run('main', 'git status --short')], [assistantMessage('Clean.')]],
    });
    const result = await cli(['--json', '--review', 'off', 'TASK-JSON: check status'], { env });
    expect(result.code, result.stderr).toBe(0);
    const lines = result.stdout.trimEnd().split('\n');
    const parsed = lines.map((line) => JSON.parse(line) as { type: string });
    expect(parsed.map((event) => event.type)).toEqual(
      expect.arrayContaining(['run-start', 'command-start', 'command-end', 'run-end', 'run-report']),
    );
    expect(result.stderr).toContain('# Orchestrator report: completed');
  });

  it('Ctrl-C (the signal) cancels the run and exits 130', async () => {
    await start({
      match: 'TASK-SLOW',
      turns: [{ type: 'reply', output: [assistantMessage('too late')], delayMs: 30_000 }],
    });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 1500);
    const started = Date.now();
    const result = await cli(['--review', 'off', 'TASK-SLOW: wait'], { env, signal: controller.signal });
    expect(result.code).toBe(130);
    expect(Date.now() - started).toBeLessThan(20_000);
    expect(result.stderr).toContain('Cancelling');
    expect(result.stdout).toContain('# Orchestrator report: cancelled');
  });

  it('dispatches DISPATCH_TASKS, exits when drained, and does not run a task twice', async () => {
    await start(
      { match: 'FIRST-TASK', turns: [[assistantMessage('First done.')]] },
      { match: 'SECOND-TASK', turns: [[assistantMessage('Second done.')]] },
    );
    const dispatchEnv = { ...env, DISPATCH_TASKS: 'FIRST-TASK: say hi\nSECOND-TASK: say bye' };
    const first = await cli(['dispatch', '--review', 'off'], { env: dispatchEnv });
    expect(first.code, first.stderr).toBe(0);
    expect(first.stderr).toContain('Dispatch done: 2 completed.');
    expect(first.stdout.match(/# Orchestrator report: completed/g)).toHaveLength(2);
    const journal = await readFile(join(root.path, '.orchestrator', 'dispatch-journal.jsonl'), 'utf8');
    expect(journal.trim().split('\n').length).toBeGreaterThanOrEqual(6);

    // Same tasks, same journal: nothing runs again (the server has no turns left for them).
    const again = await cli(['dispatch', '--review', 'off'], { env: dispatchEnv });
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toContain('Dispatch done: no task ran.');
    server.assertComplete();
  });

  it('--approve asks on the terminal before each merge', async () => {
    const git = (cwd: string, ...args: string[]) =>
      execFileAsync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t.invalid', ...args], { cwd });
    const main = join(root.path, 'main');
    for (const branch of ['task-yes', 'task-no']) {
      await git(main, 'worktree', 'add', '-q', '-b', branch, `../${branch}`, 'main');
      await git(join(root.path, branch), 'commit', '-q', '--allow-empty', '-m', `work on ${branch}`);
    }
    await start({
      match: 'TASK-APPROVE',
      turns: [
        [run('main', 'git merge --no-ff task-yes')],
        [run('main', 'git merge --no-ff task-no')],
        [assistantMessage('Asked.')],
      ],
    });
    const stdin = Object.assign(Readable.from(['y\n', 'n\n']), { isTTY: true });
    const result = await cli(['--approve', '--review', 'off', 'TASK-APPROVE: merge them'], { env, stdin });
    expect(result.stderr).toContain('Merge task-yes (worktree task-yes) into main?');
    expect(result.stderr).toContain('Merge task-no (worktree task-no) into main?');
    expect(result.stderr).toMatch(/task-no\s+merge declined/);
    const merges = await execFileAsync('git', ['log', '--merges', '--format=%s', 'main'], { cwd: main });
    expect(merges.stdout).toContain('task-yes');
    expect(merges.stdout).not.toContain('task-no');
  });

  it('dispatch --json writes the task events and reports as JSON Lines only', async () => {
    await start({ match: 'JSON-TASK', turns: [[assistantMessage('Done.')]] });
    const result = await cli(
      ['dispatch', '--json', '--review', 'off', '--store', join(root.path, 'json-journal.jsonl')],
      {
        env: { ...env, DISPATCH_TASKS: 'JSON-TASK: say hi' },
      },
    );
    expect(result.code, result.stderr).toBe(0);
    const lines = result.stdout
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as { type: string; taskId?: string });
    const types = lines.map((line) => line.type);
    expect(types).toEqual(
      expect.arrayContaining(['task-queue', 'task-start', 'run-start', 'run-end', 'task-end', 'run-report']),
    );
    expect(new Set(lines.map((line) => line.taskId)).size).toBe(1);
  });

  it('says how to fill DISPATCH_TASKS when it is empty', async () => {
    await start();
    const result = await cli(['dispatch'], { env });
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toContain('DISPATCH_TASKS is not set');
  });
});
