/**
 * Where the adapter reports what it ignored or failed to do (strangers, refused presses, Telegram
 * errors). Every message and detail passes the secret redactor before it reaches the logger.
 */
export interface TelegramAdapterLogger {
  info(message: string, details?: Record<string, unknown>): void;
  warn(message: string, details?: Record<string, unknown>): void;
  error(message: string, details?: Record<string, unknown>): void;
}

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
      ? logger[level](redactValue(message))
      : logger[level](redactValue(message), redactValue(details));
  return { info: wrap('info'), warn: wrap('warn'), error: wrap('error') };
}
