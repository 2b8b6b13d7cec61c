import { execFile } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createFakeBotApi, type FakeBotApi } from '@codex-orchestrator/adapter-telegram/testing';
import {
  assistantMessage,
  createScriptedModelServer,
  functionCall,
  type ScriptedModelServer,
  scriptedModelApiKey,
} from '@codex-orchestrator/core/testing';
import { type RunningBot, startTelegramBot } from './start-telegram-bot.js';

const execFileAsync = promisify(execFile);

/** The Telegram user (and private chat) the offline mode plays. */
export const offlineUserId = 42;

/** How many tasks the scripted model answers before it runs out of script. */
const scriptedTasks = 50;

/** An offline bot: the fake Bot API, the scripted model and the real bot between them. */
export interface OfflineBot {
  baseDir: string;
  fakeTelegram: FakeBotApi;
  model: ScriptedModelServer;
  bot: RunningBot;
  /** Sends a message as the offline user, as the Telegram app would. */
  say(text: string): void;
  stop(): Promise<void>;
}

/** A small git project in `<baseDir>/main` with a passing `npm test`. */
async function createSampleProject(baseDir: string): Promise<void> {
  const main = join(baseDir, 'main');
  await mkdir(join(main, 'test'), { recursive: true });
  await writeFile(
    join(main, 'package.json'),
    `${JSON.stringify({ name: 'offline-sample', version: '1.0.0', type: 'module', scripts: { test: 'node --test' } }, null, 2)}\n`,
  );
  await writeFile(
    join(main, 'test', 'sum.test.js'),
    "import { test } from 'node:test';\nimport assert from 'node:assert';\ntest('sum', () => assert.equal(1 + 1, 2));\n",
  );
  const git = (...args: string[]) => execFileAsync('git', args, { cwd: main });
  await git('init', '--quiet', '--initial-branch=main');
  await git('config', 'user.name', 'Offline demo');
  await git('config', 'user.email', 'offline-demo@codex-orchestrator.invalid');
  await git('add', '.');
  await git('commit', '--quiet', '-m', 'sample project');
}

/**
 * Starts the Telegram example with no network and no keys: a fake Telegram Bot API on loopback
 * (`@codex-orchestrator/adapter-telegram/testing`), a scripted model (`@codex-orchestrator/core/testing`)
 * whose orchestrator looks at main and runs its tests for any task, and the real bot and
 * dispatcher between them. Everything it writes is under `baseDir`.
 */
export async function startOfflineBot(input: { baseDir: string }): Promise<OfflineBot> {
  await createSampleProject(input.baseDir);
  const model = await createScriptedModelServer();
  for (let index = 0; index < scriptedTasks; index += 1) {
    model.addScript({
      name: `offline-task-${index}`,
      match: (request) => request.text.includes('You are the senior engineer and team lead'),
      turns: [
        [
          functionCall('run_repo_command', { worktree: 'main', command: 'git log --oneline -3' }),
          functionCall('run_repo_command', { worktree: 'main', command: 'npm test' }),
        ],
        [
          assistantMessage(
            'Offline run: looked at main and ran its tests (scripted model; nothing was changed).',
          ),
        ],
      ],
    });
  }
  const fakeTelegram = await createFakeBotApi();
  let bot: RunningBot;
  try {
    bot = await startTelegramBot({
      baseDir: input.baseDir,
      telegram: {
        token: fakeTelegram.token,
        apiRoot: fakeTelegram.apiRoot,
        allowedUserIds: [offlineUserId],
        env: {},
      },
      orchestrator: {
        model: 'scripted-offline-model',
        apiKey: scriptedModelApiKey,
        baseURL: model.baseURL,
        review: 'off',
        tracing: false,
      },
    });
  } catch (error) {
    await fakeTelegram.close();
    await model.close();
    throw error;
  }
  return {
    baseDir: input.baseDir,
    fakeTelegram,
    model,
    bot,
    say: (text) => void fakeTelegram.sendText(offlineUserId, offlineUserId, text),
    async stop() {
      await bot.stop();
      await fakeTelegram.close();
      await model.close();
    },
  };
}
