import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createFakeGitHubApi } from '@codex-orchestrator/adapter-github/testing';
import { createFakeBotApi } from '@codex-orchestrator/adapter-telegram/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { serveCommand } from './serve-command.js';

const folders: string[] = [];
afterEach(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

/** A folder with a project checked out on `branch`, a private token file and a config. */
function setup(options: { branch?: string; config?: (root: string) => unknown; tokenMode?: number } = {}) {
  const root = mkdtempSync(join(tmpdir(), 'serve-'));
  folders.push(root);
  const main = join(root, 'shop', 'main');
  mkdirSync(main, { recursive: true });
  execFileSync('git', ['init', '-q', `--initial-branch=${options.branch ?? 'main'}`, main]);
  writeFileSync(join(root, 'api-token'), 'serve-test-token-0123456789\n');
  chmodSync(join(root, 'api-token'), options.tokenMode ?? 0o600);
  const config = options.config?.(root) ?? {
    projects: { shop: { description: 'the shop', baseDir: './shop', smokeTest: 'npm test' } },
    store: { path: './state/store.db' },
    api: { port: 0, token: { file: './api-token' } },
  };
  writeFileSync(join(root, 'serve.json'), JSON.stringify(config));
  return root;
}

function run(
  root: string,
  check: boolean,
  signal = new AbortController().signal,
  env: Record<string, string> = {},
) {
  let stdout = '';
  let stderr = '';
  const done = serveCommand({
    configPath: 'serve.json',
    check,
    cwd: root,
    env: { OPENAI_API_KEY: 'sk-test', HOME: root, ...env },
    signal,
    graceSeconds: 1,
    stdout: { write: (chunk: string) => (stdout += chunk) },
    stderr: { write: (chunk: string) => (stderr += chunk) },
  });
  return { done, out: () => stdout, err: () => stderr };
}

describe('orchestrator serve --check', () => {
  it('validates and prints what it would run, starting nothing', async () => {
    const root = setup();
    const result = run(root, true);
    expect(await result.done).toBe(0);
    expect(result.out()).toContain(`${join(root, 'serve.json')} is valid. Would run:`);
    expect(result.out()).toContain(
      `project shop: ${join(root, 'shop', 'main')} (branch main), review agent, approval none`,
    );
    expect(result.out()).toContain(`store: ${join(root, 'state', 'store.db')}`);
    expect(result.out()).toContain('API: http://127.0.0.1:0 (bearer token from');
    expect(result.out()).toContain('Ready to serve.');
  });

  it('refuses a broken config with one line naming the field and the value', async () => {
    const root = setup({
      config: () => ({ projects: { shop: { description: 'x', baseDir: '.', review: 'sometimes' } } }),
    });
    const result = run(root, true);
    expect(await result.done).toBe(2);
    expect(result.err()).toBe(
      `orchestrator serve: ${join(root, 'serve.json')}: field "projects.shop.review" must be one of "off", "agent", "codex" (got "sometimes")\n`,
    );
  });

  it('checks a Linear tracker: its adapter, its API key variable, and what it would watch', async () => {
    const root = setup({
      config: () => ({
        projects: { shop: { description: 'the shop', baseDir: './shop' } },
        api: { port: 0, token: { file: './api-token' } },
        trackers: [{ kind: 'linear', teams: { ENG: 'shop' } }],
      }),
    });
    const missing = run(root, true);
    expect(await missing.done).not.toBe(0);
    expect(missing.out() + missing.err()).toMatch(/LINEAR_API_KEY/);
    const ready = run(root, true, new AbortController().signal, { LINEAR_API_KEY: 'lin_api_checkOnly0123' });
    expect(await ready.done).toBe(0);
    expect(ready.out()).toContain('tracker linear: linear ENG -> shop, polled every 60 s');
    expect(ready.out() + ready.err()).not.toContain('lin_api_checkOnly0123');
  });

  it('lists problems of the machine: wrong branch, a token others can read', async () => {
    const root = setup({ branch: 'trunk', tokenMode: 0o644 });
    const result = run(root, true);
    expect(await result.done).toBe(1);
    expect(result.out()).toContain('has trunk checked out, not main; check out main or set "defaultBranch"');
    expect(result.out()).toContain('can be read by other users; run chmod 600');
  });
});

describe('orchestrator serve --check: Telegram and policy files', () => {
  it('prints the Telegram source and refuses an empty allowlist with the field path', async () => {
    const withTelegram = (allowedUserIds: number[]) => (root: string) => {
      writeFileSync(join(root, 'bot-token'), '123:abc\n', { mode: 0o600 });
      return {
        projects: { shop: { description: 'the shop', baseDir: './shop' } },
        store: { path: './state/store.db' },
        sources: { telegram: { token: { file: './bot-token' }, allowedUserIds, approvalChatId: 42 } },
      };
    };
    const good = run(setup({ config: withTelegram([111]) }), true);
    expect(await good.done).toBe(0);
    expect(good.out()).toContain(
      'source telegram: 1 allowed user(s); approvals of other sources asked in chat 42',
    );
    const root = setup({ config: withTelegram([]) });
    const bad = run(root, true);
    expect(await bad.done).toBe(2);
    expect(bad.err()).toBe(
      `orchestrator serve: ${join(root, 'serve.json')}: field "sources.telegram.allowedUserIds" must name at least one user; the bot ignores everyone else (got [])\n`,
    );
  });

  it('checks the contents of a project policy file, not only that it exists', async () => {
    const root = setup({
      config: (folder) => {
        writeFileSync(join(folder, 'policy.json'), JSON.stringify({ rules: 'not a list' }));
        return {
          projects: { shop: { description: 'the shop', baseDir: './shop', policy: './policy.json' } },
          store: { path: './state/store.db' },
        };
      },
    });
    const result = run(root, true);
    expect(await result.done).toBe(1);
    expect(result.out()).toMatch(/projects\.shop\.policy: .*policy\.json/);
  });
});

describe('orchestrator serve', () => {
  it('starts the configured Telegram bot, which answers /status from the service', async () => {
    const telegram = await createFakeBotApi();
    try {
      const root = setup({
        config: (folder) => {
          writeFileSync(join(folder, 'bot-token'), `${telegram.token}\n`, { mode: 0o600 });
          return {
            projects: { shop: { description: 'the shop', baseDir: './shop' } },
            store: { path: './state/store.db' },
            sources: {
              telegram: { token: { file: './bot-token' }, allowedUserIds: [111], apiRoot: telegram.apiRoot },
            },
          };
        },
      });
      const controller = new AbortController();
      const result = run(root, false, controller.signal);
      await expect.poll(() => result.err(), { timeout: 15_000 }).toContain('"message":"serving"');
      telegram.sendText(111, 111, '/status');
      await telegram.waitFor(
        () => telegram.messages.find((message) => message.text === 'No running or queued tasks.'),
        15_000,
      );
      expect(telegram.commands.map((command) => command.command)).toContain('task');
      controller.abort();
      expect(await result.done).toBe(0);
      expect(result.err()).not.toContain(telegram.token);
    } finally {
      await telegram.close();
    }
  }, 40_000);

  it('serves the API, logs JSON lines with where things are, and stops on SIGTERM', async () => {
    const root = setup();
    const controller = new AbortController();
    const result = run(root, false, controller.signal);
    await expect.poll(() => result.err(), { timeout: 15_000 }).toContain('"message":"serving"');
    const serving = result
      .err()
      .split('\n')
      .map((line) => (line.startsWith('{') ? JSON.parse(line) : undefined))
      .find((entry) => entry?.message === 'serving');
    expect(serving).toMatchObject({ level: 'info', store: join(root, 'state', 'store.db') });
    const response = await fetch(`${serving.api}/v1/projects`, {
      headers: { authorization: 'Bearer serve-test-token-0123456789' },
    });
    expect(await response.json()).toEqual({
      projects: [{ name: 'shop', description: 'the shop', defaultBranch: 'main' }],
    });
    controller.abort();
    expect(await result.done).toBe(0);
    expect(result.err()).toContain('"message":"service stopped"');
  }, 30_000);

  it('builds a GitHub tracker from the config, polls it with the token, and says what is missing', async () => {
    const token = 'ghp_serveTestToken0123456789';
    const github = await createFakeGitHubApi({ token });
    try {
      github.addRepository('octo/shop', {});
      const config = (root: string) => ({
        projects: { shop: { description: 'the shop', baseDir: './shop' } },
        store: { path: join(root, 'state', 'store.db') },
        trackers: [
          {
            kind: 'github',
            repositories: { 'octo/shop': 'shop' },
            baseUrl: github.url,
            pollIntervalMs: 5000,
          },
        ],
      });
      const missing = run(setup({ config }), true);
      expect(await missing.done).toBe(1);
      expect(missing.out()).toContain('tracker github: github octo/shop -> shop, polled every 5 s');
      expect(missing.out()).toContain(
        'trackers.github.token: the environment variable GITHUB_TOKEN is not set',
      );

      const controller = new AbortController();
      const result = run(setup({ config }), false, controller.signal, { GITHUB_TOKEN: token });
      await expect.poll(() => github.requests.length, { timeout: 15_000 }).toBeGreaterThan(0);
      expect(result.err()).toContain(
        'tracker github: GitHub issues of octo/shop -> shop labelled orchestrator',
      );
      controller.abort();
      expect(await result.done).toBe(0);
      expect(github.requests.every((request) => request.authorized)).toBe(true);
      expect(`${result.out()}${result.err()}`).not.toContain(token);
    } finally {
      await github.close();
    }
  }, 30_000);
});
