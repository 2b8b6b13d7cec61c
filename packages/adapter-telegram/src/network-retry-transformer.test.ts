import { createServer } from 'node:net';
import { Bot, HttpError } from 'grammy';
import { describe, expect, it } from 'vitest';
import { createNetworkRetryTransformer } from './network-retry-transformer.js';
import { createFakeBotApi } from './testing/index.js';

/** A port nothing listens on (bound, then released). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('createNetworkRetryTransformer', () => {
  it('retries network failures a bounded number of times, then throws', async () => {
    const bot = new Bot('123:abc', { client: { apiRoot: `http://127.0.0.1:${await closedPort()}` } });
    let attempts = 0;
    bot.api.config.use((previous, method, payload, signal) => {
      attempts += 1;
      return previous(method, payload, signal);
    });
    bot.api.config.use(createNetworkRetryTransformer({ maxAttempts: 2, initialDelayMs: 10 }));
    await expect(bot.api.sendMessage(1, 'hello')).rejects.toBeInstanceOf(HttpError);
    expect(attempts).toBe(3);
  });

  it('leaves successful calls and Telegram errors alone', async () => {
    const telegram = await createFakeBotApi();
    try {
      const bot = new Bot(telegram.token, { client: { apiRoot: telegram.apiRoot } });
      bot.api.config.use(createNetworkRetryTransformer({ maxAttempts: 5, initialDelayMs: 10 }));
      await expect(bot.api.sendMessage(1, 'to a chat nobody opened')).rejects.toThrow(/chat not found/);
      expect(telegram.calls.filter((call) => call.method === 'sendMessage')).toHaveLength(1);
      expect((await bot.api.getMe()).is_bot).toBe(true);
    } finally {
      await telegram.close();
    }
  });
});
