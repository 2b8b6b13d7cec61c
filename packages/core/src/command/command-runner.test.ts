import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { createPolicy } from '@codex-orchestrator/policy';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEntry } from '../audit/audit-log.js';
import { ConfigurationError } from '../errors.js';
import { createEventStream } from '../events/event-stream.js';
import type { OrchestratorEvent } from '../events.js';
import type { CommandHandler, CommandInvocation } from '../types.js';
import { createTestRepository, type TestRepository } from '../worktree/repository.fixture.js';
import { type CommandRunnerOptions, createCommandRunner } from './command-runner.js';
import { createTestPolicy } from './policy.fixture.js';

const fakeKey = 'sk-proj-TESTtestTESTtestTESTtest0123456789';

let repository: TestRepository;
let scratch: string;
let counter = 0;

beforeAll(async () => {
  repository = await createTestRepository();
  await repository.git(['worktree', 'add', '--quiet', '-b', 'task-one', '../task-one']);
  scratch = await mkdtemp(join(tmpdir(), 'runner-scratch-'));
});
afterAll(async () => {
  await repository.cleanup();
  await rm(scratch, { recursive: true, force: true });
});

/** `inheritDryRun`: leave `dryRun` unset, so the runner reads ORCHESTRATOR_DRY_RUN. */
function setup({ inheritDryRun, ...options }: Partial<CommandRunnerOptions> & { inheritDryRun?: true } = {}) {
  counter += 1;
  const auditPath = join(scratch, `audit-${counter}.log`);
  const marker = join(scratch, `marker-${counter}`);
  const events = createEventStream();
  const seen: OrchestratorEvent[] = [];
  events.onAny((event) => void seen.push(event));
  const policy = createTestPolicy();
  const runner = createCommandRunner({
    baseDir: repository.baseDir,
    policy,
    events,
    auditLog: auditPath,
    ...(inheritDryRun ? {} : { dryRun: false }),
    trace: false,
    env: { ...process.env, OPENAI_API_KEY: fakeKey },
    ...options,
  });
  const audit = async () =>
    (await readFile(auditPath, 'utf8'))
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => JSON.parse(line) as AuditEntry);
  return { runner, policy, marker, seen, audit, auditPath };
}

// Gone, or a zombie: killed and only waiting for the container's init to reap it.
async function processGone(pid: number): Promise<boolean> {
  for (let attempt = 0; attempt < 50; attempt++) {
    try {
      process.kill(pid, 0);
      const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
      if (/^\d+ \(.*\) Z/.test(stat)) return true;
    } catch {
      return true;
    }
    await sleep(50);
  }
  return false;
}

describe('createCommandRunner: worktree names', () => {
  it('refuses every bad worktree form before any process starts', async () => {
    const outside = await mkdtemp(join(tmpdir(), 'runner-outside-'));
    await symlink(outside, join(repository.baseDir, 'link-outside'));
    await symlink(repository.mainPath, join(repository.baseDir, 'alias-of-main'));
    await mkdir(join(repository.baseDir, 'plain-folder'), { recursive: true });
    const { runner, policy, marker, seen, audit } = setup();
    const bad: unknown[] = [
      '',
      '.',
      '..',
      '../main',
      'main/..',
      '/etc',
      repository.mainPath,
      'a/b',
      'main\\x',
      'ma\0in',
      '-rf',
      '.git',
      ' main',
      'main ',
      'x'.repeat(101),
      'missing',
      'link-outside',
      'alias-of-main',
      'plain-folder',
      42,
      undefined,
    ];
    for (const worktree of bad) {
      const result = await runner.run({ worktree, command: `touch ${marker}` } as never);
      expect(result.status, String(worktree)).toBe('denied');
      expect(result.ruleId).toMatch(/^worktree\./);
      expect(result.reason).toBeTruthy();
    }
    expect(existsSync(marker)).toBe(false);
    expect(policy.evaluated).toEqual([]);
    expect(seen.filter((event) => event.type === 'command-denied')).toHaveLength(bad.length);
    expect(seen.some((event) => event.type === 'command-start')).toBe(false);
    expect(await audit()).toHaveLength(bad.length);
    await rm(outside, { recursive: true, force: true });
  });

  it('runs in a linked task worktree, with noPushEnv applied', async () => {
    const { runner } = setup();
    const result = await runner.run({
      worktree: 'task-one',
      command: 'git branch --show-current; printenv GIT_CONFIG_COUNT',
    });
    expect(result).toMatchObject({ status: 'ok', exitCode: 0 });
    expect(result.stdout).toMatch(/^task-one\n[1-9]/);
  });

  it('throws a ConfigurationError for a missing or relative baseDir, or a baseDir without main', async () => {
    const previous = process.env.ORCHESTRATOR_BASE_DIR;
    delete process.env.ORCHESTRATOR_BASE_DIR;
    try {
      expect(() => createCommandRunner({ policy: createTestPolicy() })).toThrow(/ORCHESTRATOR_BASE_DIR/);
    } finally {
      if (previous !== undefined) process.env.ORCHESTRATOR_BASE_DIR = previous;
    }
    expect(() => createCommandRunner({ baseDir: 'relative', policy: createTestPolicy() })).toThrow(
      ConfigurationError,
    );
    const { runner, audit } = setup({ baseDir: scratch });
    await expect(runner.run({ worktree: 'main', command: 'true' })).rejects.toThrow(/is not a git worktree/);
    expect(await audit()).toMatchObject([
      { status: 'failed', reason: expect.stringMatching(/is not a git worktree/) },
    ]);
  });
});

