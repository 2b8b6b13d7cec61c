import { ConfigurationError } from '@codex-orchestrator/core';
import { afterEach, describe, expect, it } from 'vitest';
import { botSaid, createHarness, group, type Harness, owner, stranger } from '../test/telegram-harness.js';
import { createTelegramAdapter } from './create-telegram-adapter.js';
import { createFakeBotApi } from './testing/index.js';

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

describe('createTelegramAdapter: intake and security', () => {
  it('turns /task from an allowlisted user into a task with chat metadata and a queued message', async () => {
    harness = await createHarness();
    const { telegram } = harness;
    const update = telegram.sendText(owner, owner, '/task add a --verbose flag');
    const task = await harness.nextTask();
    const messageId = update.message!.message_id;
    expect(task).toEqual({
      id: `telegram:${owner}:${messageId}`,
      text: 'add a --verbose flag',
      source: 'telegram',
      metadata: { chatId: owner, messageId, userId: owner },
    });
    const queued = await telegram.waitFor(botSaid(telegram, /Task #\d+ · queued/));
    expect(queued.replyToMessageId).toBe(messageId);
    expect(telegram.commands.map((command) => command.command)).toEqual(['task', 'status', 'cancel', 'help']);
  });

  it('ignores and logs strangers and unconfigured groups, then accepts a configured group', async () => {
    harness = await createHarness({ acceptPlainText: true });
    const { telegram } = harness;
    telegram.sendText(stranger, stranger, '/task steal the repo');
    telegram.sendText(stranger, stranger, 'plain text from a stranger');
    telegram.sendText(owner, group, '/task in an unconfigured group');
    telegram.sendText(owner, owner, 'plain text task');
    const task = await harness.nextTask();
    expect(task.text).toBe('plain text task');
    const ignored = harness.logs.filter((line) => line.message.includes('outside the allowlist'));
    expect(ignored.map((line) => line.details?.['reason'])).toEqual([
      'user is not allowlisted',
      'user is not allowlisted',
      'group chat is not allowlisted',
    ]);
    expect(telegram.messages.every((message) => message.chatId === owner)).toBe(true);
    await harness.close();

    harness = await createHarness({ allowedChatIds: [group] });
    harness.telegram.sendText(stranger, group, '/task stranger in the group');
    harness.telegram.sendText(owner, group, '/task@fake_bot from the group');
    expect((await harness.nextTask()).text).toBe('from the group');
  });

  it('creates one task for a redelivered update', async () => {
    harness = await createHarness();
    const { telegram } = harness;
    const update = telegram.sendText(owner, owner, '/task once only');
    telegram.redeliver(update);
    telegram.sendText(owner, owner, '/task second');
    expect((await harness.nextTask()).text).toBe('once only');
    expect((await harness.nextTask()).text).toBe('second');
    await telegram.waitFor(
      () => telegram.messages.filter((message) => /queued/.test(message.text)).length === 2,
    );
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(telegram.messages.filter((message) => /queued/.test(message.text))).toHaveLength(2);
    expect(harness.logs.some((line) => line.message.includes('redelivered'))).toBe(true);
  });

  it('does not see old updates again after a restart', async () => {
    const telegram = await createFakeBotApi();
    try {
      harness = await createHarness({}, telegram);
      telegram.sendText(owner, owner, '/task before restart');
      expect((await harness.nextTask()).text).toBe('before restart');
      await harness.close();
      expect(harness.adapter.isRunning).toBe(false);
      telegram.sendText(owner, owner, '/task while down');
      harness = await createHarness({}, telegram);
      expect((await harness.nextTask()).text).toBe('while down');
      await expect(harness.nextTask(600)).rejects.toThrow(/no task/);
    } finally {
      await harness?.close();
      harness = undefined;
      await telegram.close();
    }
  });

  it('retries a 429 after retry_after and still delivers the reply', async () => {
    harness = await createHarness();
    const { telegram } = harness;
    telegram.failNext('sendMessage', { errorCode: 429, retryAfter: 1 });
    const started = Date.now();
    telegram.sendText(owner, owner, '/help');
    await telegram.waitFor(botSaid(telegram, /hand tasks to codex-orchestrator/), 5000);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    const sends = telegram.calls.filter((call) => call.method === 'sendMessage');
    expect(sends.map((call) => call.status)).toEqual([429, 200]);
  });

  it('reports a 409 when a second poller takes over', async () => {
    const telegram = await createFakeBotApi();
    const first = await createHarness({}, telegram);
    await first.adapter.start();
    const second = await createHarness({}, telegram);
    try {
      await second.adapter.start();
      await telegram.waitFor(() => first.logs.find((line) => line.message.includes('409 Conflict')));
      expect(first.adapter.isRunning).toBe(false);
      telegram.sendText(owner, owner, '/task goes to the survivor');
      expect((await second.nextTask()).text).toBe('goes to the survivor');
    } finally {
      await first.close();
      await second.close();
      await telegram.close();
    }
  });
});

describe('createTelegramAdapter: lifecycle', () => {
  it('fails start() with the fix when Telegram rejects the token', async () => {
    const telegram = await createFakeBotApi();
    try {
      const adapter = createTelegramAdapter({
        token: '999999:AAWrongTokenWrongTokenWrongToken_12345',
        allowedUserIds: [owner],
        apiRoot: telegram.apiRoot,
        logger: { info: () => {}, warn: () => {}, error: () => {} },
        env: {},
      });
      await expect(adapter.start()).rejects.toMatchObject({
        code: 'telegram-unauthorized',
        message: expect.stringContaining('check TELEGRAM_BOT_TOKEN'),
      });
      expect(adapter.isRunning).toBe(false);
    } finally {
      await telegram.close();
    }
  });

  it('stops when the start signal aborts, and a stopped adapter yields no tasks', async () => {
    harness = await createHarness();
    const controller = new AbortController();
    await harness.adapter.start({ signal: controller.signal });
    controller.abort();
    await harness.telegram.waitFor(() => !harness!.adapter.isRunning);
    const iterator = harness.adapter.source.tasks(new AbortController().signal)[Symbol.asyncIterator]();
    await expect(iterator.next()).resolves.toEqual({ done: true, value: undefined });
  });
});

describe('createTelegramAdapter: settings', () => {
  it('names the missing env var and how to set it', () => {
    expect(() => createTelegramAdapter({ env: {} })).toThrow(/set TELEGRAM_BOT_TOKEN/);
    const token = '123456789:AAFakeTokenForTestsOnly_abcdefghijk';
    expect(() => createTelegramAdapter({ env: { TELEGRAM_BOT_TOKEN: token } })).toThrow(
      /set TELEGRAM_ALLOWED_USER_IDS .*numeric user ids/,
    );
    expect(() =>
      createTelegramAdapter({ env: { TELEGRAM_BOT_TOKEN: token, TELEGRAM_ALLOWED_USER_IDS: '123,@alice' } }),
    ).toThrow(/"@alice", which is not a numeric Telegram id/);
    let error: unknown;
    try {
      createTelegramAdapter({ env: { TELEGRAM_BOT_TOKEN: 'not a token but secret-ish' } });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigurationError);
    expect((error as ConfigurationError).code).toBe('telegram-token-invalid');
    expect((error as Error).message).not.toContain('secret-ish');
    expect(() =>
      createTelegramAdapter({
        env: { TELEGRAM_BOT_TOKEN: token, TELEGRAM_ALLOWED_USER_IDS: '1', TELEGRAM_API_ROOT: 'ftp://x' },
      }),
    ).toThrow(/TELEGRAM_API_ROOT/);
  });
});
