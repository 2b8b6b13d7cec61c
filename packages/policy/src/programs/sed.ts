import type { ArgWord } from '../engine/arg-word.js';
import {
  checkScannedArguments,
  expansionDenial,
  GLOB_FRIENDLY_ARGUMENTS,
} from '../engine/check-arguments.js';
import { compileOptionSpec, scanArguments } from '../engine/option-scan.js';
import type { ProgramCheck, ProgramResult } from '../engine/program-context.js';
import { denyResult, NO_EFFECTS, programResult } from '../engine/program-result.js';

/** GNU sed's long options, for getopt_long's abbreviations (`--expr` is `--expression`). */
const LONG_OPTIONS = [
  '--binary',
  '--debug',
  '--expression',
  '--file',
  '--follow-symlinks',
  '--help',
  '--in-place',
  '--line-length',
  '--null-data',
  '--zero-terminated',
  '--quiet',
  '--silent',
  '--posix',
  '--regexp-extended',
  '--sandbox',
  '--separate',
  '--unbuffered',
  '--version',
];

/**
 * `sed`: the script is read and only editing commands are accepted. `e` (and the `s///e` flag)
 * runs shell commands, `r`/`R`/`w`/`W` (and `s///w`) read or write arbitrary files, so they are
 * refused; `sed -f file` is refused because the script is not visible. Options are read the way
 * getopt_long reads them: bundles (`-ne'p'`), attached values (`-e1d`), abbreviations (`--expr`).
 */
export const sed: ProgramCheck = (argv, context) => {
  const args = argv.slice(1);
  const scripts: ArgWord[] = [];
  const operands: ArgWord[] = [];
  let inPlace = false;
  let optionsDone = false;
  for (let index = 0; index < args.length; index++) {
    const word = args[index]!;
    const text = word.value;
    if (optionsDone || word.dynamic || !text.startsWith('-') || text === '-') {
      operands.push(word);
      continue;
    }
    if (text === '--') {
      optionsDone = true;
      continue;
    }
    if (text.startsWith('--')) {
      const equals = text.indexOf('=');
      const name = equals === -1 ? text : text.slice(0, equals);
      const value = equals === -1 ? undefined : text.slice(equals + 1);
      const option = LONG_OPTIONS.includes(name)
        ? name
        : onlyMatch(LONG_OPTIONS.filter((full) => full.startsWith(name)));
      if (option === undefined)
        return deny(name, 'is not an option sed knows (or is ambiguous); spell it out');
      if (option === '--expression') {
        const script = value === undefined ? args[++index] : { ...word, value };
        if (script) scripts.push(script);
      } else if (option === '--file') {
        return deny(name, FILE_SCRIPT);
      } else if (option === '--in-place') {
        inPlace = true;
        if (value?.includes('/')) return deny(text, BACKUP_PATH);
      } else if (option === '--line-length' && value === undefined) index++;
      continue;
    }
    // A bundle of short options; -e, -f and -l take the rest of the word or the next word, -i
    // takes the rest of the word (the backup suffix).
    for (let at = 1; at < text.length; at++) {
      const flag = text[at];
      const rest = text.slice(at + 1);
      if (flag === 'e') {
        const script = rest === '' ? args[++index] : { ...word, value: rest };
        if (script) scripts.push(script);
        break;
      }
      if (flag === 'f') return deny(text, FILE_SCRIPT);
      if (flag === 'l') {
        if (rest === '') index++;
        break;
      }
      if (flag === 'i') {
        inPlace = true;
        if (rest.includes('/')) return deny(text, BACKUP_PATH);
        break;
      }
    }
  }
  if (scripts.length === 0) {
    const script = operands.shift();
    if (!script) return deny('', 'needs a script');
    scripts.push(script);
  }
  for (const script of scripts) {
    if (script.dynamic) return denyResult(expansionDenial('sed', script.text, 'the sed script'));
    const problem = findSedProblem(script.value);
    if (problem) return deny('script', problem);
  }
  const files = scanArguments(operands, inPlace ? WRITE_OPERANDS : PATH_OPERANDS);
  const denial = checkScannedArguments('sed', files, context, GLOB_FRIENDLY_ARGUMENTS);
  if (denial) return denyResult(denial);
  return inPlace ? programResult({ writesContent: true }) : NO_EFFECTS;
};

