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
      'add search',
    ]);
    expect(parsed).toEqual({
      command: 'run',
      flags: { maxParallel: 3, budgetUsd: 1.5, review: 'codex' },
      positionals: ['add search'],
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

  it('takes task words after `run`, and flags after them', () => {
    const parsed = parseArguments(['run', 'add', 'search', '--max-parallel', '3']);
    expect(parsed.command).toBe('run');
    expect(parsed.positionals).toEqual(['add', 'search']);
    expect(parsed.flags.maxParallel).toBe(3);
  });

  it('reads `worktree` as `worktrees`, so `orchestrator worktree list` is never a task', () => {
    expect(parseArguments(['worktree', 'list'])).toMatchObject({
      command: 'worktrees',
      positionals: ['list'],
    });
  });

  it('collects repeated --copy and the --no-reuse-dependencies switch; an absent switch is no flag', () => {
    const parsed = parseArguments([
      '--copy',
      '.env.local',
      '--copy',
      'config',
      '--no-reuse-dependencies',
      'a b',
    ]);
    expect(parsed.flags).toEqual({ copy: ['.env.local', 'config'], reuseDependencies: false });
    expect(parseArguments(['a b']).flags).toEqual({});
  });

  it.each([
    [['dmeo'], 'Unknown command "dmeo". Did you mean `orchestrator demo`?'],
    [['dispach'], 'Did you mean `orchestrator dispatch`?'],
    [['worktres', 'list'], 'Did you mean `orchestrator worktrees list`?'],
    [['polcy', 'check'], 'Did you mean `orchestrator policy check`?'],
    [['add', 'search'], 'To run it as a task, quote it or say run: orchestrator run "add search"'],
    [['refactor'], '"refactor" is not a command'],
  ])('never takes %j as a task: it says which command was meant', (argv, message) => {
    expect(() => parseArguments(argv)).toThrow(message);
  });

  it('prints defaults in --help, and sub-command help', () => {
    const help = parseArguments(['--help']).helpText ?? '';
    expect(help).toContain('(default: 2)');
    expect(help).toContain('(default: agent)');
    expect(help).toContain('--policy <file>');
    expect(parseArguments(['help', 'demo']).helpText).toContain('Usage: orchestrator demo');
    expect(parseArguments(['dispatch', '--help']).helpText).toContain('(default: 1)');
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
    [['--budget-usd', '-1', 'x y'], '--budget-usd must be a number greater than 0, e.g. 1.50 (got "-1")'],
    [['--bse-dir', 'x'], '(Did you mean --base-dir?)'],
    [['--review', 'human', 'x'], '--review must be one of off, agent, codex (got "human")'],
    [['--base-url', 'localhost:8080', 'x'], '--base-url must be an http(s) URL'],
    [['--frobnicate', 'x'], "unknown option '--frobnicate'"],
    [
      ['demo', '--inbox', 'x'],
      '--inbox does not apply to this command (it is an option of orchestrator dispatch)',
    ],
    [['--inbox', 'x', 'a task'], '--inbox does not apply to this command'],
    [['--inbox', 'x', 'demo'], 'it is an option of orchestrator dispatch'],
    [['demo', 'extra'], "too many arguments for 'demo'"],
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
