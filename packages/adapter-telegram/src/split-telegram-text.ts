/** Longest text one Telegram message may carry. */
export const telegramMessageLimit = 4096;

/**
 * Splits text into chunks Telegram accepts (at most `limit` characters each), cutting at line
 * boundaries; a single line longer than `limit` is cut hard (never inside a surrogate pair).
 * Blank-only chunks are dropped, so the result is empty for blank text.
 *
 * @example
 * for (const chunk of splitTelegramText(reportMarkdown)) await api.sendMessage(chatId, chunk);
 */
export function splitTelegramText(text: string, limit: number = telegramMessageLimit): string[] {
  if (!Number.isInteger(limit) || limit < 2) {
    throw new RangeError(`splitTelegramText: limit must be an integer >= 2, got ${limit}`);
  }
  const chunks: string[] = [];
  let current = '';
  const flush = () => {
    if (current.trim().length > 0) chunks.push(current);
    current = '';
  };
  for (const line of text.split('\n')) {
    const candidate = current.length === 0 ? line : `${current}\n${line}`;
    if (candidate.length <= limit) {
      current = candidate;
      continue;
    }
    flush();
    let rest = line;
    while (rest.length > limit) {
      const cut = hardCut(rest, limit);
      current = rest.slice(0, cut);
      flush();
      rest = rest.slice(cut);
    }
    current = rest;
  }
  flush();
  return chunks;
}

/** Index at most `limit` that does not fall between the two halves of a surrogate pair. */
function hardCut(text: string, limit: number): number {
  const code = text.charCodeAt(limit - 1);
  return code >= 0xd800 && code <= 0xdbff ? limit - 1 : limit;
}
