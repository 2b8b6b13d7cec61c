import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CodexNotFoundError } from './codex-errors.js';
import { resolveCodexBinary } from './resolve-codex-binary.js';

const directories: string[] = [];
afterEach(async () => {
  for (const directory of directories.splice(0)) await rm(directory, { recursive: true, force: true });
});

async function emptyDirectory(): Promise<string> {
  const directory = await mkdtemp(join(tmpdir(), 'resolve-codex-'));
  directories.push(directory);
  return directory;
}

describe('resolveCodexBinary', () => {
  it('finds the @openai/codex package and runs its launcher with the current node', () => {
    const binary = resolveCodexBinary();
    expect(binary.source).toBe('package');
    expect(binary.command).toBe(process.execPath);
    expect(binary.args[0]).toMatch(/@openai[/\\]codex[/\\]bin[/\\]codex\.js$/);
  });

  it('uses an explicit path first, and refuses one that is not an executable file', async () => {
    const directory = await emptyDirectory();
    const executable = join(directory, 'my-codex');
    await writeFile(executable, '#!/bin/sh\n');
    await chmod(executable, 0o755);
    expect(resolveCodexBinary({ codexPath: executable })).toEqual({
      command: executable,
      args: [],
      source: 'option',
      path: executable,
    });
    expect(() => resolveCodexBinary({ codexPath: join(directory, 'missing') })).toThrow(CodexNotFoundError);
  });

  it('falls back to PATH when the package cannot be resolved', async () => {
    const directory = await emptyDirectory();
    const executable = join(directory, 'codex');
    await writeFile(executable, '#!/bin/sh\n');
    await chmod(executable, 0o755);
    const binary = resolveCodexBinary({
      resolveFrom: join(directory, 'x.js'),
      pathEnv: `/nonexistent:${directory}`,
    });
    expect(binary).toMatchObject({ source: 'path', command: executable });
  });

  it('names the install command when codex is nowhere', async () => {
    const directory = await emptyDirectory();
    let caught: unknown;
    try {
      resolveCodexBinary({ resolveFrom: join(directory, 'x.js'), pathEnv: directory });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(CodexNotFoundError);
    expect((caught as CodexNotFoundError).code).toBe('codex-not-found');
    expect((caught as CodexNotFoundError).kind).toBe('user');
    expect((caught as Error).message).toMatch(/npm install -D @openai\/codex/);
    expect((caught as Error).message).toContain(directory);
  });
});
