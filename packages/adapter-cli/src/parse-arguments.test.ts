import { describe, expect, it } from 'vitest';
import { CliError } from './cli-error.js';
import { parseArguments } from './parse-arguments.js';

describe('parseArguments', () => {
  it('takes the words of a task run and converts numeric flags', () => {
    const parsed = parseArguments([
      '--max-parallel',
      '3',
      '--budget-usd',
      '1.5',
      '--review',
      'codex',
      'add',
      'search',
    ]);
    expect(parsed).toEqual({
      command: 'run',
      flags: { maxParallel: 3, budgetUsd: 1.5, review: 'codex' },
      positionals: ['add', 'search'],
      passThrough: [],
    });
  });

  it('recognises sub-commands, but not after `--`', () => {
    expect(parseArguments(['demo', '--dir', '/tmp/x']).command).toBe('demo');
    expect(parseArguments(['dispatch', '--inbox', 'in']).flags.inbox).toBe('in');
    expect(parseArguments(['worktrees', 'prune']).positionals).toEqual(['prune']);
    const literal = parseArguments(['--', 'demo']);
    expect(literal.command).toBe('run');
    expect(literal.positionals).toEqual(['demo']);
  });

  it('hands everything after `policy` to the policy CLI untouched', () => {
    expect(parseArguments(['policy', 'check', '--worktree', 'main', 'git push'])).toEqual({
      command: 'policy',
      flags: {},
      positionals: [],
      passThrough: ['check', '--worktree', 'main', 'git push'],
    });
  });

  it('--help and --version win over everything else', () => {
    expect(parseArguments(['dispatch', '--help']).command).toBe('help');
    expect(parseArguments(['-v']).command).toBe('version');
    expect(parseArguments(['help']).command).toBe('help');
  });

  it.each([
    [['--max-parallel', '0', 'x'], '--max-parallel must be a whole number of at least 1, e.g. 2 (got "0")'],
    [
      ['--max-parallel', '2.5', 'x'],
      '--max-parallel must be a whole number of at least 1, e.g. 2 (got "2.5")',
    ],
    [['--budget-usd', 'lots', 'x'], '--budget-usd must be a number greater than 0, e.g. 1.50 (got "lots")'],
    [['--review', 'human', 'x'], '--review must be one of off, agent, codex (got "human")'],
    [['--base-url', 'localhost:8080', 'x'], '--base-url must be an http(s) URL'],
    [['--frobnicate', 'x'], "Unknown option '--frobnicate'"],
    [['demo', '--inbox', 'x'], '--inbox does not apply to `orchestrator demo`'],
    [['--inbox', 'x', 'task'], '--inbox does not apply to a task run'],
    [['demo', 'extra'], 'Unexpected argument "extra" after `orchestrator demo`'],
  ])('refuses %j with a message naming the value', (argv, message) => {
    let thrown: unknown;
    try {
      parseArguments(argv);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(CliError);
    expect((thrown as CliError).message).toContain(message);
    expect((thrown as CliError).exitCode).toBe(2);
  });
});
