import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createOrchestratorService,
  createSqliteStore,
  type OrchestratorService,
  type ProjectTaskRunner,
  parseServiceConfig,
} from '@codex-orchestrator/core/service';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { botSaid, owner } from '../test/telegram-harness.js';
import { createTelegramAdapter, type TelegramAdapter } from './index.js';
import { createFakeBotApi, type FakeBotApi } from './testing/index.js';

let folder: string;
let telegram: FakeBotApi;
const running: { service: OrchestratorService; bot: TelegramAdapter }[] = [];

beforeEach(async () => {
  folder = mkdtempSync(join(tmpdir(), 'telegram-serve-'));
  telegram = await createFakeBotApi();
});
afterEach(async () => {
  for (const { service, bot } of running.splice(0)) {
    await bot.stop();
    await service.stop({ graceMs: 0 });
  }
  await telegram.close();
  rmSync(folder, { recursive: true, force: true });
});

const config = (approval: 'none' | 'required') =>
  parseServiceConfig(
    JSON.stringify({
      projects: {
        shop: { description: 'the web shop', baseDir: '/srv/shop', approval },
        billing: { description: 'invoices', baseDir: '/srv/billing' },
      },
    }),
    join(folder, 'serve.json'),
  );

/** A service on a SQLite store in `folder` with a bot on the fake Bot API, as `serve` wires them. */
async function serve(approval: 'none' | 'required', runTask: ProjectTaskRunner) {
  const bot = createTelegramAdapter({
    token: telegram.token,
    apiRoot: telegram.apiRoot,
    allowedUserIds: [owner],
    progressIntervalMs: 100,
    pollingTimeoutSeconds: 1,
    logger: { info: () => undefined, warn: () => undefined, error: () => undefined },
    env: {},
  });
  const service = createOrchestratorService({
    config: config(approval),
    store: await createSqliteStore({ path: join(folder, 'store.db') }),
    log: () => undefined,
    sources: [bot.source],
    sinks: [bot.sink],
    notifyApproval: (request) => bot.notifyApproval(request),
    askProject: (task, question) => bot.askProject(task, question),
    runTask,
  });
  bot.attachService(service);
  await service.start();
  const entry = { service, bot };
  running.push(entry);
  return entry;
}

async function shutDown(entry: { service: OrchestratorService; bot: TelegramAdapter }) {
  running.splice(running.indexOf(entry), 1);
  await entry.bot.stop();
  await entry.service.stop({ graceMs: 0 });
}

