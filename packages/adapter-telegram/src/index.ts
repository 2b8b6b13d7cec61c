/**
 * @codex-orchestrator/adapter-telegram: hand tasks to codex-orchestrator from Telegram. A grammY
 * bot that is both a task source and a sink: `/task` creates a task, one message per task is
 * edited as it runs, merges are approved with inline buttons, and the report comes back as text or
 * a document.
 *
 * Commonly used: `createTelegramAdapter` and its settings and logger types.
 * Convenience: `splitTelegramText`, `telegramMessageLimit`, `telegramTaskId`, `parseTelegramIdList`.
 * For experts: the grammY API transformers the adapter installs on its bot
 * (`createRedactionTransformer`, `createNetworkRetryTransformer`).
 * Fakes for tests: `@codex-orchestrator/adapter-telegram/testing`.
 */

export type { TelegramAdapter } from './create-telegram-adapter.js';
export { createTelegramAdapter } from './create-telegram-adapter.js';
export type { NetworkRetryOptions } from './network-retry-transformer.js';
export { createNetworkRetryTransformer } from './network-retry-transformer.js';
export { createRedactionTransformer } from './redaction-transformer.js';
export { parseTelegramIdList } from './resolve-telegram-settings.js';
export type { TelegramServiceHandle } from './service-bridge.js';
export { splitTelegramText, telegramMessageLimit } from './split-telegram-text.js';
export { telegramTaskId } from './task-tracker.js';
export type { TelegramAdapterLogger } from './telegram-adapter-logger.js';
export type { TelegramAdapterSettings } from './telegram-adapter-settings.js';
export type { TelegramConfigurationErrorCode, TelegramErrorCode } from './telegram-error.js';
export { TelegramConfigurationError, TelegramError } from './telegram-error.js';