const FILE_SCRIPT = 'reads its script from a file the policy cannot see; pass it with -e';
const BACKUP_PATH =
  'the backup suffix contains /, so it names a backup path (possibly outside the worktree); use a plain suffix such as -i.bak';

function onlyMatch(matches: readonly string[]): string | undefined {
  return matches.length === 1 ? matches[0] : undefined;
}

const WRITE_OPERANDS = compileOptionSpec({ positionals: 'write' });
const PATH_OPERANDS = compileOptionSpec({ positionals: 'path' });

function deny(option: string, reason: string): ProgramResult {
  return denyResult({
    ruleId: 'builtin:sed-script',
    reason: `sed ${option}: ${reason}`.replace('sed : ', 'sed: '),
  });
}

const SIMPLE_COMMANDS = new Set([
  'p',
  'P',
  'd',
  'D',
  'n',
  'N',
  'g',
  'G',
  'h',
  'H',
  'x',
  '=',
  'l',
  'q',
  'Q',
  'z',
  'F',
]);

/** Why a sed script may run programs or touch files outside its input, or undefined. */
export function findSedProblem(script: string): string | undefined {
  let at = 0;
  const length = script.length;
  const skipBlank = () => {
    while (at < length && /[ \t;\n]/.test(script[at]!)) at++;
  };
  const readDelimited = (delimiter: string): boolean => {
    while (at < length && script[at] !== delimiter) {
      if (script[at] === '\\') at++;
      if (script[at] === '\n' && delimiter !== '\n') return false;
      at++;
    }
    if (at >= length) return false;
    at++;
    return true;
  };
  const readAddress = (): boolean => {
    const char = script[at];
    if (char === undefined) return true;
    if (/[0-9$]/.test(char)) {
      while (at < length && /[0-9$~]/.test(script[at]!)) at++;
      return true;
    }
    if (char === '/') {
      at++;
      if (!readDelimited('/')) return false;
    } else if (char === '\\') {
      const delimiter = script[at + 1];
      if (delimiter === undefined) return false;
      at += 2;
      if (!readDelimited(delimiter)) return false;
    } else return true;
    while (at < length && /[IM]/.test(script[at]!)) at++;
    return true;
  };
  while (true) {
    skipBlank();
    if (at >= length) return undefined;
    if (script[at] === '#') {
      while (at < length && script[at] !== '\n') at++;
      continue;
    }
    if (!readAddress()) return 'has an unterminated address';
    if (script[at] === ',') {
      at++;
      if (script[at] === '+' || script[at] === '~') at++;
      if (!readAddress()) return 'has an unterminated address';
    }
    while (at < length && /[ \t!]/.test(script[at]!)) at++;
    const command = script[at];
    if (command === undefined) return 'ends without a command';
    at++;
    if (command === '{' || command === '}') continue;
    if (SIMPLE_COMMANDS.has(command)) {
      while (at < length && /[0-9 \t]/.test(script[at]!)) at++;
      continue;
    }
    if (command === 'a' || command === 'i' || command === 'c') {
      while (at < length && script[at] !== '\n') {
        if (script[at] === '\\') at++;
        at++;
      }
      continue;
    }
    if (command === ':' || command === 'b' || command === 't' || command === 'T') {
      while (at < length && script[at] !== ';' && script[at] !== '\n') at++;
      continue;
    }
    if (command === 's' || command === 'y') {
      const delimiter = script[at];
      if (delimiter === undefined || delimiter === '\n' || delimiter === '\\')
        return `has a malformed ${command} command`;
      at++;
      if (!readDelimited(delimiter) || !readDelimited(delimiter))
        return `has an unterminated ${command} command`;
      if (command === 'y') continue;
      while (at < length && /[gpiImMe0-9w]/.test(script[at]!)) {
        if (script[at] === 'e') return 'the s///e flag runs the pattern space as a shell command';
        if (script[at] === 'w') return 'the s///w flag writes to a file';
        at++;
      }
      continue;
    }
    if (command === 'e') return 'the e command runs a shell command';
    if (command === 'r' || command === 'R') return `the ${command} command reads a file`;
    if (command === 'w' || command === 'W') return `the ${command} command writes a file`;
    if (command === 'v') continue;
    return `has the unknown command \`${command}\``;
  }
}