describe('createCommandRunner: policy, dry run, audit', () => {
  it('never starts a process for a denied command, and says why', async () => {
    const { runner, marker, seen, audit } = setup();
    const result = await runner.run({ worktree: 'main', command: `touch ${marker} && git push origin main` });
    expect(result).toMatchObject({ status: 'denied', ruleId: 'test.no-push', exitCode: null });
    expect(result.reason).toMatch(/never pushes/);
    expect(existsSync(marker)).toBe(false);
    expect(seen.map((event) => event.type)).toEqual(['command-denied']);
    expect(await audit()).toMatchObject([{ decision: 'deny', status: 'denied', ruleId: 'test.no-push' }]);
  });

  it('refuses a 1 MB command and logs only its head, tail, length and hash', async () => {
    const { runner, marker, audit, auditPath } = setup();
    const command = `touch ${marker} # ${'x'.repeat(1024 * 1024)} end-of-command`;
    const result = await runner.run({ worktree: 'main', command });
    expect(result.status).toBe('denied');
    expect(existsSync(marker)).toBe(false);
    expect((await readFile(auditPath, 'utf8')).length).toBeLessThan(16 * 1024);
    const [logged] = await audit();
    expect(logged?.command.startsWith(`touch ${marker} # xxx`)).toBe(true);
    expect(logged?.command.endsWith('xxx end-of-command')).toBe(true);
    expect(logged?.commandLength).toBe(command.length);
    expect(logged?.commandSha256).toBe(createHash('sha256').update(command).digest('hex'));
  });

  it('checks and logs but executes nothing in dry-run mode', async () => {
    const { runner, marker, seen, audit } = setup({ dryRun: true });
    const result = await runner.run({ worktree: 'main', command: `touch ${marker}` }, { taskId: 't-dry' });
    expect(result).toMatchObject({ status: 'dry-run', exitCode: null, ruleId: 'test.allow' });
    expect(existsSync(marker)).toBe(false);
    expect(seen.map((event) => [event.type, 'dryRun' in event && event.dryRun])).toEqual([
      ['command-start', true],
      ['command-end', true],
    ]);
    expect(await audit()).toMatchObject([
      { status: 'dry-run', dryRun: true, decision: 'allow', taskId: 't-dry' },
    ]);
  });

  it('takes dry-run from ORCHESTRATOR_DRY_RUN=1', async () => {
    process.env.ORCHESTRATOR_DRY_RUN = '1';
    try {
      const { runner, marker } = setup({ inheritDryRun: true });
      expect((await runner.run({ worktree: 'main', command: `touch ${marker}` })).status).toBe('dry-run');
      expect(existsSync(marker)).toBe(false);
    } finally {
      delete process.env.ORCHESTRATOR_DRY_RUN;
    }
  });

  it('writes exactly one valid JSON line per call under 20 concurrent calls, with no secret in it', async () => {
    const { runner, seen, audit, auditPath } = setup({ inheritSecrets: true, sandbox: 'off' });
    const commands = Array.from({ length: 20 }, (_, index) =>
      index % 4 === 0
        ? `echo ${fakeKey}`
        : index % 4 === 1
          ? 'printenv OPENAI_API_KEY'
          : index % 4 === 2
            ? 'DENY'
            : `echo ${index}`,
    );
    const results = await Promise.all(
      commands.map((command) => runner.run({ worktree: 'main', command }, { taskId: 't-20' })),
    );
    expect(results.filter((result) => result.status === 'denied')).toHaveLength(5);
    expect(results[0]?.stdout).toBe('[REDACTED]\n');
    expect(results[1]?.stdout).toBe('[REDACTED]\n');
    const entries = await audit();
    expect(entries).toHaveLength(20);
    expect(new Set(entries.map((entry) => entry.callId)).size).toBe(20);
    for (const entry of entries) {
      expect(entry).toMatchObject({ taskId: 't-20', worktree: 'main', dryRun: false, truncated: false });
      expect(typeof entry.durationMs).toBe('number');
    }
    expect(await readFile(auditPath, 'utf8')).not.toContain(fakeKey);
    expect(JSON.stringify(seen)).not.toContain(fakeKey);
    expect(JSON.stringify(results)).not.toContain(fakeKey);
  });

  it('removes secret env vars from plain commands unless inheritSecrets is set', async () => {
    const { runner } = setup();
    const result = await runner.run({ worktree: 'main', command: 'printenv OPENAI_API_KEY || echo absent' });
    expect(result.stdout).toBe('absent\n');
  });
});

