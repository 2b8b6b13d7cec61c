import type { MergeApprovalRequest, Task } from '@codex-orchestrator/core';
import { Bot } from 'grammy';
import { afterEach, describe, expect, it } from 'vitest';
import {
  botSaid,
  createFakeControl,
  createHarness,
  group,
  type Harness,
  owner,
  stranger,
} from '../test/telegram-harness.js';

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

const request = (branch = 'task-users-search', signal?: AbortSignal): MergeApprovalRequest => ({
  branch,
  commit: 'a1b2c3d4e5f6',
  worktree: branch,
  diffStat: ' src/search.ts | 12 ++++++\n 1 file changed, 12 insertions(+)',
  review: { verdict: 'approve', summary: 'Small, tested change.' },
  ...(signal === undefined ? {} : { signal }),
});

async function taskAndApproval(chat = owner, branch = 'task-users-search', signal?: AbortSignal) {
  const active = harness!;
  active.telegram.sendText(owner, chat, '/task build search');
  const task = await active.nextTask();
  const decision = active.adapter.sink.approveMerge!(task, request(branch, signal));
  const message = await active.telegram.waitFor(botSaid(active.telegram, new RegExp(`Branch: ${branch}`)));
  const buttons = message.replyMarkup!.inline_keyboard.flat() as { text: string; callback_data: string }[];
  const data = (label: RegExp) => buttons.find((button) => label.test(button.text))!.callback_data;
  return { task, decision, message, buttons, data };
}

describe('merge approvals through inline buttons', () => {
  it('resolves true on approve, edits the message and removes the keyboard', async () => {
    harness = await createHarness();
    const { telegram } = harness;
    const { decision, message, buttons, data } = await taskAndApproval();
    expect(buttons.map((button) => button.text)).toEqual(['✅ Approve merge', '❌ Reject', '🛑 Cancel task']);
    for (const button of buttons) expect(Buffer.byteLength(button.callback_data)).toBeLessThanOrEqual(64);
    expect(message.text).toContain('Review: approve: Small, tested change.');
    telegram.pressButton(owner, owner, message.messageId, data(/Approve/));
    await expect(decision).resolves.toBe(true);
    await telegram.waitFor(() => message.text.includes('✅ Approved by'));
    expect(message.replyMarkup).toBeUndefined();
    expect(telegram.callbackAnswers.at(-1)).toMatchObject({ text: 'Merge approved', showAlert: false });
  });

  it('resolves false on reject', async () => {
    harness = await createHarness();
    const { telegram } = harness;
    const { decision, message, data } = await taskAndApproval();
    const reject = data(/Reject/);
    telegram.pressButton(owner, owner, message.messageId, reject);
    await expect(decision).resolves.toBe(false);
    await telegram.waitFor(() => message.text.includes('❌ Rejected by'));
    expect(telegram.callbackAnswers.at(-1)?.text).toBe('Merge rejected');
  });

  it('cancels the task through the attached control', async () => {
    harness = await createHarness();
    const control = createFakeControl();
    harness.adapter.attach(control);
    const { telegram } = harness;
    const { task, decision, message, data } = await taskAndApproval();
    control.add(task, 'running');
    telegram.pressButton(owner, owner, message.messageId, data(/Cancel/));
    await expect(decision).resolves.toBe(false);
    expect(control.cancelled).toEqual([task.id]);
    await telegram.waitFor(() => message.text.includes('🛑 Task cancelled by'));
  });

  it("refuses a stranger's press with an alert and keeps waiting for an allowed user", async () => {
    harness = await createHarness({ allowedChatIds: [group] });
    const { telegram } = harness;
    const { decision, message, data } = await taskAndApproval(group);
    let settled = false;
    void decision.then(() => {
      settled = true;
    });
    telegram.pressButton(stranger, group, message.messageId, data(/Approve/));
    await telegram.waitFor(() => telegram.callbackAnswers.length === 1);
    expect(telegram.callbackAnswers[0]).toEqual(expect.objectContaining({ showAlert: true }));
    expect(harness.logs.some((line) => line.details?.['userId'] === stranger)).toBe(true);
    expect(settled).toBe(false);
    expect(message.replyMarkup).toBeDefined();
    telegram.pressButton(owner, group, message.messageId, data(/Reject/));
    await expect(decision).resolves.toBe(false);
  });

  it('removes the keyboard when the run aborts, and when the adapter stops', async () => {
    harness = await createHarness();
    const controller = new AbortController();
    const first = await taskAndApproval(owner, 'task-one', controller.signal);
    controller.abort();
    await expect(first.decision).rejects.toMatchObject({ code: 'telegram-approval-withdrawn' });
    await harness.telegram.waitFor(() => first.message.replyMarkup === undefined);
    expect(first.message.text).toContain('Withdrawn');
    const second = await taskAndApproval(owner, 'task-two');
    const outcome = second.decision.catch((error: unknown) => error);
    await harness.adapter.stop();
    expect(await outcome).toMatchObject({ code: 'telegram-adapter-stopped' });
    expect(second.message.replyMarkup).toBeUndefined();
  });

  it('counts an unanswered approval as rejected after approvalTimeoutMs, and attaches a long diff stat', async () => {
    harness = await createHarness({ approvalTimeoutMs: 300 });
    const { telegram } = harness;
    telegram.sendText(owner, owner, '/task big change');
    const task = await harness.nextTask();
    const diffStat = Array.from({ length: 200 }, (_, index) => ` src/file-${index}.ts | 3 ++-`).join('\n');
    const decision = harness.adapter.sink.approveMerge!(task, {
      branch: 'task-big',
      commit: 'a1b2c3d4e5f6',
      worktree: 'task-big',
      diffStat,
    });
    await expect(decision).resolves.toBe(false);
    const message = await telegram.waitFor(botSaid(telegram, /No answer within 300 ms: not merged/));
    expect(message.text.length).toBeLessThanOrEqual(4096);
    expect(message.replyMarkup).toBeUndefined();
    expect(telegram.documents[0]).toMatchObject({ fileName: 'diffstat-task-big.txt' });
    expect(telegram.documents[0]!.content.toString('utf8')).toBe(diffStat);
  });

  it('answers a press of a keyboard left from before a restart and removes it', async () => {
    harness = await createHarness();
    const { telegram } = harness;
    telegram.sendText(owner, owner, 'hello');
    const earlier = new Bot(telegram.token, { client: { apiRoot: telegram.apiRoot } });
    const stale = await earlier.api.sendMessage(owner, 'Merge approval from an earlier process', {
      reply_markup: { inline_keyboard: [[{ text: 'Approve', callback_data: 'm:AAAAAAAA:a' }]] },
    });
    telegram.pressButton(owner, owner, stale.message_id, 'm:AAAAAAAA:a');
    await telegram.waitFor(() =>
      telegram.messages.find((message) => message.messageId === stale.message_id && !message.replyMarkup),
    );
    expect(telegram.callbackAnswers.at(-1)?.text).toBe('This approval is no longer pending.');
  });

  it('refuses to route approvals of tasks that did not come from Telegram', async () => {
    harness = await createHarness();
    const foreign: Task = { id: 'cli-1', text: 'x', source: 'cli' };
    await expect(harness.adapter.sink.approveMerge!(foreign, request())).rejects.toMatchObject({
      code: 'telegram-approval-unroutable',
    });
  });
});
