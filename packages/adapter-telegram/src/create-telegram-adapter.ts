import { createRedactor, type TaskControl, type TaskSink, type TaskSource } from '@codex-orchestrator/core';
import type { StoredApproval, StoredTask } from '@codex-orchestrator/core/service';
import { autoRetry } from '@grammyjs/auto-retry';
import { Bot, GrammyError } from 'grammy';
import { createAccessPolicy } from './access-policy.js';
import { acknowledgeTelegramTask, createTelegramSink } from './create-telegram-sink.js';
import { describeTelegramError } from './describe-telegram-error.js';
import { createMergeApprovals } from './merge-approvals.js';
import { createNetworkRetryTransformer } from './network-retry-transformer.js';
import { createRedactionTransformer } from './redaction-transformer.js';
import { registerTelegramHandlers, telegramCommands } from './register-telegram-handlers.js';
import { resolveTelegramSettings } from './resolve-telegram-settings.js';
import { createServiceBridge, type TelegramServiceHandle } from './service-bridge.js';
import { createTaskIntake } from './task-intake.js';
import { createTaskTracker } from './task-tracker.js';
import { consoleTelegramLogger, createRedactingLogger } from './telegram-adapter-logger.js';
import type { TelegramAdapterSettings } from './telegram-adapter-settings.js';
import { TelegramConfigurationError, TelegramError } from './telegram-error.js';

/** One Telegram bot serving as task source and sink (one bot, one poller). */
export interface TelegramAdapter {
  /** Yields a task per `/task` message. Iterating starts the bot when it is not running. */
  readonly source: TaskSource;
  /** Progress edits, final reports and merge approvals in the task's chat. */
  readonly sink: TaskSink;
  /** Gives `/status` and `/cancel` (and the cancel button) the dispatcher to act on. */
  attach(control: TaskControl): void;
  /**
   * Serves `orchestrator serve`: `/status` and `/cancel` act on the service's tasks, and the
   * buttons of `notifyApproval` and `askProject` decide through its durable store.
   */
  attachService(service: TelegramServiceHandle): void;
  /**
   * The service's `notifyApproval`: asks in the task's chat (or `approvalChatId` for tasks of
   * other sources) with buttons that name the durable approval, so they still work after a restart.
   */
  notifyApproval(approval: StoredApproval): Promise<void>;
  /** The service's `askProject`: asks the task's chat which project it is for, a button each. */
  askProject(task: StoredTask, question: string): Promise<void>;
  /** Starts long polling; resolves once the bot is up. Idempotent. Aborting `signal` stops the bot. */
  start(options?: { signal?: AbortSignal }): Promise<void>;
  /**
   * Stops polling and confirms the last update, so a restart does not see old messages again;
   * pending merge approvals are rejected. The sink keeps working for tasks still reporting.
   */
  stop(): Promise<void>;
  readonly isRunning: boolean;
}

/**
 * Creates the Telegram adapter: a grammY bot whose allowlisted users hand over tasks with `/task`,
 * watch one self-editing progress message per task, approve merges with inline buttons and get
 * the report. Settings fall back to `TELEGRAM_BOT_TOKEN`, `TELEGRAM_ALLOWED_USER_IDS`,
 * `TELEGRAM_ALLOWED_CHAT_IDS` and `TELEGRAM_API_ROOT`. Every outgoing call passes a redaction
 * transformer, so secrets never leave in a message or a document.
 *
 * @example
 * const telegram = createTelegramAdapter({ acceptPlainText: true });
 * const dispatcher = createTaskDispatcher({ sources: [telegram.source], sinks: [telegram.sink], run, store });
 * telegram.attach(dispatcher); // /status and /cancel
 * await telegram.start();
 * await dispatcher.start();
 */
