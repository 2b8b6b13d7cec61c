/**
 * The one sanitiser for text that reaches a terminal. Every string from a model, a task source,
 * a repository or codex is hostile: printed raw it could clear the screen, retitle the window,
 * plant an OSC 8 link, rewrite earlier lines with CR, or reorder text with bidi overrides.
 *
 * Hand-written on purpose (security needs exactness): a small state machine over ECMA-48 instead
 * of a regular expression or `strip-ansi`, which only removes well-formed sequences and keeps C1
 * controls, lone ESC, NUL, CR and bidi overrides. What it removes:
 * - CSI (`ESC [` or C1 `0x9B`) with its parameters, intermediates and final byte;
 * - the string sequences OSC (`ESC ]`, `0x9D`; window titles, OSC 8 links, clipboard), DCS
 *   (`ESC P`, `0x90`), SOS (`ESC X`, `0x98`), PM (`ESC ^`, `0x9E`) and APC (`ESC _`, `0x9F`) up to
 *   their terminator (BEL, `ESC \`, `0x9C`) or a CAN/SUB that aborts them; an unterminated one
 *   loses only its introducer, so the rest of the text stays visible (and is cleaned the same way);
 * - other escapes (`ESC c`, `ESC 7`, `ESC ( B`...) and a lone ESC;
 * - every C0 control but line feed (and tab, unless `tabs: 'space'`), DEL, every C1 control; CR is
 *   dropped (CRLF becomes LF), so no text can return to the start of a line and overwrite it;
 * - the bidi embedding, override and isolate controls (U+202A-U+202E, U+2066-U+2069) and the
 *   directional marks U+200E, U+200F, U+061C ("Trojan Source" reordering).
 */

const ESC = 0x1b;
const BEL = 0x07;
const CAN = 0x18;
const SUB = 0x1a;
const C1_ST = 0x9c;
const C1_CSI = 0x9b;

/** C1 introducers (and their 7-bit `ESC x` finals) of string sequences. */
const stringIntroducersC1 = new Set([0x90, 0x98, 0x9d, 0x9e, 0x9f]);
const stringIntroducersEsc = new Set([0x50 /* P */, 0x58 /* X */, 0x5d /* ] */, 0x5e /* ^ */, 0x5f /* _ */]);

function isBidiControl(code: number): boolean {
  return (
    (code >= 0x202a && code <= 0x202e) ||
    (code >= 0x2066 && code <= 0x2069) ||
    code === 0x200e ||
    code === 0x200f ||
    code === 0x061c
  );
}

/** Index just past a CSI whose parameters start at `start`; an invalid byte ends it early. */
function skipControlSequence(text: string, start: number): number {
  let index = start;
  while (index < text.length) {
    const code = text.charCodeAt(index);
    if (code >= 0x20 && code <= 0x3f) {
      index += 1; // parameter (0x30-0x3F) or intermediate (0x20-0x2F) bytes
    } else if (code >= 0x40 && code <= 0x7e) {
      return index + 1; // final byte
    } else {
      return index; // not part of a CSI: the terminal would abort it here, so scan it as text
    }
  }
  return index;
}

/**
 * Index just past the terminator of a string sequence whose payload starts at `start`, or
 * `undefined` when it is never terminated.
 */
function findStringEnd(text: string, start: number): number | undefined {
  for (let index = start; index < text.length; index += 1) {
    const code = text.charCodeAt(index);
    if (code === BEL || code === C1_ST || code === CAN || code === SUB) return index + 1;
    if (code === ESC) return text.charCodeAt(index + 1) === 0x5c /* \ */ ? index + 2 : index;
  }
  return undefined;
}

/** Index just past a non-CSI, non-string escape (`ESC` intermediates* final) starting after ESC. */
function skipEscape(text: string, start: number): number {
  let index = start;
  while (index < text.length) {
    const code = text.charCodeAt(index);
    if (code >= 0x20 && code <= 0x2f) index += 1;
    else if (code >= 0x30 && code <= 0x7e) return index + 1;
    else return index; // a lone ESC (or one before a control): drop just what was read
  }
  return index;
}

/** Options of `sanitizeTerminalText`. */
export interface TerminalTextOptions {
  /** Collapse every run of whitespace (line breaks and tabs included) to one space and trim. */
  singleLine?: boolean;
  /** Tabs kept (default) or turned into one space each. */
  tabs?: 'keep' | 'space';
  /** Cut to this many UTF-16 code units, the cut marked with `…` (default: no limit). */
  maxLength?: number;
}

/**
 * Makes hostile text safe to print on a terminal (see the module comment for what is removed).
 * Line feeds stay (unless `singleLine`), printable text is kept as is.
 *
 * @example
 * stream.write(`${sanitizeTerminalText(report)}\n`);
 * line(`task ${sanitizeTerminalText(task.id, { singleLine: true, maxLength: 60 })}`);
 */
export function sanitizeTerminalText(text: string, options: TerminalTextOptions = {}): string {
  let output = '';
  let copiedFrom = 0;
  let index = 0;
  const drop = (until: number) => {
    output += text.slice(copiedFrom, index);
    index = until;
    copiedFrom = until;
  };
  while (index < text.length) {
    const code = text.charCodeAt(index);
    if (code >= 0x20 && code < 0x7f) {
      index += 1; // printable ASCII: the common case
    } else if (code === 0x0a || (code === 0x09 && options.tabs !== 'space')) {
      index += 1;
    } else if (code === 0x09) {
      drop(index + 1);
      output += ' ';
    } else if (code === ESC) {
      const next = text.charCodeAt(index + 1);
      if (next === 0x5b /* [ */) drop(skipControlSequence(text, index + 2));
      else if (stringIntroducersEsc.has(next)) drop(findStringEnd(text, index + 2) ?? index + 2);
      else drop(skipEscape(text, index + 1));
    } else if (code === C1_CSI) {
      drop(skipControlSequence(text, index + 1));
    } else if (stringIntroducersC1.has(code)) {
      drop(findStringEnd(text, index + 1) ?? index + 1);
    } else if (code < 0x20 || (code >= 0x7f && code <= 0x9f) || isBidiControl(code)) {
      drop(index + 1); // other C0 (NUL, CR, BS, BEL...), DEL, other C1, bidi controls
    } else {
      index += 1;
    }
  }
  output += text.slice(copiedFrom);
  if (options.singleLine === true) output = output.replace(/\s+/g, ' ').trim();
  return options.maxLength === undefined ? output : truncateText(output, options.maxLength);
}

/**
 * `JSON.stringify(value)` that is also inert on a terminal: JSON already escapes C0 controls, and
 * this escapes the rest a terminal could act on (DEL, C1 controls, bidi controls, U+2028/U+2029)
 * as `\uXXXX`, so the text is the same JSON value and prints as plain characters.
 */
export function stringifyForTerminal(value: unknown): string {
  return (JSON.stringify(value) ?? 'null').replace(
    /[\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g,
    (character) => `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/** Cuts `text` to `maxLength` UTF-16 code units, the cut marked with `…`; never splits a surrogate pair. */
export function truncateText(text: string, maxLength: number): string {
  if (text.length <= maxLength) return text;
  if (maxLength <= 1) return text.slice(0, Math.max(0, maxLength));
  let end = maxLength - 1;
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end -= 1;
  return `${text.slice(0, end)}…`;
}
