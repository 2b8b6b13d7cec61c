import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterEach, describe, expect, it } from 'vitest';
import { resolveCodexBinary } from '../worker/resolve-codex-binary.js';
import { createCodexHome, scriptedCodexConfig } from './codex-home.js';
import { createScriptedModelServer, type ScriptedModelServer } from './scripted-model-server.js';
import { addFilePatch, applyPatch, assistantMessage, execCommand } from './scripted-model-turns.js';

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe('createCodexHome', () => {
  it('writes a config with retries, analytics and plugins off, pointing at the server', () => {
    const config = scriptedCodexConfig('http://127.0.0.1:9/v1', { streamIdleTimeoutMs: 1234 });
    expect(config).toContain('base_url = "http://127.0.0.1:9/v1"');
    expect(config).toContain('wire_api = "responses"');
    expect(config).toMatch(/request_max_retries = 0\nstream_max_retries = 0\nstream_idle_timeout_ms = 1234/);
    expect(config).toContain('analytics.enabled = false');
    expect(config).toMatch(/\[features\]\nplugins = false\nunbounded_connection_retries = false/);
  });

  it('drives the real codex binary: a shell command, a patch and a final message', async () => {
    const server: ScriptedModelServer = await createScriptedModelServer();
    cleanups.push(() => server.close());
    const home = await createCodexHome(server);
    cleanups.push(() => home.remove());
    const repository = await mkdtemp(join(tmpdir(), 'codex-home-test-'));
    cleanups.push(() => rm(repository, { recursive: true, force: true }));
    await execa('git', ['init', '-q', repository]);
    server.addScript({
      turns: [
        [execCommand('echo from-shell > shell.txt')],
        [applyPatch(addFilePatch('patched.txt', 'from a patch'))],
        (request) => [assistantMessage(`outputs: ${request.toolOutputs.length}`)],
      ],
    });
    const codex = resolveCodexBinary();
    const run = await execa(
      codex.command,
      [...codex.args, 'exec', '--json', '--sandbox', 'workspace-write', '--cd', repository, 'go'],
      {
        env: { ...process.env, ...home.env },
        stdin: 'ignore',
        reject: false,
        timeout: 30000,
      },
    );
    expect(run.exitCode).toBe(0);
    expect(await readFile(join(repository, 'shell.txt'), 'utf8')).toBe('from-shell\n');
    expect(await readFile(join(repository, 'patched.txt'), 'utf8')).toBe('from a patch\n');
    expect(run.stdout).toContain('"text":"outputs: 2"');
    expect(server.requests).toHaveLength(3);
    const threadId = server.requests[0]?.headers['session-id'];
    expect(threadId).toBeTruthy();
    expect(server.requests.every((request) => request.sessionKey === threadId && request.stream)).toBe(true);
    server.assertComplete();
  });
});
