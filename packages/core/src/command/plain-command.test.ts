import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { noPushEnv, noPushShimMarker } from '../exec/no-push-env.js';
import { plainCommandArgv } from './plain-command.js';

const env = { PATH: process.env.PATH ?? '/usr/bin:/bin' };
const git = execFileSync('bash', ['-c', 'command -v git'], { env, encoding: 'utf8' }).trim();

describe('plainCommandArgv', () => {
  it.each([
    ['git status', [git, 'status']],
    ['  git log -1 --format=%H  ', [git, 'log', '-1', '--format=%H']],
    ['git diff --stat main...task-x', [git, 'diff', '--stat', 'main...task-x']],
  ])('executes %j directly', (script, argv) => {
    expect(plainCommandArgv(script, process.cwd(), env)).toEqual(argv);
  });

  it.each([
    'git status; rm x',
    'git status && true',
    'git status | cat',
    'git status > out',
    'git log "--format=%H"',
    "git log '-1'",
    'ls *.ts',
    'ls ~/x',
    'echo $HOME',
    'git status # comment',
    'git  status',
    'git\tstatus',
    'FOO=1 git status',
    'echo hi',
    'cd ..',
    'kill 1',
    'no-such-program-anywhere --flag',
    '',
  ])('leaves %j to bash', (script) => {
    expect(plainCommandArgv(script, process.cwd(), env)).toBeUndefined();
  });

  it('resolves git past the push-refusing wrapper, which stays on PATH for child processes', () => {
    const guarded = noPushEnv(env);
    expect(guarded.PATH?.split(':')[0]).toContain(noPushShimMarker);
    expect(plainCommandArgv('git status', process.cwd(), guarded)).toEqual([git, 'status']);
  });

  it('leaves everything to bash when BASH_ENV is set', () => {
    expect(plainCommandArgv('git status', process.cwd(), { ...env, BASH_ENV: '/tmp/x' })).toBeUndefined();
  });
});