export function createTelegramAdapter(settings: TelegramAdapterSettings = {}): TelegramAdapter {
  const env = settings.env ?? process.env;
  const resolved = resolveTelegramSettings(settings, env);
  // Core's redactor (the audit log's): secret env vars, the token, and common token shapes.
  const redactor = createRedactor({ env, values: resolved.secrets, envNames: resolved.secretEnvNames });
  const logger = createRedactingLogger(settings.logger ?? consoleTelegramLogger, redactor.redactValue);
  const bot = new Bot(
    resolved.token,
    resolved.apiRoot === undefined ? {} : { client: { apiRoot: resolved.apiRoot } },
  );
  // Installed innermost first: redaction runs first on every call, so retries resend redacted data.
  bot.api.config.use(
    autoRetry({
      maxRetryAttempts: resolved.maxRetryAttempts,
      maxDelaySeconds: resolved.maxRetryDelaySeconds,
      rethrowHttpErrors: true,
    }),
  );
  bot.api.config.use(createNetworkRetryTransformer({ maxAttempts: resolved.maxRetryAttempts }));
  bot.api.config.use(createRedactionTransformer(redactor.redact));

  let control: TaskControl | undefined;
  let service: TelegramServiceHandle | undefined;
  let starting: Promise<void> | undefined;
  let loop: Promise<void> | undefined;
  let stoppedByUser = false;

  const isAllowedChat = (chatId: number) =>
    resolved.allowedUserIds.has(chatId) || resolved.allowedChatIds.has(chatId);
  const tracker = createTaskTracker({
    api: bot.api,
    logger,
    sourceName: resolved.sourceName,
    progressIntervalMs: resolved.progressIntervalMs,
    isAllowedChat,
  });
  const approvals = createMergeApprovals({
    api: bot.api,
    logger,
    control: () => control,
    ...(resolved.approvalTimeoutMs === undefined ? {} : { timeoutMs: resolved.approvalTimeoutMs }),
  });
  const bridge = createServiceBridge({
    api: bot.api,
    logger,
    sourceName: resolved.sourceName,
    ...(settings.approvalChatId === undefined ? {} : { approvalChatId: settings.approvalChatId }),
    service: () => service,
  });
  const intake = createTaskIntake(
    resolved.sourceName,
    async () => {
      if (stoppedByUser) return false;
      await start();
      return true;
    },
    (task, outcome) => acknowledgeTelegramTask(tracker, task, outcome),
  );
  registerTelegramHandlers(bot, {
    sourceName: resolved.sourceName,
    acceptPlainText: resolved.acceptPlainText,
    logger,
    access: createAccessPolicy(resolved),
    intake,
    tracker,
    approvals,
    bridge,
    control: () => control,
  });
  const sink = createTelegramSink({
    name: resolved.sourceName,
    api: bot.api,
    logger,
    tracker,
    approvals,
    reportDocumentThreshold: resolved.reportDocumentThreshold,
  });

  function start(options: { signal?: AbortSignal } = {}): Promise<void> {
    if (options.signal?.aborted) return Promise.resolve();
    stoppedByUser = false;
    options.signal?.addEventListener('abort', () => void stop(), { once: true });
    if (starting !== undefined) return starting;
    starting = new Promise<void>((resolve, reject) => {
      let started = false;
      loop = bot
        .start({
          timeout: resolved.pollingTimeoutSeconds,
          allowed_updates: ['message', 'callback_query'],
          onStart: async () => {
            started = true;
            await bot.api.setMyCommands(telegramCommands).catch((error: unknown) => {
              logger.warn('could not register the command list', { error: describeTelegramError(error) });
            });
            resolve();
          },
        })
        .then(
          // Polling ended because stop() was called (possibly before it was up).
          () => resolve(),
          (error: unknown) => {
            if (stoppedByUser) {
              resolve();
              return;
            }
            const failure = toPollingError(error);
            logger.error(failure.message);
            intake.interrupt(failure);
            if (!started) reject(failure);
          },
        )
        .finally(() => {
          starting = undefined;
          loop = undefined;
        });
    });
    return starting;
  }

  async function stop(): Promise<void> {
    stoppedByUser = true;
    intake.interrupt();
    if (bot.isRunning()) {
      await bot.stop().catch((error: unknown) => {
        logger.warn('could not confirm the last update while stopping', {
          error: describeTelegramError(error),
        });
      });
    }
    await loop;
    await approvals.rejectAll(
      new TelegramError('The Telegram adapter stopped before the merge was approved or rejected', {
        code: 'telegram-adapter-stopped',
      }),
    );
    await Promise.all(tracker.all().map((tracked) => tracked.progress.flush()));
  }

  return {
    source: intake.source,
    sink,
    attach(next) {
      control = next;
    },
    attachService(next) {
      service = next;
      control = next.tasks;
    },
    notifyApproval: (approval) => bridge.notifyApproval(approval),
    askProject: (task, question) => bridge.askProject(task, question),
    start,
    stop,
    get isRunning() {
      return bot.isRunning();
    },
  };
}

function toPollingError(error: unknown): TelegramError | TelegramConfigurationError {
  if (error instanceof GrammyError && error.error_code === 401) {
    return new TelegramConfigurationError(
      'Telegram rejected the bot token (401 Unauthorized): check TELEGRAM_BOT_TOKEN, or issue a new token with @BotFather (/token)',
      { code: 'telegram-unauthorized' },
    );
  }
  if (error instanceof GrammyError && error.error_code === 409) {
    return new TelegramError(
      'Another process is polling this bot (409 Conflict): a bot token allows one poller; stop the other instance (or remove its webhook)',
      { code: 'telegram-conflict' },
    );
  }
  return new TelegramError(`Telegram polling stopped: ${describeTelegramError(error)}`, {
    code: 'telegram-polling-failed',
  });
}
