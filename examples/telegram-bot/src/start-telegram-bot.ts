import { join } from 'node:path';
import {
  createTelegramAdapter,
  type TelegramAdapter,
  type TelegramAdapterSettings,
} from '@codex-orchestrator/adapter-telegram';
import {
  createOrchestratorTaskRunner,
  createTaskDispatcher,
  type RunOrchestratorOptions,
  type TaskDispatcher,
} from '@codex-orchestrator/core';

/** Where the bot keeps its state: all of it under the base dir, never in the current folder. */
export function botStatePaths(baseDir: string) {
  return {
    /** Task states; after a crash, finished tasks are not run again and interrupted ones resume. */
    journal: join(baseDir, '.orchestrator', 'telegram-dispatch-journal.jsonl'),
    /** `<journal>.lock`: one bot per journal. */
    lock: join(baseDir, '.orchestrator', 'telegram-dispatch-journal.jsonl.lock'),
    /** Every command the agent ran, with the policy's decision. */
    auditLog: join(baseDir, 'run_repo_command.log'),
  };
}

/** A running bot. */
export interface RunningBot {
  telegram: TelegramAdapter;
  dispatcher: TaskDispatcher;
  stop(): Promise<void>;
}

/**
 * Starts the bot: the Telegram adapter as task source and sink, and a dispatcher that runs each
 * task with `runOrchestrator` on the project in `baseDir`. The journal, its lock and the audit
 * log live under `baseDir` (see {@link botStatePaths}).
 */
export async function startTelegramBot(input: {
  baseDir: string;
  telegram?: TelegramAdapterSettings;
  orchestrator?: Omit<RunOrchestratorOptions, 'baseDir' | 'auditLogPath'>;
}): Promise<RunningBot> {
  const paths = botStatePaths(input.baseDir);
  const telegram = createTelegramAdapter({ acceptPlainText: true, ...input.telegram });
  const run = createOrchestratorTaskRunner({
    ...input.orchestrator,
    baseDir: input.baseDir,
    auditLogPath: paths.auditLog,
  });
  const dispatcher = createTaskDispatcher({
    sources: [telegram.source],
    // The sink shares the source's name, so merge approvals of Telegram tasks are asked in Telegram.
    sinks: [telegram.sink],
    run,
    store: paths.journal,
    concurrency: 1,
  });
  telegram.attach(dispatcher);
  // Started first so a bad token fails here, with the fix in the message.
  await telegram.start();
  await dispatcher.start();
  return {
    telegram,
    dispatcher,
    async stop() {
      await dispatcher.stop({ cancelRunning: true });
      await telegram.stop();
    },
  };
}
