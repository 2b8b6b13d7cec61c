import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createPolicy } from '@codex-orchestrator/policy';
import { afterEach, describe, expect, it } from 'vitest';
import type { AuditEntry } from '../audit/audit-log.js';
import { createCommandRunner } from '../command/command-runner.js';
import { createTestPolicy } from '../command/policy.fixture.js';
import { createEventStream } from '../events/event-stream.js';
import type { OrchestratorEvent } from '../events.js';
import { createTestRepository, type TestRepository } from './repository.fixture.js';
import { createWorktreeCommandHandler } from './worktree-command-handler.js';
import { createWorktreeManager } from './worktree-manager.js';

const repositories: TestRepository[] = [];
afterEach(async () => {
  await Promise.all(repositories.splice(0).map((repository) => repository.cleanup()));
});

async function setup(options: { realPolicy?: boolean } = {}) {
  const repository = await createTestRepository({ origin: true });
  repositories.push(repository);
  const events = createEventStream();
  const seen: OrchestratorEvent[] = [];
  events.onAny((event) => void seen.push(event));
  const audit: AuditEntry[] = [];
  const manager = createWorktreeManager({ baseDir: repository.baseDir, events });
  const runner = createCommandRunner({
    baseDir: repository.baseDir,
    policy: options.realPolicy ? createPolicy() : createTestPolicy(),
    handlers: [createWorktreeCommandHandler(manager)],
    events,
    auditLog: { append: async (entry) => void audit.push(entry) },
    trace: false,
    dryRun: false,
  });
  return { repository, runner, seen, audit };
}

describe('createWorktreeCommandHandler', () => {
  it('creates worktrees sent as git worktree add through the manager, idempotently', async () => {
    const { repository, runner, seen, audit } = await setup();
    const first = await runner.run(
      { worktree: 'main', command: 'git worktree add ../task-login' },
      { taskId: 't-w' },
    );
    expect(first).toMatchObject({ status: 'ok', exitCode: 0, handler: 'worktree' });
    expect(first.stdout).toBe(
      `Created worktree task-login at ${join(repository.baseDir, 'task-login')} on new branch task-login from origin/main.\n`,
    );
    const custom = await runner.run({
      worktree: 'main',
      command: 'git worktree add -b feature/x ../task-x main',
    });
    expect(custom.stdout).toContain('on new branch feature/x from main');
    expect(await repository.git(['branch', '--show-current'], 'task-x')).toBe('feature/x');
    const again = await runner.run({ worktree: 'task-x', command: 'git worktree add ../task-login' });
    expect(again).toMatchObject({ status: 'ok', stdout: expect.stringContaining('already exists') });
    expect(seen.find((event) => event.type === 'worktree-create')).toMatchObject({
      worktree: 'task-login',
      taskId: 't-w',
    });
    expect(audit.map((entry) => entry.handler)).toEqual(['worktree', 'worktree', 'worktree']);
  });

  it('refuses paths outside the base dir, non-task names and unsupported options, with the accepted forms', async () => {
    const { repository, runner } = await setup();
    for (const command of [
      'git worktree add /tmp/task-evil',
      'git worktree add ../../task-evil',
      'git worktree add ../scratch',
      'git worktree add --force ../task-f',
      'git worktree add -B main ../task-b',
      'git worktree add ../task-a main extra',
      'git worktree add ../task-Not_A_Slug',
      'git worktree remove ../main',
    ]) {
      const result = await runner.run({ worktree: 'main', command });
      expect(result.status, command).toBe('failed');
      expect(result.reason, command).toMatch(
        /use `git worktree add \[-b <branch>\] \.\.\/task-<name> \[<base>\]`/,
      );
    }
    expect(existsSync(join(repository.baseDir, 'task-f'))).toBe(false);
    expect(existsSync(join(repository.baseDir, 'scratch'))).toBe(false);
  });

  it('removes with git worktree remove, refusing uncommitted work unless --force', async () => {
    const { repository, runner } = await setup();
    await runner.run({ worktree: 'main', command: 'git worktree add ../task-tmp' });
    await writeFile(join(repository.baseDir, 'task-tmp', 'new.txt'), 'x\n');
    const refused = await runner.run({ worktree: 'main', command: 'git worktree remove ../task-tmp' });
    expect(refused).toMatchObject({ status: 'failed', reason: expect.stringMatching(/uncommitted changes/) });
    const removed = await runner.run({
      worktree: 'main',
      command: 'git worktree remove --force ../task-tmp',
    });
    expect(removed).toMatchObject({
      status: 'ok',
      stdout: expect.stringMatching(/^Removed worktree task-tmp/),
    });
    expect(existsSync(join(repository.baseDir, 'task-tmp'))).toBe(false);
  });

  it('leaves other git worktree subcommands to bash', async () => {
    const { runner } = await setup();
    const result = await runner.run({ worktree: 'main', command: 'git worktree list' });
    expect(result).toMatchObject({ status: 'ok', stdout: expect.stringContaining('[main]') });
    expect(result.handler).toBeUndefined();
  });

  it('receives the git worktree add the model sends in main through the real policy', async () => {
    const { repository, runner } = await setup({ realPolicy: true });
    const result = await runner.run({
      worktree: 'main',
      command: 'git worktree add ../task-search origin/main',
    });
    expect(result).toMatchObject({ status: 'ok', handler: 'worktree' });
    expect(await repository.git(['rev-parse', 'HEAD'], 'task-search')).toBe(
      await repository.git(['rev-parse', 'origin/main']),
    );
  });
});
