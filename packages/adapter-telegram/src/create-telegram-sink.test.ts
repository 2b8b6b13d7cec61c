import {
  type OrchestratorEvent,
  type OrchestratorReport,
  renderReportMarkdown,
  type Task,
} from '@codex-orchestrator/core';
import { afterEach, describe, expect, it } from 'vitest';
import { botSaid, createHarness, type Harness, owner } from '../test/telegram-harness.js';

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

const time = () => new Date().toISOString();
const commandEvent = (index: number): OrchestratorEvent => ({
  type: 'worker-command-start',
  time: time(),
  workerRunId: 'run-1',
  worktree: 'task-search',
  itemId: `item-${index}`,
  command: `npm test -- --shard ${index}`,
});
const pause = (milliseconds: number) => new Promise((resolve) => setTimeout(resolve, milliseconds));

async function newTask(text = 'build search'): Promise<Task> {
  harness!.telegram.sendText(owner, owner, `/task ${text}`);
  return harness!.nextTask();
}

describe('the Telegram sink', () => {
  it('edits one progress message in place, throttled, never with unchanged text', async () => {
    harness = await createHarness({ progressIntervalMs: 150 });
    const { telegram, adapter } = harness;
    const task = await newTask();
    const progress = await telegram.waitFor(botSaid(telegram, /queued/));
    const sink = adapter.sink;
    sink.onEvent!(task, {
      type: 'worktree-create',
      time: time(),
      worktree: 'task-search',
      path: '/x/task-search',
      branch: 'task-search',
      base: 'main',
      reused: false,
    });
    for (let index = 0; index < 30; index += 1) {
      sink.onEvent!(task, commandEvent(index));
      sink.onEvent!(task, commandEvent(index)); // the same state twice: must not cause an edit
      sink.onEvent!(task, { type: 'some-future-event', time: time() } as unknown as OrchestratorEvent);
      await pause(20);
    }
    sink.onEvent!(task, {
      type: 'merge-end',
      time: time(),
      branch: 'task-search',
      outcome: 'merged',
      mainCommit: 'abc',
      durationMs: 5,
    });
    await telegram.waitFor(() => progress.text.includes('task-search: merged ✓'), 3000);
    expect(progress.text).toContain('▸ task-search: created');
    expect(progress.text).toContain('$ npm test -- --shard 29');
    const edits = telegram.calls.filter((call) => call.method === 'editMessageText');
    // ~600 ms of events at one edit per 150 ms: far fewer edits than the 91 events.
    expect(edits.length).toBeGreaterThanOrEqual(2);
    expect(edits.length).toBeLessThanOrEqual(7);
    for (let index = 1; index < edits.length; index += 1) {
      expect(edits[index]!.at - edits[index - 1]!.at).toBeGreaterThanOrEqual(130);
    }
    expect(telegram.calls.filter((call) => call.status !== 200)).toEqual([]);
    expect(telegram.messages.filter((message) => message.text.startsWith('⏳'))).toHaveLength(1);
  });

  it('ends with the final state and the report split at 4096 characters on line boundaries', async () => {
    harness = await createHarness();
    const { telegram, adapter } = harness;
    const task = await newTask();
    const progress = await telegram.waitFor(botSaid(telegram, /queued/));
    const lines = Array.from({ length: 120 }, (_, index) => `- step ${index}: ${'detail '.repeat(10)}end`);
    const report = `# Report\n${lines.join('\n')}`;
    await adapter.sink.onTaskEnd!(task, { outcome: 'completed', reportMarkdown: report });
    expect(progress.text).toMatch(/^✅ Task #\d+ · completed/);
    const chunks = telegram.messages
      .slice(telegram.messages.indexOf(progress) + 1)
      .map((message) => message.text);
    expect(chunks.length).toBeGreaterThanOrEqual(3);
    for (const chunk of chunks) expect(chunk.length).toBeLessThanOrEqual(4096);
    expect(chunks.join('\n')).toBe(`✅ Task #${task.metadata?.['messageId']} completed\n\n${report}`);
    expect(chunks.slice(1).every((chunk) => chunk.startsWith('- step '))).toBe(true);
    expect(telegram.documents).toEqual([]);
  });

  it('sends a long report as report.md', async () => {
    harness = await createHarness({ reportDocumentThreshold: 2000 });
    const { telegram, adapter } = harness;
    const task = await newTask();
    const report = `# Report\n${'a line of the diff\n'.repeat(400)}`;
    await adapter.sink.onTaskEnd!(task, { outcome: 'failed', reportMarkdown: report, error: 'tests failed' });
    expect(telegram.documents).toHaveLength(1);
    expect(telegram.documents[0]!.fileName).toBe('report.md');
    expect(telegram.documents[0]!.content.toString('utf8')).toBe(`${report.trim()}\n`);
    expect(
      telegram.messages.some((message) =>
        /❌ Task #\d+ failed: tests failed\nThe report \(401 lines\) is attached/.test(message.text),
      ),
    ).toBe(true);
  });

  it('keeps where things are, the files per branch and the failed commands in the chat when the report is a file', async () => {
    harness = await createHarness({ reportDocumentThreshold: 2000 });
    const { telegram, adapter } = harness;
    const task = await newTask();
    const usage = {
      inputTokens: 0,
      cachedInputTokens: 0,
      outputTokens: 0,
      reasoningOutputTokens: 0,
      totalTokens: 0,
    };
    const report: OrchestratorReport = {
      version: 1,
      runId: 'run-1',
      task: 'build search',
      status: 'partly-merged',
      summary: '',
      model: 'gpt-5',
      baseDir: '/srv/shop',
      startedAt: time(),
      endedAt: time(),
      durationMs: 1000,
      plan: [],
      worktrees: Array.from({ length: 12 }, (_, index) => ({
        name: `task-${index}`,
        path: `/srv/shop/task-${index}`,
        branch: `task-${index}`,
        reused: false,
        removed: false,
      })),
      commands: [
        {
          callId: 'c1',
          time: time(),
          worktree: 'task-1',
          command: 'npm run tests-only',
          decision: 'allow',
          status: 'failed',
          exitCode: 1,
        },
      ],
      codexRuns: [],
      tests: [],
      reviews: [],
      approvals: [],
      merges: [{ branch: 'task-0', outcome: 'merged', mainCommit: 'b' }],
      main: { startCommit: 'a', endCommit: 'b', state: 'merged', repairs: [], restores: [] },
      budget: { exceeded: false },
      usage: {
        orchestrator: usage,
        workers: usage,
        total: usage,
        costUsd: 0,
        unpricedModels: [],
        modelCalls: 1,
      },
      errors: [],
      auditLogPath: '/srv/shop/run_repo_command.log',
      branchFiles: Array.from({ length: 12 }, (_, index) => ({
        branch: `task-${index}`,
        worktree: `task-${index}`,
        files: Array.from({ length: 40 }, (_, file) => `src/module-${file}/${'deep/'.repeat(8)}file.ts`),
      })),
    };
    await adapter.sink.onTaskEnd!(task, {
      outcome: 'partly-merged',
      reportMarkdown: renderReportMarkdown(report),
      report,
    });
    expect(telegram.documents).toHaveLength(1);
    const message = telegram.messages.find((entry) => entry.text.includes('is attached as report.md'));
    expect(message?.text.length).toBeLessThanOrEqual(4096);
    expect(message?.text).toContain('Audit log');
    expect(message?.text).toContain('/srv/shop/run_repo_command.log');
    expect(message?.text).toContain('/srv/shop/main/src/module-0/');
    expect(message?.text).toContain('`task-1` (`/srv/shop/task-1`): `npm run tests-only` → exit 1');
    expect(message?.text).toMatch(/- \(\d+ more\)/);
    // The file carries the whole appendix.
    expect(telegram.documents[0]!.content.toString('utf8')).toContain('/srv/shop/task-11/src/module-39/');
  });

  it('redacts secrets from every message and document', async () => {
    const openAiKey = 'sk-proj-abcdefghijklmnopqrstuvwx0123456789';
    const custom = 'hunter2-custom-secret';
    harness = await createHarness({
      env: { OPENAI_API_KEY: openAiKey },
      secrets: [custom],
      reportDocumentThreshold: 500,
    });
    const { telegram, adapter } = harness;
    const githubToken = `ghp_${'A1b2C3d4'.repeat(5)}`;
    const leaky = `key ${openAiKey} bot ${telegram.token} gh ${githubToken} custom ${custom}`;
    const task = await newTask(leaky);
    adapter.sink.onEvent!(task, {
      type: 'command-start',
      time: time(),
      callId: 'c1',
      worktree: 'main',
      command: `echo ${openAiKey}`,
      dryRun: false,
    });
    await adapter.sink.onTaskEnd!(task, {
      outcome: 'completed',
      reportMarkdown: `${leaky}\n${'x\n'.repeat(400)}`,
    });
    telegram.sendText(owner, owner, `/task ${custom}`);
    await harness.nextTask();
    await telegram.waitFor(
      () => telegram.messages.filter((message) => /queued/.test(message.text)).length === 1,
    );
    const outgoing = [
      ...telegram.calls
        .filter((call) => call.method !== 'getUpdates')
        .map((call) => JSON.stringify(call.payload)),
      ...telegram.documents.map((document) => document.content.toString('utf8')),
      ...telegram.messages.flatMap((message) => message.history),
    ].join('\n');
    expect(telegram.documents).toHaveLength(1);
    for (const secret of [openAiKey, telegram.token, githubToken, custom])
      expect(outgoing).not.toContain(secret);
    expect(outgoing).toContain('[REDACTED]');
  });

  it('closes the queued message of a redelivered task the dispatcher ran before, and ignores late events', async () => {
    harness = await createHarness();
    const { telegram, adapter } = harness;
    const task = await newTask('ran in an earlier process');
    const queued = await telegram.waitFor(botSaid(telegram, /queued/));
    await adapter.source.ack!(task, 'completed');
    expect(queued.text).toMatch(
      /^✅ Task #\d+ · completed\n.*\nHandled before this message was delivered again/,
    );
    const ran = await newTask('ran here');
    adapter.sink.onEvent!(ran, commandEvent(1));
    await adapter.sink.onTaskEnd!(ran, { outcome: 'completed' });
    await adapter.source.ack!(ran, 'completed');
    const count = telegram.messages.length;
    adapter.sink.onEvent!(ran, commandEvent(2));
    await pause(300);
    expect(telegram.messages).toHaveLength(count);
  });

  it('ignores tasks from other sources', async () => {
    harness = await createHarness();
    const foreign: Task = { id: 'cli-1', text: 'x', source: 'cli', metadata: { chatId: owner } };
    harness.adapter.sink.onEvent!(foreign, commandEvent(1));
    await harness.adapter.sink.onTaskEnd!(foreign, { outcome: 'completed', reportMarkdown: 'done' });
    await pause(200);
    expect(harness.telegram.messages).toEqual([]);
  });
});
