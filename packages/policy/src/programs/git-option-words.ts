import { abbreviates, type ScannedArgument } from '../engine/option-scan.js';

/**
 * Small readers of git's option words, shared by the per-class git checks. git's parse-options
 * accepts any unique prefix of a long option (`--refm=x`), attached (`--x=v`) or separate values,
 * and short bundles (`-fu`).
 */

/** Whether `text` (`--abc`, `--abc=v`) names the long option `option` or a prefix of it. */
export function namesLong(text: string, option: string): boolean {
  return text.startsWith('--') && abbreviates(text, option);
}

/** Whether the short bundle `text` holds `letter` before any letter of `valueLetters`. */
export function bundleHas(text: string, letter: string, valueLetters = ''): boolean {
  if (text.length < 2 || text.charCodeAt(0) !== 45 || text.charCodeAt(1) === 45) return false;
  for (let at = 1; at < text.length; at++) {
    const char = text[at]!;
    if (char === letter) return true;
    if (valueLetters.includes(char)) return false;
  }
  return false;
}

/** The option words of a scan (`--x`, `-abc`). */
export function optionWords(scanned: readonly ScannedArgument[]): string[] {
  const words: string[] = [];
  for (const item of scanned) if (item.role === 'option') words.push(item.word.value);
  return words;
}

/** Whether any option word is `short` (in a bundle) or abbreviates one of `longs`. */
export function hasOption(
  scanned: readonly ScannedArgument[],
  short: string | undefined,
  longs: readonly string[],
  valueLetters = '',
): boolean {
  for (const text of optionWords(scanned)) {
    if (short !== undefined && bundleHas(text, short, valueLetters)) return true;
    for (const long of longs) if (namesLong(text, long)) return true;
  }
  return false;
}

/** The positional words of a scan (after the subcommand). */
export function positionalWords(scanned: readonly ScannedArgument[]): ScannedArgument[] {
  return scanned.filter((item) => item.role === 'positional');
}
