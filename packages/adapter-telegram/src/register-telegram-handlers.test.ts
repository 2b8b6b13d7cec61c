import type { Task } from '@codex-orchestrator/core';
import { afterEach, describe, expect, it } from 'vitest';
import { botSaid, createFakeControl, createHarness, type Harness, owner } from '../test/telegram-harness.js';

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

describe('bot commands', () => {
  it('/status lists running and queued tasks; without a dispatcher it says so', async () => {
    harness = await createHarness();
    const { telegram, adapter } = harness;
    telegram.sendText(owner, owner, '/status');
    await telegram.waitFor(botSaid(telegram, /Status is not available/));
    const control = createFakeControl();
    adapter.attach(control);
    telegram.sendText(owner, owner, '/task first job');
    const first = await harness.nextTask();
    control.add(first, 'running');
    control.add({ id: 'inbox:7', text: 'from the inbox', source: 'inbox' }, 'queued');
    control.add({ id: 'inbox:6', text: 'finished earlier', source: 'inbox' }, 'completed');
    telegram.sendText(owner, owner, '/status');
    const status = await telegram.waitFor(botSaid(telegram, /^Tasks \(2\)/));
    expect(status.text).toBe(
      `Tasks (2):\n• #${first.metadata?.['messageId']} · running · “first job”\n• inbox:7 · queued · “from the inbox”`,
    );
  });

  it('/cancel takes an id, a message number, or defaults to the sender’s latest task', async () => {
    harness = await createHarness();
    const { telegram, adapter } = harness;
    const control = createFakeControl();
    adapter.attach(control);
    const tasks: Task[] = [];
    for (const text of ['one', 'two', 'three']) {
      telegram.sendText(owner, owner, `/task ${text}`);
      tasks.push(await harness.nextTask());
    }
    for (const task of tasks) control.add(task, 'running');
    telegram.sendText(owner, owner, '/cancel');
    await telegram.waitFor(botSaid(telegram, /Cancelling task #/));
    expect(control.cancelled).toEqual([tasks[2]!.id]);
    telegram.sendText(owner, owner, `/cancel ${tasks[0]!.metadata?.['messageId']}`);
    telegram.sendText(owner, owner, `/cancel ${tasks[1]!.id}`);
    telegram.sendText(owner, owner, '/cancel 9999');
    await telegram.waitFor(botSaid(telegram, /No queued or running task #9999/));
    expect(control.cancelled).toEqual([tasks[2]!.id, tasks[0]!.id, tasks[1]!.id]);
    telegram.sendText(owner, owner, '/cancel');
    await telegram.waitFor(botSaid(telegram, /You have no running or queued task/));
  });

  it('answers /cancel at once while a slow task runs and waits for an approval', async () => {
    harness = await createHarness();
    const { telegram, adapter } = harness;
    const control = createFakeControl();
    const running = new Map<string, AbortController>();
    adapter.attach({
      list: () => control.list(),
      cancel: (taskId) => {
        running.get(taskId)?.abort();
        return control.cancel(taskId);
      },
    });
    // A miniature dispatcher: runs each task in the background, as the real one does.
    const runs: Promise<unknown>[] = [];
    const slowRun = async (task: Task, signal: AbortSignal) => {
      for (let step = 0; step < 5 && !signal.aborted; step += 1) {
        adapter.sink.onEvent!(task, {
          type: 'error',
          time: new Date().toISOString(),
          code: 'step',
          message: `step ${step}`,
        });
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      // Waits for a human until the task is cancelled.
      return adapter.sink.approveMerge!(task, {
        branch: 'task-slow',
        commit: 'a1b2c3d4e5f6',
        worktree: 'task-slow',
        diffStat: '',
        signal,
      });
    };
    telegram.sendText(owner, owner, '/task a very slow job');
    const task = await harness.nextTask();
    const controller = new AbortController();
    running.set(task.id, controller);
    control.add(task, 'running');
    runs.push(slowRun(task, controller.signal).catch((error: unknown) => error));
    await telegram.waitFor(botSaid(telegram, /Merge approval/));
    const asked = Date.now();
    telegram.sendText(owner, owner, '/status');
    telegram.sendText(owner, owner, '/cancel');
    await telegram.waitFor(botSaid(telegram, /Cancelling task #/));
    expect(Date.now() - asked).toBeLessThan(1000);
    expect(await runs[0]).toMatchObject({ code: 'telegram-approval-withdrawn' });
  });

  it('/help and unknown commands answer; /task without text shows the usage', async () => {
    harness = await createHarness();
    const { telegram } = harness;
    telegram.sendText(owner, owner, '/help');
    telegram.sendText(owner, owner, '/frobnicate');
    telegram.sendText(owner, owner, '/task   ');
    telegram.sendText(owner, owner, 'plain text while plain text is off');
    await telegram.waitFor(botSaid(telegram, /Send \/task <what to do> to start a task/));
    const texts = telegram.messages.map((message) => message.text.split('\n')[0]);
    expect(texts).toEqual([
      'I hand tasks to codex-orchestrator and report back.',
      'Unknown command. Send /help for the list.',
      'Usage: /task <what to do>, e.g. /task add a --verbose flag to the CLI',
      'Send /task <what to do> to start a task, or /help.',
    ]);
  });
});
