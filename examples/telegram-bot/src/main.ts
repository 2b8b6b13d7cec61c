/**
 * A Telegram bot that hands coding tasks to codex-orchestrator: `/task <text>` from an allowlisted
 * user runs the orchestrator on the project in ORCHESTRATOR_BASE_DIR, one message per task shows
 * progress, each merge waits for the Approve button, and the report comes back to the chat.
 *
 *   export TELEGRAM_BOT_TOKEN=123456789:AA...      # from @BotFather
 *   export TELEGRAM_ALLOWED_USER_IDS=123456789     # your numeric id (ask @userinfobot)
 *   export ORCHESTRATOR_BASE_DIR=$HOME/work/app     # holds main/ and the task-* worktrees
 *   export OPENAI_API_KEY=sk-...                    # or OPENAI_BASE_URL for a compatible endpoint
 *   npm start -w @codex-orchestrator/example-telegram-bot
 *
 * Optional: ORCHESTRATOR_SMOKE_TEST (e.g. "npm test", run in main after each merge),
 * TELEGRAM_ALLOWED_CHAT_IDS (groups), TELEGRAM_API_ROOT (a self-hosted Bot API server).
 */
import { resolve } from 'node:path';
import { createTelegramAdapter, type TelegramAdapter } from '@codex-orchestrator/adapter-telegram';
import {
  ConfigurationError,
  createOrchestratorTaskRunner,
  createTaskDispatcher,
} from '@codex-orchestrator/core';

function exitWith(message: string): never {
  console.error(message);
  process.exit(2);
}

const baseDir = process.env.ORCHESTRATOR_BASE_DIR;
if (!baseDir) {
  exitWith(
    'ORCHESTRATOR_BASE_DIR is not set: export ORCHESTRATOR_BASE_DIR=/path/to/folder (it holds the main/ worktree of your project).',
  );
}
if (!process.env.OPENAI_API_KEY && !process.env.OPENAI_BASE_URL) {
  exitWith(
    'OPENAI_API_KEY is not set: export OPENAI_API_KEY=<your key>, or OPENAI_BASE_URL=<compatible endpoint>.',
  );
}

let telegram: TelegramAdapter;
try {
  telegram = createTelegramAdapter({ acceptPlainText: true });
} catch (error) {
  if (error instanceof ConfigurationError) exitWith(error.message);
  throw error;
}

/** Runs each task with runOrchestrator; events, approvals and the report go through the dispatcher. */
const run = createOrchestratorTaskRunner({
  baseDir,
  ...(process.env.ORCHESTRATOR_SMOKE_TEST ? { smokeTest: process.env.ORCHESTRATOR_SMOKE_TEST } : {}),
});

const dispatcher = createTaskDispatcher({
  sources: [telegram.source],
  // The sink shares the source's name, so merge approvals of Telegram tasks are asked in Telegram.
  sinks: [telegram.sink],
  run,
  // A durable journal: after a crash, finished tasks are not run again and interrupted ones resume.
  store: resolve('telegram-dispatch-journal.jsonl'),
  concurrency: 1,
});
telegram.attach(dispatcher);

let stopping = false;
async function shutdown(signalName: string): Promise<void> {
  if (stopping) process.exit(130);
  stopping = true;
  console.error(`${signalName}: stopping; running tasks get a grace period (send it again to force).`);
  await dispatcher.stop({ cancelRunning: true });
  await telegram.stop();
  process.exit(0);
}
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));

try {
  // Started first so a bad token fails here, with the fix in the message.
  await telegram.start();
} catch (error) {
  exitWith(error instanceof Error ? error.message : String(error));
}
await dispatcher.start();
console.error(`Telegram bot is running for ${baseDir}. Send /help to it; Ctrl-C stops.`);
