import { describe, expect, it } from 'vitest';
import { CodexExecArgsError } from './codex-errors.js';
import { type CodexExecRequest, parseCodexExecArgs } from './codex-exec-args.js';

describe('parseCodexExecArgs', () => {
  it.each<[string[], CodexExecRequest]>([
    [['codex', 'exec', 'Add a test'], { prompt: 'Add a test' }],
    [['codex', 'exec', '--full-auto', 'Add a test'], { prompt: 'Add a test', sandbox: 'workspace-write' }],
    [
      ['codex', 'exec', '--sandbox', 'workspace-write', '-m', 'gpt-5', 'prompt'],
      { prompt: 'prompt', sandbox: 'workspace-write', model: 'gpt-5' },
    ],
    [
      ['codex', 'exec', '--sandbox=read-only', '--model=gpt-5.5', 'p'],
      { prompt: 'p', sandbox: 'read-only', model: 'gpt-5.5' },
    ],
    [['codex', 'exec', '-s', 'danger-full-access', 'p'], { prompt: 'p', sandbox: 'danger-full-access' }],
    [['codex', 'exec', '--json', '--skip-git-repo-check', '--ephemeral', 'p'], { prompt: 'p' }],
    [['codex', 'exec', '-C', '.', 'p'], { prompt: 'p', cd: '.' }],
    [['codex', 'exec', '--cd=../task-a', 'p'], { prompt: 'p', cd: '../task-a' }],
    [
      ['codex', 'exec', 'resume', '0199-abc', 'next prompt'],
      { prompt: 'next prompt', resumeThreadId: '0199-abc' },
    ],
    [
      ['codex', 'exec', '--full-auto', 'resume', '--json', '0199-abc', 'next'],
      { prompt: 'next', resumeThreadId: '0199-abc', sandbox: 'workspace-write' },
    ],
    [['codex', 'exec', '--', '--starts-with-dash'], { prompt: '--starts-with-dash' }],
    [['codex', 'e', 'short alias'], { prompt: 'short alias' }],
  ])('reads %j', (argv, expected) => {
    expect(parseCodexExecArgs(argv)).toEqual(expected);
  });

  it.each<[string[], string, RegExp]>([
    [
      ['codex', 'exec', '--dangerously-bypass-approvals-and-sandbox', 'p'],
      '--dangerously-bypass-approvals-and-sandbox',
      /sandbox is set by the orchestrator/,
    ],
    [['codex', 'exec', '-c', 'model_provider="x"', 'p'], '-c', /configuration is set by the orchestrator/],
    [['codex', 'exec', '--config=sandbox_mode="danger-full-access"', 'p'], '--config', /configuration/],
    [['codex', 'exec', '--profile', 'x', 'p'], '--profile', /configuration/],
    [['codex', 'exec', '--add-dir', '/', 'p'], '--add-dir', /only inside its worktree/],
    [['codex', 'exec', '-o', 'out.txt', 'p'], '-o', /final message/],
    [['codex', 'exec', '--sandbox', 'full', 'p'], '--sandbox', /not a sandbox mode/],
    [['codex', 'exec', '--bogus', 'p'], '--bogus', /unknown flag/],
    [['codex', 'exec', '--json=1', 'p'], '--json', /takes no value/],
    [['codex', 'exec', '-m', '--json', 'p'], '-m', /not a valid value/],
    [['codex', 'exec'], 'prompt', /a prompt is required/],
    [['codex', 'exec', '--full-auto', '  '], 'prompt', /a prompt is required/],
    [['codex', 'exec', '-'], '-', /stdin/],
    [['codex', 'exec', 'one', 'two'], 'two', /one quoted argument/],
    [['codex', 'exec', 'resume', '--last', 'p'], '--last', /thread id/],
    [['codex', 'exec', 'resume'], 'resume', /needs a value/],
    [['codex', 'exec', 'review'], 'review', /subcommand/],
    [['codex', 'review'], 'review', /Not a codex exec command/],
  ])('refuses %j naming %s', (argv, flag, message) => {
    let caught: unknown;
    try {
      parseCodexExecArgs(argv);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(CodexExecArgsError);
    expect((caught as CodexExecArgsError).flag).toBe(flag);
    expect((caught as CodexExecArgsError).message).toMatch(message);
    expect((caught as CodexExecArgsError).message).toContain('Supported: codex exec');
  });
});
