import { execFile } from 'node:child_process';
import { access, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import {
  assistantMessage,
  createCodexHome,
  createScriptedModelServer,
  functionCall,
  type ScriptedModelServer,
} from '@codex-orchestrator/core/testing';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { cli, createBaseDir, tempDir } from './cli-harness.js';

// The preflight runs before the first model call: every refusal here must leave the scripted
// model without a single request, and be one line with the fix.
const execFileAsync = promisify(execFile);
const isOrchestrator = (text: string) => text.includes('You are the senior engineer and team lead');

describe('preflight of orchestrator run', () => {
  let root: { path: string; remove: () => Promise<void> };
  let main: string;
  let server: ScriptedModelServer;
  let env: Record<string, string>;
  const git = (...args: string[]) => execFileAsync('git', args, { cwd: main });

  beforeAll(async () => {
    root = await tempDir('cli-preflight-');
    main = await createBaseDir(root.path);
    server = await createScriptedModelServer();
    env = { ORCHESTRATOR_BASE_DIR: root.path, OPENAI_BASE_URL: server.baseURL };
  });
  let requestsBefore = 0;
  beforeEach(() => {
    requestsBefore = server.requests.length;
  });
  afterEach(async () => {
    await git('checkout', '-q', 'main');
    await execFileAsync('git', ['clean', '-fdq'], { cwd: main });
    await git('reset', '-q', '--hard');
  });
  afterAll(async () => {
    await server.close();
    await root.remove();
  });

  const expectRefused = (run: { code: number; stderr: string }, ...fragments: string[]) => {
    expect(run.code, run.stderr).toBe(2);
    const line = run.stderr.trimEnd().split('\n')[0] ?? '';
    for (const fragment of fragments) expect(line).toContain(fragment);
    expect(server.requests.length).toBe(requestsBefore); // no model call was made
  };

  it('refuses a main with uncommitted work, naming the files, and leaves the work where it is', async () => {
    await writeFile(join(main, 'draft.txt'), 'my unsaved work\n');
    const run = await cli(['add a users search endpoint'], { env });
    expectRefused(run, 'has uncommitted changes (?? draft.txt)', 'never moves your uncommitted work');
    expect((await git('status', '--porcelain')).stdout).toBe('?? draft.txt\n');
  });

  it("runs no code from main's git config while it checks main (a planted core.fsmonitor)", async () => {
    const witness = join(root.path, 'fsmonitor-ran');
    await git('config', 'core.fsmonitor', `touch ${witness}; false`);
    try {
      await writeFile(join(main, 'draft.txt'), 'my unsaved work\n');
      const run = await cli(['add a users search endpoint'], { env });
      expectRefused(run, 'has uncommitted changes (?? draft.txt)');
      await expect(access(witness)).rejects.toThrow();
    } finally {
      await git('config', '--unset', 'core.fsmonitor');
    }
  });

  it('refuses a main that is not on its default branch', async () => {
    await git('switch', '-q', '-c', 'feature');
    const run = await cli(['add a users search endpoint'], { env });
    expectRefused(run, 'is on branch feature, not main', `git -C ${main} switch main`);
    await git('switch', '-q', 'main');
    await git('branch', '-q', '-D', 'feature');
  });

  it('refuses without a git identity for the merge commits', async () => {
    const home = await tempDir('cli-home-');
    try {
      await git('config', '--unset', 'user.name');
      const run = await cli(['add a users search endpoint'], {
        env: { ...env, HOME: home.path, XDG_CONFIG_HOME: home.path, GIT_CONFIG_NOSYSTEM: '1' },
      });
      expectRefused(run, 'git has no user.name', 'git config --global user.name');
    } finally {
      await git('config', 'user.name', 'CLI test');
      await home.remove();
    }
  });

  it('refuses an unreachable orchestrator endpoint with its URL, in seconds', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const url = `http://127.0.0.1:${port}/v1`;
    const run = await cli(['add a users search endpoint'], { env: { ...env, OPENAI_BASE_URL: url } });
    expectRefused(run, `Cannot reach the orchestrator's model endpoint ${url} (ECONNREFUSED)`);
  });

  it('refuses an endpoint that rejects the key', async () => {
    const strict = createServer((_request, response) => {
      response.writeHead(401).end('{"error":{"message":"bad key"}}');
    });
    await new Promise<void>((resolve) => strict.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(strict.address() as AddressInfo).port}/v1`;
    try {
      const run = await cli(['add a users search endpoint'], {
        env: { ...env, OPENAI_BASE_URL: url, OPENAI_API_KEY: 'sk-wrong' },
      });
      expectRefused(run, `endpoint ${url} refused the API key (HTTP 401)`, 'OPENAI_API_KEY');
    } finally {
      await new Promise((resolve) => strict.close(resolve));
    }
  });

  it('fails with the reason, not at a timeout, when codex on its own config cannot reach its model', async () => {
    const dead = await createScriptedModelServer();
    const codexHome = await createCodexHome(dead, { directory: join(root.path, '.codex-dead') });
    await dead.close(); // connection refused from now on
    const config = join(root.path, 'own-codex.json');
    await writeFile(config, JSON.stringify({ codex: { ownConfig: true } }));
    const run = await cli(['--config', config, 'add a users search endpoint'], {
      env: { ...env, ...codexHome.env },
    });
    // "cannot reach" is codex giving up by itself (bounded retries); the probe's own 60 s limit
    // would say "did not reach its model within 60 s" instead.
    expectRefused(run, 'codex cannot reach its model', 'codex login');
  });

  it('says first which model and endpoint the orchestrator and codex use', async () => {
    server.addScript({
      match: (request) => isOrchestrator(request.text) && request.text.includes('TASK-LINES'),
      turns: [[assistantMessage('Nothing to do.')]],
    });
    const run = await cli(['--review', 'off', '--model', 'gpt-5.5', 'TASK-LINES: nothing'], { env });
    expect(run.code, run.stderr).toBe(0);
    const lines = run.stderr.split('\n');
    expect(lines[0]).toBe(`orchestrator: model gpt-5.5 at ${server.baseURL}`);
    expect(lines[1]).toBe(`codex: model gpt-5.5 at ${server.baseURL} (the orchestrator's endpoint)`);
    server.assertComplete();
  });

  it('--policy FILE decides the run: a command the file denies is refused with its rule', async () => {
    const policyFile = join(root.path, 'policy.json');
    await writeFile(
      policyFile,
      JSON.stringify({
        version: 1,
        extends: 'default',
        rules: [
          {
            id: 'no-git-log',
            decision: 'deny',
            match: { program: 'git', prefix: ['log'] },
            reason: 'this team keeps history private',
            examples: { match: ['git log --oneline -1'], notMatch: ['git status'] },
          },
        ],
      }),
    );
    server.addScript({
      match: (request) => isOrchestrator(request.text) && request.text.includes('TASK-POLICY'),
      turns: [
        [functionCall('run_repo_command', { worktree: 'main', command: 'git log --oneline -1' })],
        [assistantMessage('Denied, as configured.')],
      ],
    });
    const run = await cli(['--review', 'off', '--policy', policyFile, 'TASK-POLICY: look at history'], {
      env,
    });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/denied: git log --oneline -1/);
    server.assertComplete();
  });

  it('refuses a broken policy file in one line naming it', async () => {
    const policyFile = join(root.path, 'broken-policy.json');
    await writeFile(policyFile, '{ "rules": 3 }');
    const run = await cli(['--policy', policyFile, 'add a users search endpoint'], { env });
    expectRefused(run, 'Policy file', policyFile);
  });
});
