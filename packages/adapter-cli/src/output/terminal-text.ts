import { sanitizeTerminalText } from '@codex-orchestrator/core/shared';
import cliTruncate from 'cli-truncate';
import stringWidth from 'string-width';

/**
 * Makes untrusted text (from a model, codex or a task source) safe to print on one terminal line,
 * with core's one sanitiser: escape sequences and other control characters are removed, so a
 * hostile string cannot move the cursor, rewrite earlier lines or change the terminal title;
 * whitespace runs (line breaks included) become one space.
 */
export function toTerminalLine(text: string, maxLength = Infinity): string {
  return truncate(sanitizeTerminalText(text, { singleLine: true }), maxLength);
}

/**
 * Cuts `text` to at most `columns` terminal columns, marking the cut with an ellipsis. Columns,
 * not characters: a CJK character or an emoji takes two, a combining mark none, color codes none
 * (what a terminal does; counting characters made a Chinese title twice as wide as its budget).
 */
export function truncate(text: string, columns: number): string {
  if (columns === Infinity || stringWidth(text) <= columns) return text;
  if (columns <= 0) return '';
  // cli-truncate 5 can overshoot by one column when a wide character straddles the limit
  // ("很长的…" cut to 29 gives 30): ask again one column shorter until it fits.
  for (let budget = columns; budget > 0; budget -= 1) {
    const cut = cliTruncate(text, budget, { position: 'end', truncationCharacter: '…' });
    if (stringWidth(cut) <= columns) return cut;
  }
  return '';
}

/** Pads `text` with spaces to `columns` terminal columns (see `truncate`). */
export function padEndColumns(text: string, columns: number): string {
  return text + ' '.repeat(Math.max(0, columns - stringWidth(text)));
}

/** Terminal columns `text` takes (wide characters count two, escape sequences none). */
export function columnsOf(text: string): number {
  return stringWidth(text);
}

/** `1234` → `1.2k`, `2500000` → `2.5M`. */
export function formatTokens(tokens: number): string {
  if (tokens < 1000) return String(tokens);
  if (tokens < 1_000_000) return `${(tokens / 1000).toFixed(1)}k`;
  return `${(tokens / 1_000_000).toFixed(1)}M`;
}

/** `65000` → `1m05s`, `4200` → `4.2s`. */
export function formatDuration(milliseconds: number): string {
  if (milliseconds < 60_000) return `${(milliseconds / 1000).toFixed(1)}s`;
  const minutes = Math.floor(milliseconds / 60_000);
  const seconds = Math.floor((milliseconds % 60_000) / 1000);
  return `${minutes}m${seconds.toString().padStart(2, '0')}s`;
}

/** `/bin/bash -c 'node --test'` (how codex reports its commands) → `node --test`. */
export function unwrapShellCommand(command: string): string {
  const match = /^\/(?:usr\/)?bin\/(?:ba|z)?sh -l?c (['"])([\s\S]*)\1$/.exec(command.trim());
  return match === null ? command : (match[2] as string);
}

/** `/base/task-x/src/a.js` → `src/a.js` for a file of worktree `task-x`. */
export function pathInWorktree(path: string, worktree: string): string {
  const marker = `/${worktree}/`;
  const index = path.lastIndexOf(marker);
  return index === -1 ? path : path.slice(index + marker.length);
}