describe('Telegram under orchestrator serve', () => {
  it('a task naming its project runs there; its report comes back to the chat', async () => {
    const ran: string[] = [];
    await serve('none', async ({ task, project }) => {
      ran.push(`${project.name}: ${task.text}`);
      return { outcome: 'completed', reportMarkdown: '# Report\nall merged' };
    });
    telegram.sendText(owner, owner, '/task billing: round the VAT');
    await telegram.waitFor(botSaid(telegram, /all merged/), 15_000);
    expect(ran).toEqual(['billing: round the VAT']);
  });

  it('asks back in the chat when it cannot choose a project, and runs the task in the one tapped', async () => {
    const ran: string[] = [];
    await serve('none', async ({ task, project }) => {
      ran.push(`${project.name}: ${task.text}`);
      return { outcome: 'completed', reportMarkdown: 'done' };
    });
    const update = telegram.sendText(owner, owner, '/task make it faster');
    const question = await telegram.waitFor(botSaid(telegram, /Which project: shop or billing\?/), 15_000);
    expect(question.replyToMessageId).toBe(update.message?.message_id);
    expect(ran).toEqual([]);
    const buttons = question.replyMarkup?.inline_keyboard.flat().map((button) => button.text);
    expect(buttons).toEqual(['shop', 'billing']);
    telegram.pressButton(owner, owner, question.messageId, `p:${update.message?.message_id}:shop`);
    await telegram.waitFor(() => ran.length === 1, 15_000);
    expect(ran).toEqual(['shop: make it faster']);
    await telegram.waitFor(() => /chose shop/.test(question.text), 5_000);
    expect(question.replyMarkup).toBeUndefined();
  });

  it('approval buttons sent before a restart still decide the merge after it, exactly once', async () => {
    let merged = 0;
    let asked = 0;
    const runTask: ProjectTaskRunner = async ({ approveMerge, signal }) => {
      asked++;
      const approved = await approveMerge?.({
        branch: 'task-search',
        commit: 'c0ffee1234567890',
        worktree: 'task-search',
        diffStat: ' search.js | 12 ++++',
        signal,
      });
      if (approved) merged++;
      return { outcome: approved ? 'completed' : 'nothing-merged', reportMarkdown: 'report' };
    };
    const first = await serve('required', runTask);
    telegram.sendText(owner, owner, '/task shop: add search');
    const message = await telegram.waitFor(
      botSaid(telegram, /Merge approval · task #\d+ · project shop/),
      15_000,
    );
    expect(message.text).toContain('task-search at c0ffee123456');
    const approve = (message.replyMarkup?.inline_keyboard[0]?.[0] as { callback_data?: string } | undefined)
      ?.callback_data as string;
    expect(approve).toMatch(/^d:a:approval-[0-9a-f]{20}$/);

    // The service goes away with the merge waiting; a new process takes over the same store.
    await shutDown(first);
    await serve('required', runTask);
    await telegram.waitFor(() => asked === 2, 15_000);
    // The resumed run waits on the same durable approval: no second question was sent.
    expect(telegram.messages.filter((sent) => /Merge approval/.test(sent.text))).toHaveLength(1);

    telegram.pressButton(owner, owner, message.messageId, approve);
    await telegram.waitFor(() => merged === 1, 15_000);
    await telegram.waitFor(() => /Approved by/.test(message.text), 5_000);
    expect(message.replyMarkup).toBeUndefined();
    expect(merged).toBe(1);
  });

  it('a second press, or a press after the API decided, changes nothing', async () => {
    let merged = 0;
    const { service } = await serve('required', async ({ approveMerge, signal }) => {
      if (
        await approveMerge?.({
          branch: 'task-a',
          commit: 'abc1234',
          worktree: 'task-a',
          diffStat: '',
          signal,
        })
      )
        merged++;
      return { outcome: 'completed' };
    });
    telegram.sendText(owner, owner, '/task shop: add a');
    const message = await telegram.waitFor(botSaid(telegram, /Merge approval/), 15_000);
    const [approve, reject] = (message.replyMarkup?.inline_keyboard[0] ?? []).map(
      (button) => (button as { callback_data: string }).callback_data,
    );
    const [pending] = await service.store.listApprovals({ state: 'pending' });
    expect(pending?.id).toBe(approve?.slice(4));
    await service.control.decide(pending?.id as string, { approve: false, commit: 'abc1234', by: 'api' });
    telegram.pressButton(owner, owner, message.messageId, approve as string);
    await telegram.waitFor(() => telegram.callbackAnswers.length === 1, 5_000);
    expect(telegram.callbackAnswers[0]?.text).toBe('This approval is already rejected by api.');
    expect(merged).toBe(0);
    expect(reject).toMatch(/^d:r:/);
  });

  it('/status lists the tasks of every project through the service', async () => {
    let release: () => void = () => undefined;
    await serve('none', async () => {
      await new Promise<void>((resolve) => {
        release = resolve;
      });
      return { outcome: 'completed' };
    });
    telegram.sendText(owner, owner, '/task shop: long work');
    await telegram.waitFor(botSaid(telegram, /· running|· queued/), 15_000);
    telegram.sendText(owner, owner, '/status');
    const status = await telegram.waitFor(botSaid(telegram, /^Tasks \(1\):/), 15_000);
    expect(status.text).toContain('long work');
    release();
  });
});
