// ANSI escape sequences (CSI, OSC, and two-character escapes) and the remaining control characters.
const escapeSequence = /\u001b(?:\[[0-?]*[ -/]*[@-~]|\][^\u0007\u001b]*(?:\u0007|\u001b\\)?|[@-Z\\-_])/g;
const controlCharacter = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

/**
 * Makes hostile text (task text, model output, file names) safe to print on a terminal: removes
 * escape sequences and control characters, so it cannot move the cursor, recolour or retitle the
 * terminal. With `singleLine`, line breaks and tabs become spaces. Cut to `maxLength` characters.
 */
export function toTerminalText(
  text: string,
  options: { singleLine?: boolean; maxLength?: number } = {},
): string {
  let safe = text.replace(escapeSequence, '').replace(controlCharacter, '');
  if (options.singleLine === true) safe = safe.replace(/\s+/g, ' ').trim();
  const maxLength = options.maxLength ?? 400;
  return safe.length > maxLength ? `${safe.slice(0, maxLength - 1)}…` : safe;
}
