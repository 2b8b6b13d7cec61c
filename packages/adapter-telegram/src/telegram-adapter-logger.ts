import type { Logger } from '@codex-orchestrator/core';

/**
 * Where the adapter reports what it ignored or failed to do (strangers, refused presses, Telegram
 * errors). Every message and detail passes the secret redactor before it reaches the logger.
 */
export type TelegramAdapterLogger = Logger;

/** The default logger: warnings and errors on stderr, prefixed `[adapter-telegram]`; info is silent. */
export const consoleTelegramLogger: TelegramAdapterLogger = {
  info: () => {},
  warn: (message, details) => console.warn(`[adapter-telegram] ${message}`, ...(details ? [details] : [])),
  error: (message, details) => console.error(`[adapter-telegram] ${message}`, ...(details ? [details] : [])),
};

/** Wraps a logger so every message and detail is redacted first. */
export function createRedactingLogger(
  logger: TelegramAdapterLogger,
  redactValue: <T>(value: T) => T,
): TelegramAdapterLogger {
  const wrap = (level: keyof TelegramAdapterLogger) => (message: string, details?: Record<string, unknown>) =>
    details === undefined
      ? logger[level]?.(redactValue(message))
      : logger[level]?.(redactValue(message), redactValue(details));
  return { debug: wrap('debug'), info: wrap('info'), warn: wrap('warn'), error: wrap('error') };
}
