import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestRepository, type TestRepository } from '../worktree/repository.fixture.js';
import { formatCommandResult } from './format-command-result.js';
import { createTestPolicy } from './policy.fixture.js';
import { runRepoCommand } from './run-repo-command.js';

let repository: TestRepository;
let scratch: string;

beforeAll(async () => {
  repository = await createTestRepository();
  scratch = await mkdtemp(join(tmpdir(), 'run-repo-command-'));
});
afterAll(async () => {
  await repository.cleanup();
  await rm(scratch, { recursive: true, force: true });
});

describe('runRepoCommand', () => {
  it('runs a command with runner options given in the context', async () => {
    const auditLog = join(scratch, 'audit.log');
    const result = await runRepoCommand(
      { worktree: 'main', command: 'git rev-parse --abbrev-ref HEAD' },
      {
        baseDir: repository.baseDir,
        taskId: 't-fn',
        policy: createTestPolicy(),
        auditLog,
        trace: false,
        dryRun: false,
      },
    );
    expect(result).toMatchObject({ status: 'ok', exitCode: 0, stdout: 'main\n' });
    expect(JSON.parse(await readFile(auditLog, 'utf8'))).toMatchObject({ taskId: 't-fn', status: 'ok' });
  });

  it('returns a denied result, not an exception, for a hostile worktree', async () => {
    const result = await runRepoCommand(
      { worktree: '/etc', command: 'ls' },
      {
        baseDir: repository.baseDir,
        policy: createTestPolicy(),
        auditLog: join(scratch, 'audit2.log'),
        trace: false,
      },
    );
    expect(result).toMatchObject({ status: 'denied', ruleId: 'worktree.invalid-name' });
  });
});

describe('formatCommandResult', () => {
  it('renders a compact text with status, exit code, reason and both streams', () => {
    const text = formatCommandResult({
      status: 'failed',
      exitCode: 1,
      stdout: 'out\n',
      stderr: 'err\n',
      truncated: true,
      durationMs: 1234,
      ruleId: 'npm.test',
    });
    expect(text).toBe(
      'status: failed (exit code 1, 1.2s, rule npm.test)\noutput was cut to its head and tail\nstdout:\nout\nstderr:\nerr',
    );
  });
});
