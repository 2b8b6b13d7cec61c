import {
  createTaskDispatcher,
  type OrchestratorEventInput,
  silentDispatcherLogger,
  type TaskDispatcher,
  type TaskRunner,
} from '@codex-orchestrator/core';
import { afterEach, describe, expect, it } from 'vitest';
import { botSaid, createHarness, type Harness, owner } from './telegram-harness.js';

let harness: Harness | undefined;
let dispatcher: TaskDispatcher | undefined;
afterEach(async () => {
  await dispatcher?.stop({ cancelRunning: true });
  await harness?.close();
  dispatcher = undefined;
  harness = undefined;
});

/** A runner shaped like runOrchestrator's adapter: events, one approval per branch, a report. */
const scriptedRun: TaskRunner = async (task, { signal, emit, approveMerge }) => {
  const branch = `task-${task.text.split(' ')[0]}`;
  const events: OrchestratorEventInput[] = [
    {
      type: 'worktree-create',
      worktree: branch,
      path: `/repo/${branch}`,
      branch,
      base: 'main',
      reused: false,
    },
    { type: 'worker-start', workerRunId: 'r1', worker: 'codex', worktree: branch, prompt: task.text },
    {
      type: 'worker-command-end',
      workerRunId: 'r1',
      worktree: branch,
      itemId: 'i1',
      command: 'npm test',
      exitCode: 0,
      output: 'ok',
    },
  ];
  for (const event of events) emit(event);
  if (task.text.includes('slow')) {
    await new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }));
    throw new Error('cancelled by the user');
  }
  const approved =
    (await approveMerge?.({ branch, commit: 'a1b2c3d4e5f6', worktree: branch, diffStat: ' a.ts | 2 +-' })) ??
    true;
  emit({
    type: 'merge-end',
    branch,
    outcome: approved ? 'merged' : 'refused',
    mainCommit: 'abc',
    durationMs: 3,
  });
  return {
    outcome: 'completed',
    reportMarkdown: `# Report\n- ${branch}: ${approved ? 'merged' : 'not merged'}`,
  };
};

describe('the adapter with the real TaskDispatcher', () => {
  it('runs a Telegram task through approval to a report, and cancels a slow one from the chat', async () => {
    harness = await createHarness({ progressIntervalMs: 100 });
    const { telegram, adapter } = harness;
    dispatcher = createTaskDispatcher({
      sources: [adapter.source],
      sinks: [adapter.sink],
      run: scriptedRun,
      store: 'memory',
      concurrency: 2,
      logger: silentDispatcherLogger,
    });
    adapter.attach(dispatcher);
    await dispatcher.start();

    telegram.sendText(owner, owner, '/task search endpoint');
    const approval = await telegram.waitFor(botSaid(telegram, /Merge approval/));
    const approve = approval.replyMarkup!.inline_keyboard[0]![0]! as { callback_data: string };
    telegram.sendText(owner, owner, '/task slow migration');
    await telegram.waitFor(
      () => dispatcher!.list().filter((entry) => entry.state === 'running').length === 2,
    );
    telegram.sendText(owner, owner, '/status');
    const status = await telegram.waitFor(botSaid(telegram, /^Tasks \(2\)/));
    expect(status.text).toContain('running · “slow migration”');

    telegram.pressButton(owner, owner, approval.messageId, approve.callback_data);
    const report = await telegram.waitFor(botSaid(telegram, /^✅ Task #\d+ completed\n\n# Report/));
    expect(report.text).toContain('- task-search: merged');
    const progress = telegram.messages.find(
      (message) => message.text.startsWith('✅ Task') && message.text.includes('·'),
    );
    expect(progress?.text).toContain('task-search: merged ✓');

    telegram.sendText(owner, owner, '/cancel');
    await telegram.waitFor(botSaid(telegram, /Cancelling task #/));
    const cancelled = await telegram.waitFor(botSaid(telegram, /^🛑 Task #\d+ cancelled/));
    expect(cancelled.text).toContain('cancelled by the user');
    expect(telegram.calls.filter((call) => call.status !== 200)).toEqual([]);
  });
});
