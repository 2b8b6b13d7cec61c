import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { noPushEnv, pushDisabledConfigKey } from './no-push-env.js';

let base: string;
let origin: string;
let work: string;

const git = (cwd: string, args: string[], env?: NodeJS.ProcessEnv) =>
  execa('git', args, {
    cwd,
    reject: false,
    stdin: 'ignore',
    ...(env === undefined ? {} : { env, extendEnv: false }),
  });

const originRefs = async () =>
  (await git(origin, ['for-each-ref', '--format=%(refname) %(objectname)'])).stdout;

beforeAll(async () => {
  base = await mkdtemp(join(tmpdir(), 'no-push-env-'));
  origin = join(base, 'origin.git');
  work = join(base, 'work');
  await git(base, ['init', '-q', '--bare', origin]);
  await git(base, ['init', '-q', '-b', 'main', work]);
  await git(work, ['config', 'user.name', 'Test']);
  await git(work, ['config', 'user.email', 'test@example.com']);
  await git(work, ['commit', '-q', '--allow-empty', '-m', 'initial']);
  await git(work, ['remote', 'add', 'origin', origin]);
  await git(work, ['push', '-q', 'origin', 'main']);
  await git(work, ['commit', '-q', '--allow-empty', '-m', 'local work']);
  await git(work, ['remote', 'add', 'mirror', origin]);
  await git(work, ['config', 'remote.mirror.pushurl', origin]);
});

afterAll(async () => {
  await rm(base, { recursive: true, force: true });
});

describe('noPushEnv', () => {
  it.each([
    ['a remote', ['push', 'origin', 'HEAD:main']],
    ['a path', ['push', '../origin.git', 'HEAD:refs/heads/by-path']],
    ['a file URL', ['push', 'PLACEHOLDER_URL', 'HEAD:refs/heads/by-url']],
    ['a remote with an explicit pushurl', ['push', 'mirror', 'HEAD:refs/heads/by-pushurl']],
    ['global options before push', ['-C', '.', '-c', 'color.ui=never', 'push', 'origin', 'HEAD:main']],
    ['send-pack', ['send-pack', '../origin.git', 'HEAD:refs/heads/by-send-pack']],
  ])('makes git push to %s fail and leaves the origin unchanged', async (_name, args) => {
    const before = await originRefs();
    const resolved = args.map((arg) => (arg === 'PLACEHOLDER_URL' ? `file://${origin}` : arg));
    const result = await git(work, resolved, noPushEnv());
    expect(result.exitCode).toBe(128);
    expect(result.stderr).toContain('codex-orchestrator: pushing is disabled for this task');
    expect(await originRefs()).toBe(before);
  });

  it('stops a push by the config alone when git is called by absolute path', async () => {
    const before = await originRefs();
    const gitPath = (await execa('sh', ['-c', 'command -v git'])).stdout;
    const result = await execa(gitPath, ['push', 'origin', 'HEAD:main'], {
      cwd: work,
      reject: false,
      env: noPushEnv(),
      extendEnv: false,
    });
    expect(result.exitCode).toBe(128);
    expect(await originRefs()).toBe(before);
  });

  it('keeps fetch and other git commands working', async () => {
    const env = noPushEnv();
    expect((await git(work, ['fetch', 'origin'], env)).exitCode).toBe(0);
    expect((await git(work, ['status', '--short'], env)).exitCode).toBe(0);
    expect((await git(work, ['log', '-1', '--format=%s'], env)).stdout).toBe('local work');
  });

  it('appends to the GIT_CONFIG_COUNT entries the caller already has, and is idempotent', async () => {
    const env = noPushEnv({
      PATH: process.env.PATH,
      GIT_CONFIG_COUNT: '1',
      GIT_CONFIG_KEY_0: 'user.name',
      GIT_CONFIG_VALUE_0: 'From Env',
    });
    expect(env.GIT_CONFIG_COUNT).toBe('2');
    expect(env.GIT_CONFIG_KEY_1).toBe(pushDisabledConfigKey);
    expect(env.GIT_CONFIG_VALUE_1).toBe('');
    expect(noPushEnv(env)).toEqual(env);
    expect((await git(work, ['config', 'user.name'], env)).stdout).toBe('From Env');
  });

  it('puts a private shim directory first on PATH, outside the temp dir when it can', () => {
    const env = noPushEnv({ PATH: process.env.PATH });
    const shim = env.PATH?.split(delimiter)[0] ?? '';
    expect(shim).toMatch(/codex-orchestrator-no-push-/);
    expect(shim.startsWith(tmpdir())).toBe(false);
    expect(noPushEnv({ PATH: '/usr/bin' }, { gitShim: false }).PATH).toBe('/usr/bin');
  });

  it('does not change the environment it is given', () => {
    const original = { PATH: '/usr/bin:/bin' };
    noPushEnv(original);
    expect(original).toEqual({ PATH: '/usr/bin:/bin' });
  });
});
