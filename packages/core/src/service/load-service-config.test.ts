import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  loadServiceConfig,
  parseServiceConfig,
  readSecret,
  serviceConfigJsonSchema,
} from './load-service-config.js';

const folders: string[] = [];
const folder = () => {
  const made = mkdtempSync(join(tmpdir(), 'service-config-'));
  folders.push(made);
  return made;
};
afterEach(() => {
  for (const made of folders.splice(0)) rmSync(made, { recursive: true, force: true });
});

const minimal = { projects: { shop: { description: 'the web shop', baseDir: './shop' } } };
const parse = (value: unknown) => parseServiceConfig(JSON.stringify(value), '/etc/orchestrator/serve.json');

describe('parseServiceConfig', () => {
  it('fills defaults and resolves paths against the file and the home folder', () => {
    const config = parse({
      ...minimal,
      store: { path: '~/state/store.db' },
      api: { token: { file: 'api-token' } },
      sources: { inbox: { dir: 'inbox', project: 'shop' } },
    });
    expect(config.projects.shop).toMatchObject({
      baseDir: '/etc/orchestrator/shop',
      mainWorktree: 'main',
      defaultBranch: 'main',
      review: 'agent',
      approval: 'none',
      maxParallel: 2,
      network: 'off',
    });
    expect(config.store?.path).toBe(join(homedir(), 'state/store.db'));
    expect(config.api).toMatchObject({
      host: '127.0.0.1',
      port: 8787,
      token: { file: '/etc/orchestrator/api-token' },
    });
    expect(config.sources.inbox?.dir).toBe('/etc/orchestrator/inbox');
  });

  it.each([
    [{}, 'field "projects"'],
    [{ projects: {} }, 'field "projects" must name at least one project'],
    [{ projects: { Shop: minimal.projects.shop } }, 'the name of "projects.Shop" must be lowercase letters'],
    [{ projects: { shop: { baseDir: '/x' } } }, 'field "projects.shop.description"'],
    [
      { projects: { shop: { ...minimal.projects.shop, review: 'maybe' } } },
      'field "projects.shop.review" must be one of "off", "agent", "codex" (got "maybe")',
    ],
    [
      { projects: { shop: { ...minimal.projects.shop, maxParallel: 0 } } },
      'field "projects.shop.maxParallel" must be a whole number of at least 1 (got 0)',
    ],
    [
      { projects: { shop: { ...minimal.projects.shop, smokeTes: 'npm test' } } },
      'unknown field "smokeTes" in "projects.shop"',
    ],
    [{ ...minimal, api: { token: 'literal-secret-value' } }, 'field "api.token"'],
    [{ ...minimal, api: { token: { file: 'a', env: 'B' } } }, 'exactly one of "file" or "env"'],
    [
      { ...minimal, sources: { inbox: { dir: 'in', project: 'billing' } } },
      'field "sources.inbox.project" names no project (got "billing"; projects: shop)',
    ],
  ])('refuses %j with one line naming the field', (value, expected) => {
    let message = '';
    try {
      parse(value);
    } catch (error) {
      message = (error as Error).message;
      expect(error).toMatchObject({ code: 'service-config-invalid', kind: 'user' });
    }
    expect(message).toContain(expected);
    expect(message).toContain('/etc/orchestrator/serve.json: ');
    expect(message).not.toContain('\n');
  });

  it('reads a Linear tracker: teams and projects route to projects, the key from LINEAR_API_KEY by default', () => {
    const config = parse({
      ...minimal,
      trackers: [
        {
          kind: 'linear',
          teams: { ENG: 'shop' },
          projects: { Search: 'shop' },
          allowedUsers: ['alice@example.com'],
          webhook: { secret: { file: 'linear-webhook-secret' } },
        },
      ],
    });
    expect(config.trackers[0]).toMatchObject({
      kind: 'linear',
      teams: { ENG: 'shop' },
      projects: { Search: 'shop' },
      label: 'orchestrator',
      assignOnClaim: true,
      pollIntervalMs: 60_000,
      apiKey: { env: 'LINEAR_API_KEY' },
      webhook: {
        host: '127.0.0.1',
        port: 8789,
        path: '/linear/webhook',
        secret: { file: '/etc/orchestrator/linear-webhook-secret' },
      },
    });
  });

  it.each([
    [
      { kind: 'linear', teams: { ENG: 'billing' } },
      'field "trackers[0].teams.ENG" names no project (got "billing"; projects: shop)',
    ],
    [
      { kind: 'linear', projects: { Search: 'billing' } },
      'field "trackers[0].projects.Search" names no project',
    ],
    [{ kind: 'linear' }, 'must name at least one team in "teams" or one project in "projects"'],
    [{ kind: 'linear', teams: { ENG: 'shop' }, apiKey: 'lin_api_literal' }, 'field "trackers.0.apiKey"'],
    [
      { kind: 'linear', teams: { ENG: 'shop' }, allowedRoles: ['owner'] },
      'must be "admin", "member" or "guest"',
    ],
    [{ kind: 'jira', teams: { ENG: 'shop' } }, 'must have a "kind" the service knows ("github", "linear")'],
  ])('refuses the Linear tracker %j with one line naming the field', (tracker, expected) => {
    let message = '';
    try {
      parse({ ...minimal, trackers: [tracker] });
    } catch (error) {
      message = (error as Error).message;
      expect(error).toMatchObject({ code: 'service-config-invalid', kind: 'user' });
    }
    expect(message).toContain(expected);
    expect(message).not.toContain('\n');
  });

  it('reads trackers as a union on kind, with defaults, file secrets resolved, and projects checked', () => {
    const config = parse({
      ...minimal,
      trackers: [{ kind: 'github', repositories: { 'octo/shop': 'shop' }, token: { file: 'gh-token' } }],
    });
    expect(config.trackers[0]).toMatchObject({
      kind: 'github',
      labels: ['orchestrator'],
      collaborators: 'write',
      pollIntervalMs: 60_000,
      approvals: true,
      closeOnDone: true,
      token: { file: '/etc/orchestrator/gh-token' },
    });
    const defaults = parse({
      ...minimal,
      trackers: [{ kind: 'github', repositories: { 'octo/shop': 'shop' } }],
    }).trackers[0];
    expect(defaults?.kind === 'github' ? defaults.token : undefined).toEqual({ env: 'GITHUB_TOKEN' });
    expect(() =>
      parse({ ...minimal, trackers: [{ kind: 'github', repositories: { 'octo/shop': 'billing' } }] }),
    ).toThrow(/trackers\[0\]\.repositories\.octo\/shop" names no project \(got "billing"; projects: shop\)/);
    expect(() => parse({ ...minimal, trackers: [{ kind: 'jira', repositories: {} }] })).toThrow(/kind/);
    expect(() =>
      parse({
        ...minimal,
        trackers: [{ kind: 'github', repositories: { 'octo/shop': 'shop' }, pollIntervalMs: 100 }],
      }),
    ).toThrow(/at least 5000/);
  });

  it('never echoes a secret pasted into the config, short or long', () => {
    const key = 'lin_api_0123456789abcdefghijklmnopqrstuvwxyzABCDEF';
    for (const config of [
      { ...minimal, api: { token: key } },
      { ...minimal, api: { token: 'x'.repeat(200) } },
      { ...minimal, trackers: [{ kind: 'linear', teams: { ENG: 'shop' }, apiKey: key }] },
    ]) {
      const message = (() => {
        try {
          parse(config);
          return '';
        } catch (error) {
          return (error as Error).message;
        }
      })();
      expect(message).toContain('(got a string; its value is not shown)');
      expect(message).not.toContain(key.slice(0, 12));
      expect(message).not.toContain('xxxx');
    }
  });

  it('names a missing file and bad JSON', () => {
    expect(() => loadServiceConfig('/nonexistent/serve.json')).toThrow(
      'the config file /nonexistent/serve.json does not exist; check the path given to --config',
    );
    const dir = folder();
    writeFileSync(join(dir, 'serve.json'), '{ "projects": ');
    expect(() => loadServiceConfig(join(dir, 'serve.json'))).toThrow(/is not valid JSON/);
  });
});

describe('docs/serve/serve.example.json', () => {
  it('is a valid config with every kind of source (inbox, Telegram, a tracker)', () => {
    const path = new URL('../../../../docs/serve/serve.example.json', import.meta.url);
    const config = parseServiceConfig(readFileSync(path, 'utf8'), '/etc/codex-orchestrator/serve.json');
    expect(Object.keys(config.projects)).toEqual(['shop', 'billing']);
    expect(config.sources.telegram?.allowedUserIds).toEqual([123456789]);
    expect(config.trackers.map((tracker) => tracker.kind)).toEqual(['github']);
  });
});

describe('readSecret', () => {
  it('reads env and private files, refuses files others can read, never shows the value', () => {
    const dir = folder();
    const file = join(dir, 'token');
    writeFileSync(file, 'secret-value-123\n');
    chmodSync(file, 0o600);
    expect(readSecret({ file }, 'api.token')).toBe('secret-value-123');
    chmodSync(file, 0o644);
    expect(() => readSecret({ file }, 'api.token')).toThrow(
      `api.token: ${file} can be read by other users; run chmod 600 ${file}`,
    );
    expect(readSecret({ env: 'MY_TOKEN' }, 'x', { MY_TOKEN: ' v ' })).toBe('v');
    expect(() => readSecret({ env: 'MY_TOKEN' }, 'sources.telegram.token', {})).toThrow(
      'sources.telegram.token: the environment variable MY_TOKEN is not set',
    );
  });
});

describe('the published JSON Schema', () => {
  it('is the one the schema generates (run `npm run schema -w @codex-orchestrator/core` after a change)', () => {
    const committed = JSON.parse(
      readFileSync(new URL('../../service-config.schema.json', import.meta.url), 'utf8'),
    );
    expect(committed).toEqual(serviceConfigJsonSchema());
  });
});
