/**
 * The message of any thrown value, on one code path for the whole codebase: logs, events, journal
 * records and tool results all describe a failure the same way.
 */

/**
 * Returns the message of `error`: an `Error`'s `message` (its name when the message is empty), a
 * string as is, an object's string `message` field, else `String(error)`. Never throws, even for a
 * value whose `toString` throws.
 *
 * @example
 * try { await run(); } catch (error) { logger.warn(`run failed: ${errorMessage(error)}`); }
 */
export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message === '' ? error.name : error.message;
  if (typeof error === 'string') return error;
  if (typeof error === 'object' && error !== null) {
    const message = (error as { message?: unknown }).message;
    if (typeof message === 'string') return message;
  }
  try {
    return String(error);
  } catch {
    return Object.prototype.toString.call(error);
  }
}
