/**
 * A Telegram bot that hands coding tasks to codex-orchestrator: `/task <text>` from an allowlisted
 * user runs the orchestrator on the project in ORCHESTRATOR_BASE_DIR, one message per task shows
 * progress, each merge waits for the Approve button, and the report comes back to the chat.
 * See README.md; `npm run offline` tries it without Telegram or a model.
 *
 *   export TELEGRAM_BOT_TOKEN=123456789:AA...      # from @BotFather
 *   export TELEGRAM_ALLOWED_USER_IDS=123456789     # your numeric id (ask @userinfobot)
 *   export ORCHESTRATOR_BASE_DIR=$HOME/work/app     # holds main/ and the task-* worktrees
 *   export OPENAI_API_KEY=sk-...                    # or OPENAI_BASE_URL for a compatible endpoint
 *   npm start -w @codex-orchestrator/example-telegram-bot
 *
 * Optional: ORCHESTRATOR_SMOKE_TEST (e.g. "npm test", run in main after each merge),
 * TELEGRAM_ALLOWED_CHAT_IDS (groups), TELEGRAM_API_ROOT (a self-hosted Bot API server).
 * The journal, its lock and the audit log are written under ORCHESTRATOR_BASE_DIR.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { OrchestratorError } from '@codex-orchestrator/core';
import { startOfflineBot } from './offline-bot.js';
import { runOfflineChat } from './offline-chat.js';
import { botStatePaths, startTelegramBot } from './start-telegram-bot.js';

function exitWith(message: string): never {
  console.error(message);
  process.exit(2);
}

const { values } = parseArgs({ options: { offline: { type: 'boolean' }, dir: { type: 'string' } } });

if (values.offline) {
  const baseDir = values.dir ? resolve(values.dir) : await mkdtemp(join(tmpdir(), 'telegram-offline-'));
  const offline = await startOfflineBot({ baseDir });
  await runOfflineChat(offline);
  process.exit(0);
}

const baseDir = process.env.ORCHESTRATOR_BASE_DIR;
if (!baseDir) {
  exitWith(
    'ORCHESTRATOR_BASE_DIR is not set: export ORCHESTRATOR_BASE_DIR=/path/to/folder (it holds the main/ worktree of your project), or try `npm run offline` first.',
  );
}
if (!process.env.OPENAI_API_KEY && !process.env.OPENAI_BASE_URL) {
  exitWith(
    'OPENAI_API_KEY is not set: export OPENAI_API_KEY=<your key>, or OPENAI_BASE_URL=<compatible endpoint>.',
  );
}

let bot: Awaited<ReturnType<typeof startTelegramBot>>;
try {
  bot = await startTelegramBot({
    baseDir: resolve(baseDir),
    orchestrator: process.env.ORCHESTRATOR_SMOKE_TEST
      ? { smokeTest: process.env.ORCHESTRATOR_SMOKE_TEST }
      : {},
  });
} catch (error) {
  // A setting to fix is one line; anything else keeps its stack. `isInstance`, unlike `instanceof`,
  // also holds when two copies of core are installed.
  if (OrchestratorError.isInstance(error) && error.kind === 'user') exitWith(error.message);
  throw error;
}

let stopping = false;
async function shutdown(signalName: string): Promise<void> {
  if (stopping) process.exit(signalName === 'SIGTERM' ? 143 : 130);
  stopping = true;
  console.error(`${signalName}: stopping; running tasks get a grace period (send it again to force).`);
  await bot.stop();
  process.exit(0);
}
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));

const paths = botStatePaths(resolve(baseDir));
console.error(
  `Telegram bot is running for ${baseDir}. Send /help to it; Ctrl-C stops. Journal: ${paths.journal}; audit log: ${paths.auditLog}`,
);
