import { type ArgWord, createArgWord, possibleValues } from '../engine/arg-word.js';
import { expansionDenial, pathDenial } from '../engine/check-arguments.js';
import { findPathProblem, findSecretProblem, patternCanSelectSecret } from '../engine/path-check.js';
import type { Denial, InnerCommand, ProgramCheck, ProgramContext } from '../engine/program-context.js';
import { denyResult, NO_EFFECTS, programResult } from '../engine/program-result.js';
import { SHELLS } from './wrappers.js';

/** Tests and actions whose next argument is a pattern, number or format. */
const DATA_ARGUMENT = new Set([
  '-name',
  '-iname',
  '-path',
  '-ipath',
  '-wholename',
  '-iwholename',
  '-regex',
  '-iregex',
  '-lname',
  '-ilname',
  '-type',
  '-xtype',
  '-user',
  '-group',
  '-perm',
  '-size',
  '-mtime',
  '-mmin',
  '-atime',
  '-amin',
  '-ctime',
  '-cmin',
  '-inum',
  '-links',
  '-maxdepth',
  '-mindepth',
  '-uid',
  '-gid',
  '-used',
  '-fstype',
  '-context',
  '-printf',
  '-regextype',
]);

/** Tests whose next argument is a file that find reads (its timestamps or identity). */
const PATH_ARGUMENT = new Set(['-newer', '-anewer', '-cnewer', '-samefile']);
/** Actions that write to the file named by their next argument. */
const WRITE_ARGUMENT = new Set(['-fprint', '-fprint0', '-fls', '-fprintf']);
/** Tests whose pattern selects files by name (0), by whole path (1) or by regex (2). */
const NAME_TESTS: ReadonlyMap<string, number> = new Map([
  ['-name', 0],
  ['-iname', 0],
  ['-path', 1],
  ['-ipath', 1],
  ['-wholename', 1],
  ['-iwholename', 1],
  // A symlink whose target is a secret file: `cat` follows it.
  ['-lname', 1],
  ['-ilname', 1],
  ['-regex', 2],
  ['-iregex', 2],
]);
const EXEC_ACTIONS = new Set(['-exec', '-execdir', '-ok', '-okdir']);

/**
 * `find`: start paths must be inside the worktree, `-fprint` files too, and every `-exec cmd {} ;`
 * is handed back as a command of its own, with `{}` standing for a path inside the worktree.
 */
export const find: ProgramCheck = (argv, context) => {
  const args = argv.slice(1);
  let index = 0;
  while (index < args.length && /^-([HLP]|D|O\d*)$/.test(args[index]!.value)) {
    index += args[index]!.value === '-D' ? 2 : 1;
  }
  // `find -- /start ...`: the start paths follow `--`.
  if (args[index]?.value === '--' && !args[index]!.dynamic) index++;
  for (; index < args.length; index++) {
    const word = args[index]!;
    if (!word.dynamic && /^[-(!),]/.test(word.value)) break;
    const denial = checkPath(word, context, false);
    if (denial) return denyResult(denial);
    if (word.globAtStart) {
      return denyResult({
        ruleId: 'builtin:option-injection',
        reason: `find: the start path \`${word.text}\` can expand to a file name find reads as an expression`,
      });
    }
  }
  const inner: InnerCommand[] = [];
  let writes = false;
  /** A name or path test that can select a secret file (`-name .env`, `-name '*.pem'`). */
  let secretTest: string | undefined;
  for (; index < args.length; index++) {
    const word = args[index]!;
    if (word.dynamic) return denyResult(expansionDenial('find', word.text, 'an expression operator'));
    const text = word.value;
    if (text === '-files0-from') {
      return denyResult({
        ruleId: 'builtin:dangerous-option',
        reason:
          'find -files0-from: reads the start paths from a file the policy cannot see; name the start paths on the command line',
      });
    }
    if (DATA_ARGUMENT.has(text)) {
      const pattern = args[index + 1];
      const test = NAME_TESTS.get(text);
      if (pattern && test !== undefined && secretTest === undefined && selectsSecret(test, text, pattern)) {
        secretTest = `${text} ${pattern.text}`;
      }
      index++;
      continue;
    }
    if (PATH_ARGUMENT.has(text) || WRITE_ARGUMENT.has(text) || /^-newer[amctB]{2}$/.test(text)) {
      const target = args[index + 1];
      if (!target) break;
      const denial = checkPath(target, context, WRITE_ARGUMENT.has(text));
      if (denial) return denyResult(denial);
      // `-samefile .env`, `-newer .env`: a test that compares with a secret file selects it.
      if (!WRITE_ARGUMENT.has(text) && secretTest === undefined) {
        const values = possibleValues(target);
        if (!values || values.some((value) => findSecretProblem(value, target.glob === true) !== undefined)) {
          secretTest = `${text} ${target.text}`;
        }
      }
      // `-fprint list.sh`: file names the script created become the content of a file.
      if (WRITE_ARGUMENT.has(text)) writes = true;
      index += text === '-fprintf' ? 2 : 1;
      continue;
    }
    if (EXEC_ACTIONS.has(text) && secretTest !== undefined) {
      return denyResult({
        ruleId: 'builtin:secret-file',
        reason: `find ${secretTest} ${text}: runs a command on files that usually hold secrets (keys, tokens, passwords), which would put them into the model's context`,
      });
    }
    if (text === '-execdir' || text === '-okdir') {
      return denyResult({
        ruleId: 'builtin:git-location',
        reason: `find ${text} runs the command in the directory of each match, where the policy cannot follow its relative paths (and git would open whatever repository it finds there); use -exec`,
      });
    }
    if (EXEC_ACTIONS.has(text)) {
      const start = index + 1;
      let end = start;
      while (
        end < args.length &&
        !(!args[end]!.dynamic && (args[end]!.value === ';' || args[end]!.value === '+'))
      ) {
        end++;
      }
      const command = args
        .slice(start, end)
        .map((part) => (part.value.includes('{}') ? placeholder(part) : part));
      if (command.length === 0)
        return denyResult({ ruleId: 'builtin:parse-error', reason: `find ${text} without a command` });
      if (SHELLS.has(command[0]!.value)) {
        return denyResult({
          ruleId: 'builtin:wrapper',
          reason: `find ${text} ${command[0]!.value} runs file names as shell code; run a program directly`,
        });
      }
      inner.push({ argv: command, stdin: 'inherited' });
      index = end;
    }
  }
  if (inner.length === 0 && !writes) return NO_EFFECTS;
  return programResult({ inner: inner.length > 0 ? inner : undefined, writesContent: writes || undefined });
};

/**
 * Whether a name, path or regex test can select a secret file. Names and paths match like fnmatch
 * (no leading-dot rule; -i* ignore case); a regex is find's emacs syntax, which JS cannot check, so
 * any regex counts.
 */
function selectsSecret(test: number, option: string, pattern: ArgWord): boolean {
  if (test === 2 || pattern.dynamic) return true;
  return patternCanSelectSecret(pattern.value, test === 1, option.startsWith('-i'));
}

function placeholder(word: ArgWord): ArgWord {
  const match = createArgWord('find-match', word.text, word.pos, word.end);
  match.fromInput = true;
  return match;
}

function checkPath(word: ArgWord, context: ProgramContext, write: boolean): Denial | undefined {
  const values = possibleValues(word);
  if (!values) return expansionDenial('find', word.text, 'a path');
  for (const value of values) {
    const problem = findPathProblem(value, context.directories, { glob: word.glob, write });
    if (problem) return pathDenial('find', problem, write);
  }
  return undefined;
}
