import { execFile, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { createBaseDir, tempDir } from './cli-harness.js';

const execFileAsync = promisify(execFile);
const packageDir = fileURLToPath(new URL('..', import.meta.url));
const bin = fileURLToPath(new URL('../dist/bin.js', import.meta.url));

/** Runs the built bin as a user would, with a clean environment. */
async function orchestrator(args: string[], env: Record<string, string> = {}) {
  const result = await execFileAsync(process.execPath, [bin, ...args], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', CI: '1', NO_COLOR: '1', ...env },
    timeout: 20_000,
  }).then(
    (done) => ({ code: 0, stdout: done.stdout, stderr: done.stderr }),
    (failed: { code: number; stdout: string; stderr: string }) => ({
      code: failed.code,
      stdout: failed.stdout,
      stderr: failed.stderr,
    }),
  );
  return result;
}

describe('the built bin', () => {
  beforeAll(() => {
    // CI builds before testing; a bare `npx vitest run` in this package builds the bin itself.
    if (!existsSync(bin)) {
      const build = spawnSync('npx', ['tsup', '--no-dts', '--silent'], { cwd: packageDir, stdio: 'inherit' });
      expect(build.status).toBe(0);
    }
  }, 60_000);

  it('keeps its shebang and prints help', async () => {
    const { readFile } = await import('node:fs/promises');
    expect((await readFile(bin, 'utf8')).startsWith('#!/usr/bin/env node\n')).toBe(true);
    const run = await orchestrator(['--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Usage');
    expect(run.stderr).toBe('');
  });

  it('exits 2 with one line for a usage error and for a missing API key', async () => {
    const bad = await orchestrator(['--review', 'maybe', 'x']);
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);

    const base = await tempDir('cli-bin-');
    try {
      await createBaseDir(base.path);
      const noKey = await orchestrator(['add a search endpoint'], { ORCHESTRATOR_BASE_DIR: base.path });
      expect(noKey.code).toBe(2);
      expect(noKey.stderr).toMatch(/^error: OPENAI_API_KEY is not set: export OPENAI_API_KEY=/);
      expect(noKey.stdout).toBe('');
    } finally {
      await base.remove();
    }
  });

  it('reads the task from a pipe', async () => {
    const base = await tempDir('cli-bin-');
    try {
      await createBaseDir(base.path);
      // A blank task on stdin is refused before anything else happens.
      const result = spawnSync(process.execPath, [bin, '-C', base.path], {
        input: '  \n',
        env: { PATH: process.env.PATH ?? '', CI: '1' },
        encoding: 'utf8',
      });
      expect(result.status).toBe(2);
      expect(result.stderr).toContain('No task given');
    } finally {
      await base.remove();
    }
  });
});
