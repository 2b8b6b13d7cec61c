import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer as createHttpServer } from 'node:http';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createCodexWorker } from './codex-worker.js';
import { createGitFixture, type GitFixture } from './git-repository.fixture.js';

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A CODEX_HOME as a user has it: codex's default retries (endless reconnects, no idle limit on headers). */
async function userCodexHome(baseURL: string): Promise<{ path: string; env: Record<string, string> }> {
  const path = await mkdtemp(join(tmpdir(), 'codex-home-user-'));
  cleanups.push(() => rm(path, { recursive: true, force: true }));
  await writeFile(
    join(path, 'config.toml'),
    [
      'model = "gpt-5.5"',
      'model_provider = "local"',
      'check_for_update_on_startup = false',
      'analytics.enabled = false',
      '',
      '[features]',
      'plugins = false',
      '',
      '[model_providers.local]',
      'name = "local"',
      `base_url = ${JSON.stringify(baseURL)}`,
      'env_key = "LOCAL_API_KEY"',
      'wire_api = "responses"',
      '',
    ].join('\n'),
  );
  return { path, env: { CODEX_HOME: path, LOCAL_API_KEY: 'local-key' } };
}

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** A server that accepts connections and never sends a byte. */
async function silentServer(): Promise<{ server: Server; port: number }> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  return { server, port: (server.address() as { port: number }).port };
}

async function repository(): Promise<GitFixture> {
  const fixture = await createGitFixture();
  cleanups.push(() => fixture.remove());
  return fixture;
}

describe('a codex run that cannot reach its model (real codex binary)', () => {
  it('fails with the endpoint named when nothing listens on its port', async () => {
    const fixture = await repository();
    const baseURL = `http://127.0.0.1:${await closedPort()}/v1`;
    const home = await userCodexHome(baseURL);
    const worker = createCodexWorker({
      codexHome: home.path,
      env: home.env,
      timeoutMs: 10 * 60_000,
      killGraceMs: 500,
    });
    const result = await worker.run({ worktree: 'main', cwd: fixture.main, prompt: 'say hi' });
    expect(result.status).toBe('failed');
    const reason = result.errors.find((error) => error.startsWith('codex cannot reach its model'));
    expect(reason).toContain(
      `codex cannot reach its model at ${baseURL}: 3 connection attempts failed in a row`,
    );
    expect(reason).toMatch(/Reconnecting|Connection failed/);
    expect(reason).toContain('instead of waiting for the 600 s timeout');
  }, 180_000);

  it('fails with the endpoint named when the server accepts and never answers', async () => {
    const fixture = await repository();
    const { port } = await silentServer();
    const baseURL = `http://127.0.0.1:${port}/v1`;
    const home = await userCodexHome(baseURL);
    const worker = createCodexWorker({
      codexHome: home.path,
      env: home.env,
      timeoutMs: 10 * 60_000,
      killGraceMs: 500,
      connectionWatch: { silenceMs: 5000, probeTimeoutMs: 3000 },
    });
    const result = await worker.run({ worktree: 'main', cwd: fixture.main, prompt: 'say hi' });
    expect(result.status).toBe('failed');
    expect(result.errors).toContainEqual(
      expect.stringContaining(
        `codex cannot reach its model at ${baseURL}: codex was silent for 5 s and a probe of ${baseURL} got no answer within 3 s`,
      ),
    );
  }, 180_000);

  it('keeps waiting while the endpoint answers, however long codex is silent (control)', async () => {
    const fixture = await repository();
    // The model request hangs, but GET /models answers (401: no key is sent): alive, only slow.
    let probes = 0;
    const server = createHttpServer((request, response) => {
      if (request.method === 'GET' && request.url?.endsWith('/models')) {
        probes++;
        response.writeHead(401, { 'content-type': 'application/json' }).end('{"error":"no key"}');
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    cleanups.push(async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    });
    const home = await userCodexHome(`http://127.0.0.1:${(server.address() as { port: number }).port}/v1`);
    const worker = createCodexWorker({
      codexHome: home.path,
      env: home.env,
      timeoutMs: 15_000,
      killGraceMs: 500,
      connectionWatch: { silenceMs: 2000, probeTimeoutMs: 2000 },
    });
    const result = await worker.run({ worktree: 'main', cwd: fixture.main, prompt: 'say hi' });
    expect(result.status).toBe('timed-out');
    expect(result.errors.join('\n')).not.toContain('cannot reach its model');
    expect(probes).toBeGreaterThan(0);
  }, 120_000);
});
