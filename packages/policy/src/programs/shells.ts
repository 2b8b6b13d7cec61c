import { possibleValues } from '../engine/arg-word.js';
import { expansionDenial, pathDenial } from '../engine/check-arguments.js';
import { findPathProblem } from '../engine/path-check.js';
import type { ProgramCheck, ProgramResult } from '../engine/program-context.js';
import { denyResult, NO_EFFECTS, programResult } from '../engine/program-result.js';
import { isVenvActivate } from '../engine/worktree-program.js';
import { deviceDenial } from './spec-check.js';

/**
 * `bash -c 'script'`, `sh -c`, `dash -c` and `eval`: the string is parsed and checked like the
 * outer command. A shell reading its script from stdin (`... | bash`, `bash -s`, `bash <<EOF`)
 * is refused: that script is data the policy never sees as commands.
 */
export const shell: ProgramCheck = (argv, context) => {
  const program = argv[0]!.value;
  const args = argv.slice(1);
  let commandString = false;
  let index = 0;
  for (; index < args.length; index++) {
    const word = args[index]!;
    if (word.dynamic) {
      // A word whose every value is a path (`<(...)` is /dev/fd/63) is the script file.
      if (word.candidates?.every((value) => !/^[-+]/.test(value))) break;
      return denyResult(expansionDenial(program, word.text, 'a shell option'));
    }
    const text = word.value;
    if (text === '--' || text === '-') {
      index++;
      break;
    }
    if (text === '--rcfile' || text === '--init-file') {
      return deny(program, `${text} runs a startup file; not allowed`);
    }
    if (text.startsWith('--')) continue;
    if (/^[-+][a-zA-Z]+$/.test(text)) {
      if (text.startsWith('-') && text.includes('c')) commandString = true;
      if (text.startsWith('-') && text.includes('s')) {
        return stdinScript(program);
      }
      // Letters are options in order; each `o`/`O` takes the next word (`-euo pipefail`, `-co x`).
      for (let at = 1; at < text.length; at++) {
        const letter = text[at]!;
        if (letter === 'O') {
          return deny(
            program,
            `${text} sets shopt options (dotglob, nocaseglob, extglob, ...), which change what globs match; run the command without them`,
          );
        }
        const denied = DENIED_OPTION_LETTERS[letter];
        if (denied) return deny(program, `${text[0]}${letter} ${denied}; run the command without it`);
        if (letter !== 'o') continue;
        const value = args[++index];
        if (!value || value.dynamic) {
          return deny(
            program,
            `${text} without a plain option name; name a set option (pipefail, errexit, ...)`,
          );
        }
        if (!HARMLESS_SET_OPTIONS.has(value.value)) {
          return deny(
            program,
            `${text} ${value.value} is not a harmless set option (only ${[...HARMLESS_SET_OPTIONS].join(', ')}); options that change globbing, expansion or how words are read are refused`,
          );
        }
      }
      continue;
    }
    break;
  }
  const rest = args.slice(index);
  if (commandString) {
    const script = rest[0];
    if (!script) return deny(program, '-c without a command string');
    if (script.dynamic) return denyResult(expansionDenial(program, script.text, 'the -c command string'));
    return programResult({ script: script.value });
  }
  const file = rest[0];
  if (!file) return stdinScript(program);
  // `bash /dev/stdin <<< ...`, `bash /dev/fd/3`, `bash <(...)`: the script is data after all.
  const device = deviceDenial(program, file, 'script');
  if (device) return denyResult(device);
  const values = possibleValues(file);
  if (!values) return denyResult(expansionDenial(program, file.text, 'a script path'));
  for (const value of values) {
    const problem = findPathProblem(value, context.directories, { glob: file.glob });
    if (problem) return denyResult(pathDenial(program, problem, false));
  }
  return programResult({ executesFile: true });
};

/** `set -o` options a shell may be started with: they stop, trace or refuse, never change words. */
const HARMLESS_SET_OPTIONS: ReadonlySet<string> = new Set([
  'errexit',
  'errtrace',
  'functrace',
  'nounset',
  'pipefail',
  'xtrace',
  'verbose',
  'noclobber',
  'noexec',
  'notify',
  'hashall',
  'physical',
  'nolog',
  'ignoreeof',
  'interactive-comments',
]);

/**
 * Short options that change how the script's words are read: `-k` (assignments anywhere become
 * environment variables), `-f`/`+f` (globbing), `-B`/`+B` (brace expansion), `-H` (history `!`),
 * `-a` (every variable exported).
 */
const DENIED_OPTION_LETTERS: Readonly<Record<string, string>> = {
  k: 'turns assignments anywhere in a command into environment variables',
  f: 'changes globbing',
  B: 'changes brace expansion',
  H: 'turns on history expansion of `!`',
  a: 'exports every variable',
};

/** `eval word...`: the words, joined by spaces, are parsed and checked as a script. */
export const evalCheck: ProgramCheck = (argv) => {
  const args = argv.slice(1);
  const dynamic = args.find((word) => word.dynamic || word.glob);
  if (dynamic) return denyResult(expansionDenial('eval', dynamic.text, 'code to evaluate'));
  if (args.length === 0) return NO_EFFECTS;
  return programResult({ script: args.map((word) => word.value).join(' ') });
};

/** `source file` / `. file` run a file's commands in this shell; the policy cannot see them. */
export const sourceCheck: ProgramCheck = (argv, context) => {
  // A virtual environment's activate script: worktree code, like running a worktree file.
  const target = argv[1];
  if (argv.length === 2 && target && !target.dynamic && isVenvActivate(target.value, context.directories)) {
    return programResult({ executesFile: true });
  }
  return denyResult({
    ruleId: 'builtin:source',
    reason: `\`${argv[0]!.value}\` runs the commands of a file the policy cannot see; run the commands directly (only \`source .venv/bin/activate\` is allowed)`,
  });
};

/** Shells whose syntax differs from bash; their scripts cannot be checked. */
export const foreignShell: ProgramCheck = (argv) =>
  denyResult({
    ruleId: 'builtin:foreign-shell',
    reason: `\`${argv[0]!.value}\` is not bash-compatible, so its scripts cannot be checked; use bash -c`,
  });

function stdinScript(program: string): ProgramResult {
  return denyResult({
    ruleId: 'builtin:stdin-script',
    reason: `${program} would read its script from stdin (a pipe or here-document), which the policy cannot check; pass the script with -c`,
  });
}

function deny(program: string, reason: string): ProgramResult {
  return denyResult({ ruleId: 'builtin:dangerous-option', reason: `${program}: ${reason}` });
}
