import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { readTask } from './read-task.js';

describe('readTask', () => {
  it('joins the words of the command line', async () => {
    expect(await readTask({ positionals: ['add', 'a', 'search'], cwd: '/' })).toBe('add a search');
  });

  it('reads stdin for "-" or when piped with no words', async () => {
    const stdin = () => Readable.from(['  add search\n', 'with tests\n']);
    expect(await readTask({ positionals: ['-'], stdin: stdin(), cwd: '/' })).toBe('add search\nwith tests');
    expect(await readTask({ positionals: [], stdin: stdin(), stdinIsPiped: true, cwd: '/' })).toBe(
      'add search\nwith tests',
    );
  });

  it('reads --task-file relative to cwd, and refuses two sources', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cli-task-'));
    try {
      await writeFile(join(dir, 'task.md'), '# Add search\n');
      expect(await readTask({ positionals: [], taskFile: 'task.md', cwd: dir })).toBe('# Add search');
      await expect(readTask({ positionals: ['x'], taskFile: 'task.md', cwd: dir })).rejects.toThrow(
        'not both',
      );
      await expect(readTask({ positionals: [], taskFile: 'missing.md', cwd: dir })).rejects.toThrow(
        `Task file ${join(dir, 'missing.md')} cannot be read (ENOENT)`,
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('does not wait for stdin that is a terminal or /dev/null', async () => {
    await expect(
      readTask({ positionals: [], stdinIsPiped: false, stdin: Readable.from([]), cwd: '/' }),
    ).rejects.toThrow('No task given');
  });
});
