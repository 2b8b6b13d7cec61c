import { BotError, GrammyError, HttpError } from 'grammy';

/**
 * A one-line description of an error that is safe to log: for grammY errors only the method, code
 * and description. `HttpError` wraps the underlying fetch error, whose message can contain the
 * request URL and so the bot token: it is never included.
 */
export function describeTelegramError(error: unknown): string {
  const inner = error instanceof BotError ? error.error : error;
  if (inner instanceof GrammyError) return `Telegram refused ${inner.method}: ${inner.description}`;
  // The message is grammY's own ("Network request for 'sendMessage' failed!"); `inner.error` is not.
  if (inner instanceof HttpError) return `network error: ${inner.message}`;
  if (inner instanceof Error) return `${inner.name}: ${inner.message}`;
  return String(inner);
}

/** True when Telegram refused an edit because nothing changed (harmless; never worth a retry). */
export function isNotModifiedError(error: unknown): boolean {
  return error instanceof GrammyError && error.description.includes('message is not modified');
}

/** True when the message to edit is gone (deleted by the user): send a new one instead. */
export function isMessageGoneError(error: unknown): boolean {
  return (
    error instanceof GrammyError &&
    (error.description.includes('message to edit not found') ||
      error.description.includes("message can't be edited"))
  );
}
