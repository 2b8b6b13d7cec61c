import type { TelegramAdapterLogger } from './telegram-adapter-logger.js';

/** Settings of `createTelegramAdapter`. Every field is optional where an env var or default exists. */
export interface TelegramAdapterSettings {
  /** Bot token from @BotFather. Default: `TELEGRAM_BOT_TOKEN`. */
  token?: string;
  /** Numeric user ids allowed to use the bot (never usernames). Default: `TELEGRAM_ALLOWED_USER_IDS`. */
  allowedUserIds?: readonly number[];
  /**
   * Group chats where allowed users may use the bot. Without it only private chats work.
   * Default: `TELEGRAM_ALLOWED_CHAT_IDS`.
   */
  allowedChatIds?: readonly number[];
  /** Bot API server root, for a self-hosted server or tests. Default: `TELEGRAM_API_ROOT`, else Telegram's. */
  apiRoot?: string;
  /** Name of the task source, and `Task.source` of its tasks. Default `telegram`. */
  sourceName?: string;
  /** Treat plain text in private chats as `/task <text>`. Default false. */
  acceptPlainText?: boolean;
  /** Least time between two edits of one progress message (ms). Default 3000. */
  progressIntervalMs?: number;
  /** Reports longer than this (characters) are sent as `report.md` instead of text. Default 12 000. */
  reportDocumentThreshold?: number;
  /** Long-poll timeout of `getUpdates` (seconds). Default 30. */
  pollingTimeoutSeconds?: number;
  /**
   * Under `orchestrator serve`: the chat asked to approve merges of tasks that did not come from
   * Telegram (the API, the inbox, a tracker). Default: none (decide those through the API).
   */
  approvalChatId?: number;
  /** A merge approval nobody answers within this time counts as rejected (ms). Default: wait. */
  approvalTimeoutMs?: number;
  /** Retries of Telegram calls on 429 (honouring `retry_after`), 5xx and network errors. */
  retry?: {
    /** Default 3. */
    maxAttempts?: number;
    /** A `retry_after` longer than this fails the call instead of waiting (seconds). Default 60. */
    maxDelaySeconds?: number;
  };
  /** Literal values to redact from everything sent (the bot token is always included). */
  secrets?: readonly string[];
  /** Env var names whose values are redacted, on top of core's defaults (`OPENAI_API_KEY`, ...). */
  secretEnvNames?: readonly string[];
  /** Where ignored updates and Telegram errors are reported. Default: stderr. */
  logger?: TelegramAdapterLogger;
  /** Env vars to read instead of `process.env`. */
  env?: Record<string, string | undefined>;
}