describe('createCommandRunner: execution', () => {
  it('keeps the head and tail of a long output and marks the cut', async () => {
    const { runner, audit } = setup({ maxOutputBytes: 1000 });
    const result = await runner.run({ worktree: 'main', command: 'seq 1 100000; seq 1 3 >&2' });
    expect(result).toMatchObject({ status: 'ok', truncated: true, stderr: '1\n2\n3\n' });
    expect(result.stdout.startsWith('1\n2\n3\n')).toBe(true);
    expect(result.stdout.endsWith('99999\n100000\n')).toBe(true);
    const omitted = /\[\.\.\. (\d+) bytes omitted \.\.\.\]/.exec(result.stdout);
    expect(Number(omitted?.[1])).toBeGreaterThan(500_000);
    expect(Buffer.byteLength(result.stdout)).toBeLessThan(1100);
    expect(await audit()).toMatchObject([{ truncated: true, status: 'ok' }]);
  });

  it('kills the whole process tree on timeout, even a grandchild ignoring SIGTERM', async () => {
    const { runner, seen } = setup({ timeoutMs: 700, killGraceMs: 300, sandbox: 'off' });
    const pidFile = join(scratch, `pid-${counter}`);
    const started = Date.now();
    const result = await runner.run({
      worktree: 'main',
      command: `bash -c 'trap "" TERM; sleep 30 & echo $! > ${pidFile}; wait'`,
    });
    expect(result.status).toBe('timed-out');
    expect(result.reason).toMatch(/process tree was killed/);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(await processGone(Number(await readFile(pidFile, 'utf8')))).toBe(true);
    expect(seen.find((event) => event.type === 'command-end')).toMatchObject({
      timedOut: true,
      cancelled: false,
    });
  });

  // The process layer under the opt-out (host pids, files in /tmp); sandbox.test.ts covers it confined.
  it('kills the whole process tree on abort', async () => {
    const { runner } = setup({ sandbox: 'off' });
    const pidFile = join(scratch, `pid-${counter}`);
    const controller = new AbortController();
    const running = runner.run(
      { worktree: 'main', command: `bash -c 'sleep 30 & echo $! > ${pidFile}; wait'` },
      { signal: controller.signal },
    );
    while (!existsSync(pidFile)) await sleep(20);
    const aborted = Date.now();
    controller.abort();
    const result = await running;
    expect(result.status).toBe('cancelled');
    expect(Date.now() - aborted).toBeLessThan(3000);
    expect(await processGone(Number(await readFile(pidFile, 'utf8')))).toBe(true);
  });

  it('does not wait for background jobs, and kills them when the command ends', async () => {
    const { runner } = setup({ sandbox: 'off' });
    const pidFile = join(scratch, `pid-${counter}`);
    const started = Date.now();
    const result = await runner.run({
      worktree: 'main',
      command: `sleep 30 & echo $! > ${pidFile}; echo done`,
    });
    expect(result).toMatchObject({ status: 'ok', stdout: 'done\n' });
    expect(Date.now() - started).toBeLessThan(5000);
    expect(await processGone(Number(await readFile(pidFile, 'utf8')))).toBe(true);
  });

  it('reports a failing command with its exit code and stderr', async () => {
    const { runner } = setup();
    const result = await runner.run({ worktree: 'main', command: 'echo oops >&2; exit 3' });
    expect(result).toMatchObject({ status: 'failed', exitCode: 3, stderr: 'oops\n' });
  });

  it('writes one readable trace line per call', async () => {
    const lines: string[] = [];
    const { runner } = setup({ trace: (line) => lines.push(line) });
    await runner.run({ worktree: 'main', command: 'echo "a\nb"' }, { taskId: 't1' });
    await runner.run({ worktree: 'main', command: 'git push' });
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(
      /^\[run_repo_command\] ok exit=0 \d+ms task="t1" worktree="main" rule=test\.allow command="echo \\"a\\nb\\""$/,
    );
    expect(lines[1]).toMatch(
      /^\[run_repo_command\] denied exit=- \d+ms worktree="main" rule=test\.no-push command="git push" reason=".+"$/,
    );
  });
});

