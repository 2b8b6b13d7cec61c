import { afterEach, describe, expect, it } from 'vitest';
import type { OrchestratorEvent, OrchestratorEventInput } from '../events.js';
import { assistantMessage, execCommand } from '../testing/scripted-model-turns.js';
import type { CommandInvocation, Worker, WorkerRequest, WorkerResult } from '../types.js';
import { allocateWorktreePorts } from '../worktree/worktree-ports.js';
import { createCodexCommandHandler } from './codex-command-handler.js';
import { type CodexTestSetup, createCodexTestSetup } from './codex-setup.fixture.js';
import { createCodexWorker } from './codex-worker.js';
import { createGitFixture, type GitFixture } from './git-repository.fixture.js';

/** A worker that records its requests and returns a fixed result: the contract, not a mock. */
class RecordingWorker implements Worker {
  readonly name = 'recording';
  readonly requests: WorkerRequest[] = [];
  constructor(private readonly result: WorkerResult) {}
  async run(request: WorkerRequest, options: { onEvent?: (event: OrchestratorEvent) => void } = {}) {
    this.requests.push(request);
    options.onEvent?.({
      type: 'worker-warning',
      time: 'now',
      workerRunId: 'r',
      worktree: request.worktree,
      message: 'hello',
    });
    return this.result;
  }
}

const baseResult: WorkerResult = {
  status: 'completed',
  finalMessage: 'All done.',
  filesChanged: [{ path: '/repo/task-a/src/a.ts', kind: 'update' }],
  commands: [{ command: "/bin/bash -c 'npm test'", exitCode: 0, status: 'completed' }],
  usage: {
    inputTokens: 10,
    cachedInputTokens: 0,
    outputTokens: 5,
    reasoningOutputTokens: 0,
    totalTokens: 15,
  },
  threadId: 'thread-1',
  exitCode: 0,
  durationMs: 1234,
  errors: [],
};

function invocation(argv: string[], cwd = '/repo/task-a'): CommandInvocation {
  return {
    worktree: 'task-a',
    cwd,
    argv,
    command: argv.join(' '),
    context: { baseDir: '/repo', taskId: 'T9' },
  };
}

const run = (
  handler: ReturnType<typeof createCodexCommandHandler>,
  call: CommandInvocation,
  emitted: unknown[] = [],
) =>
  handler.run(call, {
    signal: new AbortController().signal,
    emit: (event: OrchestratorEventInput) => emitted.push(event),
  });

describe('createCodexCommandHandler', () => {
  it('matches codex exec commands only', () => {
    const handler = createCodexCommandHandler(new RecordingWorker(baseResult));
    expect(handler.matches(invocation(['codex', 'exec', 'x']))).toBe(true);
    expect(handler.matches(invocation(['codex', 'review']))).toBe(false);
    expect(handler.matches(invocation(['git', 'status']))).toBe(false);
  });

  it('runs the worker with the translated request and returns a compact summary', async () => {
    const worker = new RecordingWorker(baseResult);
    const handler = createCodexCommandHandler(worker, { timeoutMs: 5000 });
    const emitted: unknown[] = [];
    const result = await run(
      handler,
      invocation(['codex', 'exec', '--full-auto', '-m', 'gpt-5', 'Add a test']),
      emitted,
    );
    expect(worker.requests).toEqual([
      {
        worktree: 'task-a',
        cwd: '/repo/task-a',
        prompt: 'Add a test',
        model: 'gpt-5',
        timeoutMs: 5000,
        taskId: 'T9',
      },
    ]);
    expect(emitted).toHaveLength(1);
    expect(result).toMatchObject({
      status: 'ok',
      exitCode: 0,
      handler: 'codex',
      details: baseResult,
      truncated: false,
    });
    expect(result.stdout).toBe(
      [
        'codex: completed (exit 0, 1.2 s)',
        'thread: thread-1 (continue with: codex exec resume thread-1 "<next prompt>")',
        'tokens: input 10 (cached 0), output 5 (reasoning 0), total 15',
        'files changed (1):',
        '  update src/a.ts',
        'commands run (1):',
        '  [exit 0] npm test',
        'final message:',
        'All done.',
      ].join('\n'),
    );
  });

  it('passes read-only on, and keeps the summary small whatever the worker produced', async () => {
    const huge: WorkerResult = {
      ...baseResult,
      status: 'sandbox-failure',
      finalMessage: 'm'.repeat(1_000_000),
      commands: Array.from({ length: 5000 }, (_, index) => ({
        command: `step ${index} ${'a'.repeat(1000)}`,
        exitCode: 1,
        status: 'failed',
      })),
      filesChanged: Array.from({ length: 3000 }, (_, index) => ({
        path: `/repo/task-a/f${index}.ts`,
        kind: 'add',
      })),
      errors: Array.from({ length: 20 }, () => 'e'.repeat(10000)),
    };
    const worker = new RecordingWorker(huge);
    const result = await run(
      createCodexCommandHandler(worker),
      invocation(['codex', 'exec', '-s', 'read-only', 'look']),
    );
    expect(worker.requests[0]?.sandbox).toBe('read-only');
    expect(result.status).toBe('failed');
    expect(result.reason).toBe(huge.errors.at(-1));
    expect(result.stdout.length).toBeLessThan(12000);
    expect(result.stdout).toContain('commands run (5000, last 15 shown)');
    expect(result.stdout).toContain('... and 2960 more');
    expect(result.stdout).toContain('characters omitted');
  });

  it('refuses unsupported flags and a -C outside the worktree without running the worker', async () => {
    const worker = new RecordingWorker(baseResult);
    const handler = createCodexCommandHandler(worker);
    const flag = await run(handler, invocation(['codex', 'exec', '--add-dir', '/', 'p']));
    expect(flag).toMatchObject({ status: 'failed', exitCode: null, handler: 'codex' });
    expect(flag.reason).toMatch(/"--add-dir" is not supported/);
    const directory = await run(handler, invocation(['codex', 'exec', '-C', '../main', 'p'], process.cwd()));
    expect(directory.reason).toMatch(/-C "..\/main" is not this worktree/);
    expect(worker.requests).toEqual([]);
    const same = await run(handler, invocation(['codex', 'exec', '-C', '.', 'p'], process.cwd()));
    expect(same.status).toBe('ok');
  });
});

