import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { promisify } from 'node:util';
import { type CliIo, runCli } from '../src/index.js';

const execFileAsync = promisify(execFile);

/** Output of one in-process `runCli` call. */
export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** A stream collecting what was written. */
export function collector(isTTY = false) {
  let text = '';
  return {
    isTTY,
    columns: 120,
    write(chunk: string) {
      text += chunk;
      return true;
    },
    get text() {
      return text;
    },
  };
}

/**
 * Runs the CLI in-process with a clean environment (no API key, no base dir, CI set, no colors)
 * unless `env` adds to it.
 */
export async function cli(
  argv: string[],
  options: Partial<Omit<CliIo, 'stdout' | 'stderr'>> & { stdinText?: string } = {},
): Promise<CliRun> {
  const stdout = collector();
  const stderr = collector();
  const { stdinText, env, ...rest } = options;
  const io: Partial<CliIo> = {
    ...rest,
    stdout,
    stderr,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      CI: '1',
      NO_COLOR: '1',
      OPENAI_AGENTS_DISABLE_TRACING: '1',
      ...env,
    },
  };
  if (stdinText !== undefined) {
    io.stdin = Readable.from([stdinText]);
    io.stdinIsPiped = true;
  }
  const code = await runCli(argv, io);
  return { code, stdout: stdout.text, stderr: stderr.text };
}

/** A temp folder, removed by the returned cleanup. */
export async function tempDir(prefix: string): Promise<{ path: string; remove: () => Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), prefix));
  return { path, remove: () => rm(path, { recursive: true, force: true }) };
}

/** A base dir with `main/` as a git repository holding one commit. */
export async function createBaseDir(path: string): Promise<string> {
  const main = join(path, 'main');
  await mkdir(main, { recursive: true });
  const git = (...args: string[]) => execFileAsync('git', args, { cwd: main });
  await git('init', '--quiet', '--initial-branch=main');
  // A local identity: merge commits made during a test must not depend on the machine's git config.
  await git('config', 'user.name', 'CLI test');
  await git('config', 'user.email', 'cli-test@codex-orchestrator.invalid');
  await git('commit', '--quiet', '--allow-empty', '-m', 'init');
  return main;
}
