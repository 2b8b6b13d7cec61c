import { type ArgWord, dependsOnExpansion } from './arg-word.js';
import type { Denial } from './program-context.js';

/**
 * Command names are matched literally: a name built by expansion, given as a path, or spelled with
 * characters outside printable ASCII (look-alike letters, invisible spaces) is refused.
 */
export function checkCommandName(word: ArgWord): Denial | undefined {
  if (dependsOnExpansion(word)) {
    return {
      ruleId: 'builtin:expansion',
      reason: `the command name \`${word.text}\` depends on expansion (variables, substitution, globs, braces or $'..' quoting); write the program name literally`,
    };
  }
  const name = word.value;
  if (name === '') return { ruleId: 'builtin:command-name', reason: 'the command name is empty' };
  // One pass: printable ASCII other than space, and no `/`, is the only accepted spelling.
  let printable = true;
  let slash = false;
  for (let index = 0; index < name.length; index++) {
    const code = name.charCodeAt(index);
    if (code === SLASH) slash = true;
    else if (code < 0x21 || code > 0x7e) printable = false;
  }
  if (slash) {
    return {
      ruleId: 'builtin:command-path',
      reason: `\`${name}\` names a program by path; run allowed programs by their plain name (e.g. \`${name.split('/').pop() || name}\`)`,
    };
  }
  if (!printable) {
    return {
      ruleId: 'builtin:command-name',
      reason: `the command name \`${JSON.stringify(name).slice(1, -1)}\` contains characters outside printable ASCII (look-alike letters or invisible spaces)`,
    };
  }
  return undefined;
}

const SLASH = 47;