describe('createCodexCommandHandler with the real codex binary', () => {
  let setup: CodexTestSetup | undefined;
  let fixture: GitFixture | undefined;
  afterEach(async () => {
    await setup?.close();
    await fixture?.remove();
  });

  it("gives codex and its commands the worktree's port range", async () => {
    setup = await createCodexTestSetup();
    fixture = await createGitFixture();
    const worktree = await fixture.addWorktree('task-port');
    const ports = await allocateWorktreePorts({ baseDir: fixture.base, worktree: 'task-port', size: 10 });
    setup.server.addScript({
      turns: [
        [execCommand('echo "PORT=$PORT RANGE=$ORCHESTRATOR_PORT_BASE+$ORCHESTRATOR_PORT_COUNT"')],
        (request: { toolOutputs: { output: string }[] }) => [
          assistantMessage(`saw ${request.toolOutputs.at(-1)?.output.trim()}`),
        ],
      ],
    });
    const handler = createCodexCommandHandler(
      createCodexWorker({ codexHome: setup.home.path, env: setup.home.env }),
    );
    const call = {
      ...invocation(['codex', 'exec', '--full-auto', 'print the port'], worktree),
      worktree: 'task-port',
      context: { baseDir: fixture.base },
    };
    const result = await run(handler, call);
    expect(result.status).toBe('ok');
    expect(result.stdout).toContain(`PORT=${ports.base} RANGE=${ports.base}+10`);
  }, 60000);

  it('turns a run whose command prints 10 MB into a summary of a few KB', async () => {
    setup = await createCodexTestSetup();
    fixture = await createGitFixture();
    setup.server.addScript({
      turns: [
        [execCommand('yes "test output line" | head -c 10000000; echo; echo TESTS PASSED')],
        [assistantMessage('Tests pass.')],
      ],
    });
    const handler = createCodexCommandHandler(
      createCodexWorker({ codexHome: setup.home.path, env: setup.home.env }),
    );
    const emitted: OrchestratorEventInput[] = [];
    const call = {
      ...invocation(['codex', 'exec', '--full-auto', 'run the tests'], fixture.main),
      worktree: 'main',
    };
    const result = await run(handler, call, emitted);
    expect(result.status).toBe('ok');
    expect(result.stdout.length).toBeLessThan(2000);
    expect(result.stdout).toContain('final message:\nTests pass.');
    expect(result.stdout).toMatch(/\[exit 0\] yes "test output line"/);
    const end = emitted.find((event) => event.type === 'worker-command-end');
    expect(end?.type === 'worker-command-end' && end.output.length).toBeLessThanOrEqual(4100);
    expect(emitted.at(-1)?.type).toBe('worker-end');
  }, 60000);
});