describe('createCommandRunner: handlers', () => {
  const calls: CommandInvocation[] = [];
  const fakeHandler: CommandHandler = {
    name: 'fake',
    matches: (invocation) => invocation.argv[0] === 'fake-tool',
    async run(invocation, { emit }) {
      calls.push(invocation);
      if (invocation.argv[1] === 'explode') throw new Error('handler exploded');
      emit({
        type: 'worker-warning',
        workerRunId: 'w1',
        worktree: invocation.worktree,
        message: `saw ${fakeKey}`,
      });
      return {
        status: 'ok',
        exitCode: 0,
        stdout: `${'x'.repeat(5000)} ${fakeKey}`,
        stderr: '',
        truncated: false,
        durationMs: 1,
        details: { a: 1 },
      };
    },
  };

  it('routes a single simple command to the matching handler, redacting and capping its output', async () => {
    const { runner, seen, audit, marker } = setup({ handlers: [fakeHandler], maxOutputBytes: 1000 });
    const result = await runner.run(
      { worktree: 'task-one', command: `fake-tool run ${marker}` },
      { taskId: 't-h' },
    );
    expect(result).toMatchObject({ status: 'ok', handler: 'fake', truncated: true, details: { a: 1 } });
    expect(result.stdout).not.toContain(fakeKey);
    expect(calls.at(-1)).toMatchObject({
      worktree: 'task-one',
      cwd: join(repository.baseDir, 'task-one'),
      argv: ['fake-tool', 'run', marker],
      command: `fake-tool run ${marker}`,
      context: { baseDir: repository.baseDir, taskId: 't-h' },
    });
    expect(seen.find((event) => event.type === 'worker-warning')).toMatchObject({
      taskId: 't-h',
      message: 'saw [REDACTED]',
    });
    expect(await audit()).toMatchObject([{ handler: 'fake', status: 'ok' }]);
  });

  it('refuses a handler command chained with others, which bash would otherwise run past the handler', async () => {
    const { runner, marker } = setup({ handlers: [fakeHandler] });
    const before = calls.length;
    for (const command of [`touch ${marker} && fake-tool run`, `fake-tool run; touch ${marker}`]) {
      const result = await runner.run({ worktree: 'main', command });
      expect(result).toMatchObject({ status: 'denied', ruleId: 'command.handler-alone' });
      expect(result.reason).toMatch(
        /`fake-tool run` must be sent as a run_repo_command call of its own.*fake handler/,
      );
    }
    expect(calls.length).toBe(before);
    expect(existsSync(marker)).toBe(false);
    // Scripts without a handler command still run through bash.
    expect(await runner.run({ worktree: 'main', command: 'true && echo ok' })).toMatchObject({
      status: 'ok',
      stdout: 'ok\n',
    });
  });

  it('turns a handler failure into a failed result with the reason', async () => {
    const { runner, seen } = setup({ handlers: [fakeHandler] });
    const result = await runner.run({ worktree: 'main', command: 'fake-tool explode' });
    expect(result).toMatchObject({
      status: 'failed',
      handler: 'fake',
      reason: 'the fake handler failed: handler exploded',
    });
    // The event stream carries the same outcome, so reports can say why a handled command failed.
    expect(seen.find((event) => event.type === 'command-end')).toMatchObject({
      status: 'failed',
      handler: 'fake',
      reason: 'the fake handler failed: handler exploded',
    });
  });
});

describe('createCommandRunner: with the real policy', () => {
  it('denies git push hidden after an allowed command, starting nothing, and runs git status', async () => {
    const policy = createPolicy();
    const { runner, marker, audit } = setup({ policy });
    const command = `git status && touch ${marker} && git push origin main`;
    const expected = policy.evaluate(command, { worktree: 'main' });
    expect(expected.decision).toBe('deny');
    const denied = await runner.run({ worktree: 'main', command });
    expect(denied).toMatchObject({ status: 'denied', reason: expected.reason, exitCode: null });
    expect(denied.ruleId).toBe(expected.ruleId);
    expect(existsSync(marker)).toBe(false);
    const status = await runner.run({ worktree: 'main', command: 'git status --short --branch' });
    expect(status).toMatchObject({ status: 'ok', stdout: expect.stringMatching(/^## main/) });
    expect((await audit()).map((entry) => entry.decision)).toEqual(['deny', 'allow']);
  });
});
