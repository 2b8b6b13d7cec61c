import { describe, expect, it } from 'vitest';
import { buildCodexArgv, tomlValue } from './codex-argv.js';

describe('buildCodexArgv', () => {
  it('puts options before resume and the prompt after --', () => {
    expect(
      buildCodexArgv({
        prompt: '-x looks like a flag',
        cwd: '/w/task-a',
        sandbox: 'workspace-write',
        addDirs: ['/w/main/.git', '/w/main/.git/worktrees/task-a'],
        outputLastMessageFile: '/tmp/last.txt',
        model: 'gpt-5.5',
        resumeThreadId: 'thread-1',
        configOverrides: { model_provider: 'local', 'sandbox_workspace_write.network_access': false },
      }),
    ).toEqual([
      'exec',
      '--json',
      '--sandbox',
      'workspace-write',
      '--cd',
      '/w/task-a',
      '--add-dir',
      '/w/main/.git',
      '--add-dir',
      '/w/main/.git/worktrees/task-a',
      '--output-last-message',
      '/tmp/last.txt',
      '--model',
      'gpt-5.5',
      '--config',
      'model_provider="local"',
      '--config',
      'sandbox_workspace_write.network_access=false',
      'resume',
      'thread-1',
      '--',
      '-x looks like a flag',
    ]);
  });

  it('adds --skip-git-repo-check only when asked', () => {
    const argv = buildCodexArgv({
      prompt: 'p',
      cwd: '/d',
      sandbox: 'read-only',
      outputLastMessageFile: '/o',
      skipGitRepoCheck: true,
    });
    expect(argv).toContain('--skip-git-repo-check');
    expect(
      buildCodexArgv({ prompt: 'p', cwd: '/d', sandbox: 'read-only', outputLastMessageFile: '/o' }),
    ).not.toContain('--skip-git-repo-check');
  });

  it('writes TOML values', () => {
    expect(tomlValue('a "quoted" \\ value')).toBe('"a \\"quoted\\" \\\\ value"');
    expect(tomlValue([1, 'two', true])).toBe('[1, "two", true]');
    expect(tomlValue({ inherit: 'all', set: { A: 'b' } })).toBe(
      '{ "inherit" = "all", "set" = { "A" = "b" } }',
    );
  });
});
