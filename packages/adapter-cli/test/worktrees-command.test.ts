import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, createBaseDir, tempDir } from './cli-harness.js';

const execFileAsync = promisify(execFile);

describe('orchestrator worktrees', () => {
  let root: { path: string; remove: () => Promise<void> };
  let main: string;
  const git = (cwd: string, ...args: string[]) =>
    execFileAsync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t.invalid', ...args], { cwd });

  beforeAll(async () => {
    root = await tempDir('cli-worktrees-');
    main = await createBaseDir(root.path);
    // task-merged: merged into main, clean → pruned. task-open: has an unmerged commit → kept.
    await git(main, 'worktree', 'add', '-q', '-b', 'task-merged', '../task-merged', 'main');
    await git(main, 'worktree', 'add', '-q', '-b', 'task-open', '../task-open', 'main');
    await git(join(root.path, 'task-open'), 'commit', '-q', '--allow-empty', '-m', 'work in progress');
  });
  afterAll(() => root.remove());

  it('lists the worktrees with their branches', async () => {
    const run = await cli(['worktrees', 'list', '--base-dir', root.path]);
    expect(run.code).toBe(0);
    const lines = run.stdout.trim().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^main\s+[0-9a-f]{7}\s+main\s+\[main\]$/);
    expect(run.stdout).toMatch(/task-open\s+[0-9a-f]{7}\s+task-open/);
  });

  it('lists as JSON Lines with --json', async () => {
    const run = await cli(['worktrees', 'list', '--json'], { env: { ORCHESTRATOR_BASE_DIR: root.path } });
    const worktrees = run.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { name: string; main: boolean });
    expect(worktrees.map((worktree) => worktree.name).sort()).toEqual(['main', 'task-merged', 'task-open']);
  });

  it('prunes merged, clean worktrees and keeps unmerged work', async () => {
    const run = await cli(['worktrees', 'prune', '-C', root.path]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('removed  task-merged (branch merged, nothing uncommitted)');
    expect(run.stdout).toContain('deleted  branch task-merged');
    expect(run.stdout).toMatch(/kept\s+task-open: /);
    expect(existsSync(join(root.path, 'task-merged'))).toBe(false);
    expect(existsSync(join(root.path, 'task-open'))).toBe(true);
    const again = await cli(['worktrees', 'prune', '-C', root.path]);
    expect(again.stdout).not.toContain('removed');
  });

  it('needs an action', async () => {
    const run = await cli(['worktrees', '-C', root.path]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('takes one action, list or prune (got none)');
  });
});
