/**
 * `npx orchestrator` in a fresh clone must run this repository's CLI, never a registry package of
 * the same name: npm links workspace bins at `npm ci` time, before any build, so each bin must be a
 * committed file (a launcher that loads dist/), and an unbuilt package must not pack.
 */
import { execFile } from 'node:child_process';
import { mkdir, readFile, realpath, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { tempDir } from './cli-harness.js';

const execFileAsync = promisify(execFile);
const root = fileURLToPath(new URL('../../..', import.meta.url));

const binPackages = [
  { folder: 'packages/adapter-cli', name: 'orchestrator', dist: 'dist/bin.js' },
  { folder: 'packages/policy', name: 'orchestrator-policy', dist: 'dist/cli.js' },
];

describe('workspace bins', () => {
  it.each(binPackages)('$name is a committed launcher, linked into node_modules/.bin', async (entry) => {
    const manifest = JSON.parse(await readFile(join(root, entry.folder, 'package.json'), 'utf8')) as {
      bin: Record<string, string>;
      files: string[];
    };
    const binPath = manifest.bin[entry.name] as string;
    expect(binPath.startsWith('./dist/')).toBe(false);
    expect(manifest.files).toContain('bin');
    const tracked = await execFileAsync('git', ['ls-files', '--error-unmatch', join(entry.folder, binPath)], {
      cwd: root,
    });
    expect(tracked.stdout.trim()).toBe(join(entry.folder, binPath.replace(/^\.\//, '')));
    const text = await readFile(join(root, entry.folder, binPath), 'utf8');
    expect(text.startsWith('#!/usr/bin/env node\n')).toBe(true);
    expect(text).toContain(`../${entry.dist}`);
    expect(await realpath(join(root, 'node_modules', '.bin', entry.name))).toBe(
      await realpath(join(root, entry.folder, binPath)),
    );
  });

  it('the launcher runs the built CLI', async () => {
    const result = await execFileAsync(process.execPath, [
      join(root, 'node_modules', '.bin', 'orchestrator'),
      '--version',
    ]);
    expect(result.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });
});

describe('prepack guard', () => {
  it('refuses to pack a package whose dist entry points are missing, and passes a built one', async () => {
    const folder = await tempDir('prepack-');
    try {
      await writeFile(
        join(folder.path, 'package.json'),
        JSON.stringify({
          name: 'unbuilt',
          exports: { '.': { types: './dist/index.d.ts', default: './dist/index.js' } },
        }),
      );
      const guard = join(root, 'scripts', 'check-built.mjs');
      const refused = await execFileAsync(process.execPath, [guard], { cwd: folder.path }).then(
        () => ({ code: 0, stderr: '' }),
        (error: { code: number; stderr: string }) => error,
      );
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain('unbuilt is not built (./dist/index.d.ts, ./dist/index.js missing)');
      await mkdir(join(folder.path, 'dist'));
      await writeFile(join(folder.path, 'dist', 'index.js'), '');
      await writeFile(join(folder.path, 'dist', 'index.d.ts'), '');
      await execFileAsync(process.execPath, [guard], { cwd: folder.path });
    } finally {
      await folder.remove();
    }
  });

  it.each(['packages/core', 'packages/policy', 'packages/adapter-cli', 'packages/adapter-telegram'])(
    '%s runs the guard before packing',
    async (folder) => {
      const manifest = JSON.parse(await readFile(join(root, folder, 'package.json'), 'utf8')) as {
        scripts: Record<string, string>;
      };
      expect(manifest.scripts.prepack).toBe('node ../../scripts/check-built.mjs');
    },
  );
});
