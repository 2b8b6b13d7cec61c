import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type OfflineBot, startOfflineBot } from '../src/offline-bot.js';
import { botStatePaths } from '../src/start-telegram-bot.js';

let offline: OfflineBot | undefined;
let baseDir: string | undefined;
afterEach(async () => {
  await offline?.stop();
  offline = undefined;
  if (baseDir) await rm(baseDir, { recursive: true, force: true });
});

describe('offline mode of the Telegram example', () => {
  it('runs a /task end to end against the fake Bot API and the scripted model, state under the base dir', async () => {
    baseDir = await mkdtemp(join(tmpdir(), 'telegram-offline-test-'));
    const before = await readdir(process.cwd());
    offline = await startOfflineBot({ baseDir });
    offline.say('/task look around and run the tests');
    const { fakeTelegram } = offline;
    const report = await fakeTelegram.waitFor(
      () =>
        fakeTelegram.messages.find(
          (message) => /completed/i.test(message.text) && /npm test/.test(message.text),
        ),
      60_000,
    );
    expect(report.chatId).toBe(42);
    const paths = botStatePaths(baseDir);
    expect(await readFile(paths.journal, 'utf8')).toContain('look around and run the tests');
    expect(await stat(paths.lock)).toBeTruthy();
    expect(await readFile(paths.auditLog, 'utf8')).toContain('npm test');
    // Nothing was written into the folder the bot was started from.
    expect(await readdir(process.cwd())).toEqual(before);
  });
});
