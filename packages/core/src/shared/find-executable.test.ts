import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findExecutable } from './find-executable.js';

describe('findExecutable', () => {
  let root: string;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'find-executable-'));
    for (const folder of ['plain', 'exec', 'shim', 'dir']) await mkdir(join(root, folder));
    await writeFile(join(root, 'plain', 'tool'), '#!/bin/sh\n');
    await writeFile(join(root, 'exec', 'tool'), '#!/bin/sh\n');
    await chmod(join(root, 'exec', 'tool'), 0o755);
    await writeFile(join(root, 'shim', 'tool'), '#!/bin/sh\n');
    await chmod(join(root, 'shim', 'tool'), 0o755);
    await mkdir(join(root, 'dir', 'tool'));
  });
  afterAll(() => rm(root, { recursive: true, force: true }));

  it('finds the first executable file, skipping files without the executable bit and directories', () => {
    const path = [join(root, 'dir'), join(root, 'plain'), join(root, 'exec')].join(delimiter);
    expect(findExecutable('tool', { path })).toBe(join(root, 'exec', 'tool'));
    expect(findExecutable('tool', { path: join(root, 'plain') })).toBeUndefined();
  });

  it('leaves out skipped directories and never reads an empty entry as the current directory', () => {
    const path = [join(root, 'shim'), join(root, 'exec')].join(delimiter);
    expect(findExecutable('tool', { path, skipDirectory: (directory) => directory.endsWith('shim') })).toBe(
      join(root, 'exec', 'tool'),
    );
    const cwd = process.cwd();
    process.chdir(join(root, 'exec'));
    try {
      expect(findExecutable('tool', { path: `${delimiter}${join(root, 'plain')}` })).toBeUndefined();
      expect(findExecutable('tool', { path: '' })).toBeUndefined();
    } finally {
      process.chdir(cwd);
    }
  });
});
