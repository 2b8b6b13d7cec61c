import { createInterface } from 'node:readline';
import type { OfflineBot } from './offline-bot.js';
import { botStatePaths } from './start-telegram-bot.js';

/**
 * The terminal side of the offline mode: each line typed is sent to the bot as a Telegram
 * message; every message the bot sends or edits is printed with its id and buttons; `!press ID
 * DATA` presses a button; `!quit` (or Ctrl-D / Ctrl-C) stops.
 */
export function runOfflineChat(
  offline: OfflineBot,
  output: NodeJS.WritableStream = process.stdout,
): Promise<void> {
  const { fakeTelegram } = offline;
  const paths = botStatePaths(offline.baseDir);
  const write = (text: string) => output.write(`${text}\n`);
  write(
    `Offline Telegram bot: fake Bot API at ${fakeTelegram.apiRoot}, scripted model, sample project in ${offline.baseDir}/main.`,
  );
  write('Type a message as Telegram user 42 and press Enter, e.g.:');
  write('  /task look around the repository and run the tests');
  write('  /status      /cancel      /help');
  write('  !press <message id> <button data>   (press an inline button shown below a message)');
  write('  !quit');
  write(`State: journal ${paths.journal}, lock ${paths.lock}, audit log ${paths.auditLog}\n`);

  const shown = new Map<number, number>();
  const timer = setInterval(() => {
    for (const message of fakeTelegram.messages) {
      if (shown.get(message.messageId) === message.history.length) continue;
      shown.set(message.messageId, message.history.length);
      const edited = message.history.length > 1 ? ' (edited)' : '';
      write(`bot [#${message.messageId}]${edited}: ${message.text}`);
      for (const row of message.replyMarkup?.inline_keyboard ?? []) {
        for (const button of row) {
          if ('callback_data' in button)
            write(`    [${button.text}]  !press ${message.messageId} ${button.callback_data}`);
        }
      }
    }
  }, 250);

  return new Promise((resolve) => {
    const lines = createInterface({ input: process.stdin });
    const finish = async () => {
      clearInterval(timer);
      lines.close();
      await offline.stop();
      resolve();
    };
    lines.on('line', (line) => {
      const text = line.trim();
      if (text === '') return;
      if (text === '!quit') return void finish();
      const press = /^!press\s+(\d+)\s+(\S+)$/.exec(text);
      if (press) {
        try {
          fakeTelegram.pressButton(42, 42, Number(press[1]), press[2] as string);
        } catch (error) {
          write(`(cannot press: ${(error as Error).message})`);
        }
        return;
      }
      offline.say(text);
    });
    lines.on('close', () => void finish());
    process.once('SIGINT', () => void finish());
  });
}
