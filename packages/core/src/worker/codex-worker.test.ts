import { execFileSync } from 'node:child_process';
import { chmod, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { OrchestratorEvent } from '../events.js';
import {
  addFilePatch,
  applyPatch,
  assistantMessage,
  execCommand,
  failWithStatus,
  hangWithoutHeaders,
} from '../testing/scripted-model-turns.js';
import { CodexNotFoundError } from './codex-errors.js';
import { type CodexTestSetup, createCodexTestSetup, processesMatching } from './codex-setup.fixture.js';
import { createCodexWorker } from './codex-worker.js';
import { createGitFixture, type GitFixture } from './git-repository.fixture.js';
import { resolveCodexBinary } from './resolve-codex-binary.js';

let setup: CodexTestSetup | undefined;
let fixture: GitFixture | undefined;
afterEach(async () => {
  await setup?.close();
  await fixture?.remove();
  setup = undefined;
  fixture = undefined;
});

async function prepare() {
  setup = await createCodexTestSetup();
  fixture = await createGitFixture();
  return { setup, fixture };
}

function commitScript(file: string) {
  return [
    [applyPatch(addFilePatch(file, 'written by codex'))],
    [execCommand(`git add -A && git commit -q -m "add ${file}" && echo COMMITTED`)],
    (request: { toolOutputs: { output: string }[] }) => [
      assistantMessage(`result: ${request.toolOutputs.at(-1)?.output}`),
    ],
  ];
}

describe('createCodexWorker with the real codex binary', () => {
  it('writes a file and commits it in a task worktree under workspace-write, then resumes the thread', async () => {
    const { setup, fixture } = await prepare();
    const worktree = await fixture.addWorktree('task-commit');
    setup.server.addScript({ name: 'commit', match: 'COMMIT-TASK', turns: commitScript('feature.txt') });
    setup.server.addScript({ name: 'resume', match: 'FOLLOW-UP', turns: [[assistantMessage('resumed')]] });
    const worker = createCodexWorker({ codexHome: setup.home.path, env: setup.home.env });
    const events: OrchestratorEvent[] = [];
    const started = Date.now();
    const result = await worker.run(
      { worktree: 'task-commit', cwd: worktree, prompt: 'COMMIT-TASK: add feature.txt', taskId: 'T1' },
      { onEvent: (event) => events.push(event) },
    );
    const firstRunMs = Date.now() - started;
    expect(result.status).toBe('completed');
    expect(result.exitCode).toBe(0);
    expect(result.finalMessage).toContain('COMMITTED');
    expect(result.filesChanged).toEqual([{ path: join(worktree, 'feature.txt'), kind: 'add' }]);
    expect(result.commands).toEqual([expect.objectContaining({ exitCode: 0, status: 'completed' })]);
    expect(result.usage).toEqual({
      inputTokens: 300,
      cachedInputTokens: 0,
      outputTokens: 30,
      reasoningOutputTokens: 0,
      totalTokens: 330,
    });
    expect(result.threadId).toBe(setup.server.requests[0]?.headers['session-id']);
    expect(await fixture.git(worktree, 'log', '-1', '--format=%s')).toBe('add feature.txt');
    expect(await fixture.git(worktree, 'status', '--porcelain')).toBe('');
    expect(events.map((event) => event.type)).toEqual([
      'worker-start',
      'worker-file-change',
      'worker-command-start',
      'worker-command-end',
      'worker-message',
      'worker-usage',
      'worker-end',
    ]);
    expect(events.every((event) => event.taskId === 'T1')).toBe(true);

    const resumed = await worker.run({
      worktree: 'task-commit',
      cwd: worktree,
      prompt: 'FOLLOW-UP: anything left?',
      resumeThreadId: result.threadId as string,
    });
    expect(resumed.status).toBe('completed');
    expect(resumed.finalMessage).toBe('resumed');
    expect(resumed.threadId).toBe(result.threadId);
    const resumeRequest = setup.server.requests.at(-1);
    expect(resumeRequest?.sessionKey).toBe(result.threadId);
    expect(resumeRequest?.text).toContain('COMMIT-TASK: add feature.txt');
    setup.server.assertComplete();
    console.info(`codex worker: first run (3 model turns) ${firstRunMs} ms, resume ${resumed.durationMs} ms`);
  }, 60000);

  it('cannot commit in a task worktree without the git dirs as writable roots (the control)', async () => {
    const { setup, fixture } = await prepare();
    const worktree = await fixture.addWorktree('task-control');
    setup.server.addScript({ turns: commitScript('control.txt') });
    const worker = createCodexWorker({ codexHome: setup.home.path, env: setup.home.env, addGitDirs: false });
    const result = await worker.run({ worktree: 'task-control', cwd: worktree, prompt: 'commit' });
    expect(result.commands[0]?.exitCode).not.toBe(0);
    expect(result.finalMessage).toMatch(/index\.lock.*Read-only file system/);
    expect(await fixture.git(worktree, 'log', '-1', '--format=%s')).toBe('initial');
  }, 60000);

  it('undoes changes a sandboxed codex makes to git config and hooks, and fails the run', async () => {
    const { setup, fixture } = await prepare();
    const worktree = await fixture.addWorktree('task-tamper');
    await fixture.addWorktree('task-other');
    const commonDir = join(fixture.main, '.git');
    const configBefore = await readFile(join(commonDir, 'config'), 'utf8');
    const otherCommonDir = join(commonDir, 'worktrees', 'task-other', 'commondir');
    const otherBefore = await readFile(otherCommonDir, 'utf8');
    setup.server.addScript({
      turns: [
        [
          execCommand(
            `git config core.fsmonitor "touch ${fixture.base}/pwned" && ` +
              `printf '#!/bin/sh\\ntouch ${fixture.base}/pwned\\n' > "${commonDir}/hooks/post-merge" && ` +
              `chmod +x "${commonDir}/hooks/post-merge" && ` +
              `echo /elsewhere > "${otherCommonDir}" && echo TAMPERED`,
          ),
        ],
        (request: { toolOutputs: { output: string }[] }) => [
          assistantMessage(`result: ${request.toolOutputs.at(-1)?.output}`),
        ],
      ],
    });
    const worker = createCodexWorker({ codexHome: setup.home.path, env: setup.home.env });
    const result = await worker.run({ worktree: 'task-tamper', cwd: worktree, prompt: 'tamper' });
    // The sandbox let the writes through (the git dirs are writable roots), so the guard had work to do.
    expect(result.finalMessage).toContain('TAMPERED');
    expect(result.status).toBe('failed');
    expect(result.errors.join('\n')).toMatch(
      /changed git metadata.*\.git\/config, \.git\/hooks\/post-merge, \.git\/worktrees\/task-other\/commondir.*undone/s,
    );
    expect(await readFile(otherCommonDir, 'utf8')).toBe(otherBefore);
    expect(await readFile(join(commonDir, 'config'), 'utf8')).toBe(configBefore);
    await expect(readFile(join(commonDir, 'hooks', 'post-merge'), 'utf8')).rejects.toThrow(/ENOENT/);
    await fixture.git(fixture.main, 'status');
    await expect(readFile(join(fixture.base, 'pwned'))).rejects.toThrow(/ENOENT/);
  }, 60000);

  it('rejects with a clear error when the codex binary is missing', async () => {
    const worker = createCodexWorker({ codexPath: '/nonexistent/bin/codex' });
    const run = worker.run({ worktree: 'x', cwd: '/tmp', prompt: 'hi' });
    await expect(run).rejects.toBeInstanceOf(CodexNotFoundError);
    await expect(run).rejects.toThrow(/npm install -D @openai\/codex/);
  });

  it('refuses a request for a more permissive sandbox than the worker allows', async () => {
    const worker = createCodexWorker();
    await expect(
      worker.run({ worktree: 'x', cwd: '/tmp', prompt: 'hi', sandbox: 'danger-full-access' }),
    ).rejects.toThrow(/allows at most "workspace-write"/);
  });

  it("kills the whole process tree on timeout, commands that left codex's group included", async () => {
    const { setup, fixture } = await prepare();
    const marker = '293.5017';
    setup.server.addScript({
      turns: [[execCommand(`sleep ${marker} & sleep ${marker}`)], hangWithoutHeaders()],
    });
    const worker = createCodexWorker({
      codexHome: setup.home.path,
      env: setup.home.env,
      sandbox: 'danger-full-access',
      timeoutMs: 6000,
    });
    const started = Date.now();
    const result = await worker.run({ worktree: 'main', cwd: fixture.main, prompt: 'sleep' });
    expect(result.status).toBe('timed-out');
    expect(result.errors.join('\n')).toMatch(/did not finish within 6 s/);
    expect(Date.now() - started).toBeLessThan(15000);
    expect(result.commands[0]?.status).toBe('in-progress');
    expect(processesMatching(marker)).toEqual([]);
    expect(processesMatching(fixture.main)).toEqual([]);
  }, 60000);

  it('kills the whole process tree when the signal aborts', async () => {
    const { setup, fixture } = await prepare();
    const marker = '291.7703';
    setup.server.addScript({ turns: [[execCommand(`sleep ${marker}`)], hangWithoutHeaders()] });
    const worker = createCodexWorker({ codexHome: setup.home.path, env: setup.home.env });
    const controller = new AbortController();
    const result = await worker.run(
      { worktree: 'main', cwd: fixture.main, prompt: 'sleep' },
      {
        signal: controller.signal,
        onEvent: (event) => {
          if (event.type === 'worker-command-start') setTimeout(() => controller.abort(), 300);
        },
      },
    );
    expect(result.status).toBe('cancelled');
    expect(processesMatching(marker)).toEqual([]);
    expect(processesMatching(fixture.main)).toEqual([]);
  }, 60000);

  it('ends with a bounded, clear failure when the model server answers 500', async () => {
    const { setup, fixture } = await prepare();
    setup.server.addScript({ turns: [failWithStatus(500, 'scripted outage')] });
    const worker = createCodexWorker({ codexHome: setup.home.path, env: setup.home.env, timeoutMs: 20000 });
    const result = await worker.run({ worktree: 'main', cwd: fixture.main, prompt: 'hi' });
    expect(result.status).toBe('failed');
    expect(result.exitCode).toBe(1);
    expect(result.durationMs).toBeLessThan(10000);
    expect(result.errors.join('\n')).toMatch(/HTTP 5xx answer of the model provider/);
    expect(setup.server.requests).toHaveLength(1);
  }, 60000);

  it('ends with a bounded, clear failure when the model server never answers', async () => {
    const { setup, fixture } = await prepare();
    setup.server.addScript({ turns: [hangWithoutHeaders()] });
    const worker = createCodexWorker({ codexHome: setup.home.path, env: setup.home.env, timeoutMs: 2000 });
    const result = await worker.run({ worktree: 'main', cwd: fixture.main, prompt: 'hi' });
    expect(result.status).toBe('timed-out');
    expect(result.durationMs).toBeLessThan(6000);
    expect(result.errors.join('\n')).toMatch(/model server did not answer/);
    expect(processesMatching(fixture.main)).toEqual([]);
  }, 60000);

  it('reports sandbox-failure when the sandbox cannot start, although codex exits 0', async () => {
    const { setup, fixture } = await prepare();
    // Simulates a container without user namespaces: codex runs in a user namespace in which no
    // further namespace may be created (on a host that already forbids them, codex runs as is).
    const codex = resolveCodexBinary();
    const launch = [codex.command, ...codex.args].map((part) => `'${part}'`).join(' ');
    let nested = true;
    try {
      execFileSync('unshare', ['-U', '-r', 'true'], { stdio: 'ignore' });
    } catch {
      nested = false;
    }
    const wrapper = join(fixture.base, 'codex-without-namespaces');
    await writeFile(
      wrapper,
      nested
        ? `#!/bin/sh\nexec unshare -U -r sh -c 'echo 0 > /proc/sys/user/max_user_namespaces && exec "$@"' sh ${launch} "$@"\n`
        : `#!/bin/sh\nexec ${launch} "$@"\n`,
    );
    await chmod(wrapper, 0o755);
    setup.server.addScript({
      turns: [
        [execCommand('echo hello > hello.txt')],
        [applyPatch(addFilePatch('b.txt', 'b'))],
        [assistantMessage('all done')],
      ],
    });
    const worker = createCodexWorker({ codexPath: wrapper, codexHome: setup.home.path, env: setup.home.env });
    const result = await worker.run({ worktree: 'main', cwd: fixture.main, prompt: 'write' });
    expect(result.exitCode).toBe(0);
    expect(result.status).toBe('sandbox-failure');
    expect(result.errors.join('\n')).toMatch(/sandbox could not run commands.*danger-full-access/s);
    await expect(readFile(join(fixture.main, 'hello.txt'))).rejects.toThrow();
  }, 60000);
});
