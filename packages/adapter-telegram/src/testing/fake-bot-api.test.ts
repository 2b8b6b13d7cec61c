import { Bot, GrammyError, InputFile } from 'grammy';
import { afterEach, describe, expect, it } from 'vitest';
import { createFakeBotApi } from './fake-bot-api.js';
import type { FakeBotApi } from './fake-bot-api-types.js';

const user = 1001;
let telegram: FakeBotApi;
const bots: Bot[] = [];

async function setup() {
  telegram = await createFakeBotApi();
  const bot = new Bot(telegram.token, { client: { apiRoot: telegram.apiRoot } });
  bots.push(bot);
  return bot;
}

async function failure(promise: Promise<unknown>): Promise<GrammyError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(GrammyError);
  return error as GrammyError;
}

afterEach(async () => {
  for (const bot of bots.splice(0)) if (bot.isRunning()) await bot.stop();
  await telegram.close();
});

describe('createFakeBotApi', () => {
  it('runs a real grammY polling cycle and records replies', async () => {
    const bot = await setup();
    bot.command('ping', (context) => context.reply('pong'));
    void bot.start({ timeout: 10 });
    telegram.sendText(user, user, '/ping');
    const reply = await telegram.waitFor(() => telegram.messages.find((message) => message.text === 'pong'));
    expect(reply.chatId).toBe(user);
    await bot.stop();
    expect(telegram.pendingUpdateCount()).toBe(0);
  });

  it('enforces message length, not-modified edits, and callback data size', async () => {
    const bot = await setup();
    telegram.sendText(user, user, 'hello');
    expect((await failure(bot.api.sendMessage(user, 'x'.repeat(4097)))).description).toBe(
      'Bad Request: message is too long',
    );
    const sent = await bot.api.sendMessage(user, 'x'.repeat(4096));
    const edit = await failure(bot.api.editMessageText(user, sent.message_id, 'x'.repeat(4096)));
    expect(edit.description).toMatch(/^Bad Request: message is not modified/);
    await bot.api.editMessageText(user, sent.message_id, 'changed');
    expect(telegram.messages.at(-1)?.history).toEqual(['x'.repeat(4096), 'changed']);
    const keyboard = (data: string) => ({
      reply_markup: { inline_keyboard: [[{ text: 'b', callback_data: data }]] },
    });
    expect((await failure(bot.api.sendMessage(user, 'k', keyboard('é'.repeat(33))))).description).toBe(
      'Bad Request: BUTTON_DATA_INVALID',
    );
    await bot.api.sendMessage(user, 'k', keyboard('y'.repeat(64)));
    expect((await failure(bot.api.sendMessage(999, 'to a chat nobody opened'))).description).toBe(
      'Bad Request: chat not found',
    );
  });

  it('accepts grammY multipart uploads and injected 429 failures', async () => {
    const bot = await setup();
    telegram.sendText(user, user, 'hello');
    await bot.api.sendDocument(user, new InputFile(Buffer.from('# report\nline\n'), 'report.md'), {
      caption: 'c',
    });
    expect(telegram.documents[0]).toMatchObject({ fileName: 'report.md', caption: 'c', chatId: user });
    expect(telegram.documents[0]?.content.toString()).toBe('# report\nline\n');
    telegram.failNext('sendMessage', { errorCode: 429, retryAfter: 3 });
    const limited = await failure(bot.api.sendMessage(user, 'later'));
    expect(limited.error_code).toBe(429);
    expect(limited.parameters.retry_after).toBe(3);
    await bot.api.sendMessage(user, 'now');
    expect(await bot.api.sendChatAction(user, 'typing')).toBe(true);
    await bot.api.setMyCommands([{ command: 'task', description: 'Start a task' }]);
    expect(telegram.commands).toEqual([{ command: 'task', description: 'Start a task' }]);
    expect(
      (await failure(bot.api.setMyCommands([{ command: 'Bad-Name', description: 'x' }]))).description,
    ).toBe('Bad Request: BOT_COMMAND_INVALID');
  });

  it('answers a terminated poller with 409 and confirms updates by offset', async () => {
    const first = await setup();
    const second = new Bot(telegram.token, { client: { apiRoot: telegram.apiRoot } });
    bots.push(second);
    const stopped = first.start({ timeout: 10 }).then(
      () => 'stopped',
      (error: unknown) => error,
    );
    await telegram.waitFor(() => telegram.calls.some((call) => call.method === 'getUpdates'));
    void second.start({ timeout: 10 }).catch(() => undefined);
    const error = (await stopped) as GrammyError;
    expect(error.error_code).toBe(409);
    expect(error.description).toMatch(/^Conflict: terminated by other getUpdates request/);
    await second.stop();
    telegram.sendText(user, user, 'while nobody polls');
    expect(telegram.pendingUpdateCount()).toBe(1);
  });

  it('refuses a press of a button that does not exist', async () => {
    const bot = await setup();
    telegram.sendText(user, user, 'hello');
    const sent = await bot.api.sendMessage(user, 'choose', {
      reply_markup: { inline_keyboard: [[{ text: 'yes', callback_data: 'y' }]] },
    });
    expect(() => telegram.pressButton(user, user, sent.message_id, 'forged')).toThrow(/no button/);
    expect(telegram.pressButton(user, user, sent.message_id, 'y').callback_query?.data).toBe('y');
  });
});
