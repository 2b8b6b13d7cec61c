import { type ArgWord, possibleValues } from '../engine/arg-word.js';
import {
  argumentChecks,
  checkScannedArguments,
  expansionDenial,
  GLOB_FRIENDLY_ARGUMENTS,
} from '../engine/check-arguments.js';
import {
  type ArgumentKind,
  compileOptionSpec,
  type ScannedArgument,
  scanArguments,
} from '../engine/option-scan.js';
import { patternCanSelectSecret } from '../engine/path-check.js';
import type { Denial, ProgramCheck, ProgramResult } from '../engine/program-context.js';
import { denyResult, NO_EFFECTS } from '../engine/program-result.js';

/** grep reads these values only attached (`--color=always`): `--color .env` names a file. */
const GREP_OPTIONAL_VALUES: Readonly<Record<string, ArgumentKind>> = {
  '--color': 'data',
  '--colour': 'data',
};

const GREP_VALUES: Readonly<Record<string, ArgumentKind>> = {
  '-e': 'data',
  '--regexp': 'data',
  '-f': 'path',
  '--file': 'path',
  '-m': 'data',
  '--max-count': 'data',
  '-A': 'data',
  '--after-context': 'data',
  '-B': 'data',
  '--before-context': 'data',
  '-C': 'data',
  '--context': 'data',
  '--include': 'data',
  '--exclude': 'data',
  '--exclude-dir': 'data',
  '--exclude-from': 'path',
  '--label': 'data',
  '-d': 'data',
  '--directories': 'data',
  '-D': 'data',
  '--devices': 'data',
  '--binary-files': 'data',
  '--group-separator': 'data',
};

const RG_VALUES: Readonly<Record<string, ArgumentKind>> = {
  ...GREP_VALUES,
  // rg reads `--color <WHEN>` with a separate value, grep only `--color=WHEN`.
  '--color': 'data',
  '--colour': 'data',
  '-g': 'data',
  '--glob': 'data',
  '--iglob': 'data',
  '-t': 'data',
  '--type': 'data',
  '-T': 'data',
  '--type-not': 'data',
  '--type-add': 'data',
  '-M': 'data',
  '--max-columns': 'data',
  '-d': 'data',
  '--max-depth': 'data',
  '--ignore-file': 'path',
  '-r': 'data',
  '--replace': 'data',
  '--sort': 'data',
  '--sortr': 'data',
  '--colors': 'data',
  '-j': 'data',
  '--threads': 'data',
  '--engine': 'data',
  '-E': 'data',
  '--encoding': 'data',
  '--max-filesize': 'data',
  '--path-separator': 'data',
  '--context-separator': 'data',
  '--field-match-separator': 'data',
  '--field-context-separator': 'data',
  '--pre-glob': 'data',
  '--pre': 'data',
  '--hostname-bin': 'data',
};

/**
 * `grep`/`rg`: the first operand is the pattern unless `-e`/`-f` gave one; the rest are files that
 * must be inside the worktree (`grep -r x /` and `grep key ~/.ssh/id_rsa` are refused).
 */
function searcher(
  program: string,
  values: Readonly<Record<string, ArgumentKind>>,
  globFriendly: boolean,
  optionalValues?: Readonly<Record<string, ArgumentKind>>,
): ProgramCheck {
  const spec = compileOptionSpec({ values, optionalValues, longPrefixes: true, positionals: 'path' });
  const checks = argumentChecks({ globFriendly });
  return (argv, context) => {
    const first = scanArguments(argv, spec, 1);
    if (program === 'rg') {
      const pre = first.find((item) => item.role === 'option' && item.option === '--pre');
      if (pre) return deny(program, '--pre', 'runs a program on every file');
      // ripgrep 14 runs this program to learn the host name for hyperlinks.
      const hostname = first.find((item) => item.role === 'option' && item.option === '--hostname-bin');
      if (hostname) return deny(program, '--hostname-bin', 'runs a program to find the host name');
    }
    const selection = fileSelectionDenial(program, first);
    if (selection) return denyResult(selection);
    const patternGiven = first.some(
      (item) => item.role === 'option' && ['-e', '--regexp', '-f', '--file'].includes(item.option ?? ''),
    );
    const listOnly =
      program === 'rg' && first.some((item) => item.role === 'option' && item.option === '--files');
    // The first positional is the pattern unless -e/-f gave one (or rg --files lists files).
    if (!patternGiven && !listOnly) {
      const pattern = first.find((item) => item.role === 'positional');
      if (pattern) pattern.kind = 'data';
    }
    const denial = checkScannedArguments(program, first, context, checks);
    return denial ? denyResult(denial) : NO_EFFECTS;
  };
}

/** Options whose value is a glob choosing which files are searched (`--include=*.ts`, `rg -g`). */
const FILE_GLOB_OPTIONS = new Set(['--include', '-g', '--glob', '--iglob']);

/**
 * `--label=../../home/.ssh/id_rsa` makes grep print that name for stdin, which a pipeline then
 * reads as a worktree path; `--include=.env` (or `rg -g .env`) selects a secret file to search.
 */
function fileSelectionDenial(program: string, scanned: readonly ScannedArgument[]): Denial | undefined {
  for (const item of scanned) {
    const option = item.option;
    if (option === undefined || item.role === 'positional') continue;
    if (option === '--label') {
      return {
        ruleId: 'builtin:dangerous-option',
        reason: `${program} ${item.word.text}: --label sets the file name printed for stdin, which later commands would take for a path in the worktree; search the file itself`,
      };
    }
    if (!FILE_GLOB_OPTIONS.has(option)) continue;
    let values: readonly string[] | undefined;
    if (item.role === 'value') values = possibleValues(item.word);
    else if (item.inlineValue === undefined) continue;
    else values = item.word.dynamic ? undefined : [item.inlineValue];
    if (!values) return expansionDenial(program, item.word.text, `the pattern of ${option}`);
    for (const value of values) {
      // rg's `-g '!.env'` excludes files.
      if (option !== '--include' && value.startsWith('!')) continue;
      const wholePath = option !== '--include' && value.includes('/');
      if (patternCanSelectSecret(value, wholePath, option === '--iglob')) {
        return {
          ruleId: 'builtin:secret-file',
          reason: `${program} ${option} ${value}: selects files that usually hold secrets (keys, tokens, passwords), which would put them into the model's context; choose patterns that leave them out`,
        };
      }
    }
  }
  return undefined;
}

/** The check for `grep`, `egrep`, `fgrep`. */
export const grep = searcher('grep', GREP_VALUES, true, GREP_OPTIONAL_VALUES);
/** The check for `rg` (ripgrep); `--pre` runs programs. */
export const rg = searcher('rg', RG_VALUES, false);

/** Operands that are all files. */
const PATH_OPERANDS = compileOptionSpec({ positionals: 'path' });

/** awk's short options that only switch something on (gawk, mawk, busybox). */
const AWK_FLAGS = 'bcCghIkMnNOPrsStV';
/** gawk's long options that only switch something on (or take a harmless `=value`). */
const AWK_LONG_FLAGS = new Set([
  '--characters-as-bytes',
  '--traditional',
  '--copyright',
  '--gen-pot',
  '--help',
  '--usage',
  '--trace',
  '--csv',
  '--lint',
  '--lint-old',
  '--bignum',
  '--non-decimal-data',
  '--use-lc-numeric',
  '--optimize',
  '--no-optimize',
  '--posix',
  '--re-interval',
  '--sandbox',
  '--version',
]);
const AWK_LOADS = 'loads program text from a file the policy cannot see; pass the program inline';
const AWK_OTHER_OPTION =
  'is not an awk option the policy knows (gawk -d/-p/-o write files, -D reads debugger commands, mawk -W exec loads a program); leave it out';
/** Variables that reach files (ARGV, ARGC), the environment or other variables by name. */
const AWK_SPECIAL_VARIABLE = /^(ARGV|ARGC|ENVIRON|PROCINFO|SYMTAB|FUNCTAB)$/;

/** `awk 'program' files`: the program may only compute and print to stdout. */
export const awk: ProgramCheck = (argv, context) => {
  const program = argv[0]!.value;
  const args = argv.slice(1);
  let index = 0;
  let source: string | undefined;
  for (; index < args.length; index++) {
    const word = args[index]!;
    if (word.dynamic) break;
    const text = word.value;
    if (text === '--') {
      index++;
      break;
    }
    if (!text.startsWith('-') || text === '-') break;
    if (text.startsWith('--')) {
      const equals = text.indexOf('=');
      const name = equals === -1 ? text : text.slice(0, equals);
      if (name === '--file' || name === '--exec' || name === '--load' || name === '--include') {
        return deny(program, text, AWK_LOADS);
      }
      if (name === '--source' || name === '--assign' || name === '--field-separator') {
        const value = equals === -1 ? args[++index] : { ...word, value: text.slice(equals + 1) };
        if (!value || value.dynamic)
          return denyResult(expansionDenial(program, value?.text ?? text, `the value of ${name}`));
        if (name === '--source') source = source === undefined ? value.value : `${source}\n${value.value}`;
        if (name === '--assign' && assignsSpecialVariable(value.value))
          return awkDenial(program, ASSIGNS_SPECIAL);
        continue;
      }
      if (!AWK_LONG_FLAGS.has(name)) return deny(program, name, AWK_OTHER_OPTION);
      continue;
    }
    // A bundle of short options: -F, -v and -e take the rest of the word or the next word.
    for (let at = 1; at < text.length; at++) {
      const flag = text[at]!;
      if ('fEil'.includes(flag)) return deny(program, text, AWK_LOADS);
      if (flag === 'L') break;
      if (flag === 'F' || flag === 'v' || flag === 'e') {
        const rest = text.slice(at + 1);
        const value = rest === '' ? args[++index] : { ...word, value: rest };
        if (!value || value.dynamic)
          return denyResult(expansionDenial(program, value?.text ?? text, `the value of -${flag}`));
        if (flag === 'e') source = source === undefined ? value.value : `${source}\n${value.value}`;
        if (flag === 'v' && assignsSpecialVariable(value.value)) return awkDenial(program, ASSIGNS_SPECIAL);
        break;
      }
      if (!AWK_FLAGS.includes(flag)) return deny(program, `-${flag}`, AWK_OTHER_OPTION);
    }
  }
  if (source === undefined) {
    const word = args[index];
    if (!word) return deny(program, '', 'needs a program');
    if (word.dynamic) return denyResult(expansionDenial(program, word.text, 'the awk program'));
    source = word.value;
    index++;
  }
  const problem = findAwkProblem(source);
  if (problem) return awkDenial(program, problem);
  // Operands are files or `name=value` assignments.
  const operands: ArgWord[] = [];
  for (let at = index; at < args.length; at++) {
    const word = args[at]!;
    if (/^[A-Za-z_][A-Za-z0-9_]*=/.test(word.value)) {
      if (assignsSpecialVariable(word.value)) return awkDenial(program, ASSIGNS_SPECIAL);
    } else operands.push(word);
  }
  const denial = checkScannedArguments(
    program,
    scanArguments(operands, PATH_OPERANDS),
    context,
    GLOB_FRIENDLY_ARGUMENTS,
  );
  return denial ? denyResult(denial) : NO_EFFECTS;
};

const ASSIGNS_SPECIAL =
  'assigns ARGV, ARGC, ENVIRON, PROCINFO or SYMTAB, which choose the files awk reads or expose the environment';

function assignsSpecialVariable(assignment: string): boolean {
  const equals = assignment.indexOf('=');
  return AWK_SPECIAL_VARIABLE.test(equals === -1 ? assignment : assignment.slice(0, equals));
}

function awkDenial(program: string, reason: string): ProgramResult {
  return denyResult({
    ruleId: 'builtin:awk-program',
    reason: `${program}: ${reason}; an awk program may only compute and print to stdout`,
  });
}

/** Keywords after which an operand follows, so a `/` starts a regular expression. */
const OPERAND_KEYWORDS = new Set(['print', 'printf', 'return', 'case', 'do', 'else', 'exit', 'in']);
/** Keywords whose parenthesised condition is followed by a statement (which may be `/re/`). */
const CONDITION_KEYWORDS = new Set(['if', 'while', 'for', 'switch']);

const AWK_PROBLEMS: readonly [RegExp, string][] = [
  [/@/, '@load/@include/@namespace and indirect calls (@f()) load or call code'],
  [/\bsystem\b/, 'system() runs a shell command'],
  [/(^|[^|])\|(?!\|)/, 'a pipe (print | "cmd", "cmd" | getline, |&) runs a command'],
  [
    /\bgetline\b(?!\s*(\$?[A-Za-z_][A-Za-z0-9_]*)?\s*([;})\n]|&&|\|\||$))/,
    'getline < file reads a file the policy cannot see',
  ],
  [
    /\b(ENVIRON|PROCINFO|SYMTAB|FUNCTAB)\b/,
    'ENVIRON, PROCINFO and SYMTAB expose environment variables, which may hold secrets',
  ],
  [/\b(ARGV|ARGC)\b/, 'ARGV and ARGC choose the files awk reads (ARGV[1]="/path")'],
  [/\b(close|fflush|extension)\b/, 'close(), fflush() and extension() act on commands, files and libraries'],
];

/**
 * Why an awk program may run commands, touch files other than its operands, or read the
 * environment; undefined when it only computes and prints to stdout. String and regex literals are
 * blanked first (deciding `/` as bash's awk would: a regex where an operand is expected, a
 * division after an operand), so `"a > b"` and `/x|y/` are data while `print > "f"` is not.
 */
export function findAwkProblem(source: string): string | undefined {
  const code = blankLiterals(source);
  if (code.startsWith(PROBLEM)) return code.slice(1);
  for (const [pattern, reason] of AWK_PROBLEMS) if (pattern.test(code)) return reason;
  return printRedirection(code);
}

/** Marks blankLiterals' result as a problem (a NUL never reaches a check: input limits refuse it). */
const PROBLEM = '\0';

/**
 * The program with string literals replaced by `""` and regex literals by `0`, or PROBLEM and the
 * reason when a literal is unterminated or a regex holds `/` inside brackets (awk versions
 * disagree there).
 */
function blankLiterals(source: string): string {
  let out = '';
  let at = 0;
  const length = source.length;
  // Whether the last token ends an operand (then `/` divides).
  let afterOperand = false;
  // Open parentheses; true for the condition of if/while/for (a statement follows its `)`).
  const parens: boolean[] = [];
  let lastWord = '';
  while (at < length) {
    const char = source[at]!;
    if (char === '"') {
      at++;
      while (at < length && source[at] !== '"' && source[at] !== '\n') at += source[at] === '\\' ? 2 : 1;
      if (source[at] !== '"') return `${PROBLEM}has an unterminated string`;
      at++;
      out += '""';
      afterOperand = true;
      lastWord = '';
      continue;
    }
    if (char === '/' && !afterOperand) {
      at++;
      while (at < length && source[at] !== '/' && source[at] !== '\n') {
        if (source[at] === '\\') at += 2;
        else if (source[at] === '[') {
          const close = bracketEnd(source, at);
          if (close === -1)
            return `${PROBLEM}has a regular expression with / inside brackets, which awk versions read differently`;
          at = close + 1;
        } else at++;
      }
      if (source[at] !== '/') return `${PROBLEM}has an unterminated regular expression`;
      at++;
      out += '0';
      afterOperand = true;
      lastWord = '';
      continue;
    }
    if (char === '\\' && source[at + 1] === '\n') {
      out += ' ';
      at += 2;
      continue;
    }
    if (char === ' ' || char === '\t' || char === '\r') {
      out += char;
      at++;
      continue;
    }
    if (/[A-Za-z_]/.test(char)) {
      let end = at + 1;
      while (end < length && /[A-Za-z0-9_]/.test(source[end]!)) end++;
      lastWord = source.slice(at, end);
      out += lastWord;
      at = end;
      afterOperand = !OPERAND_KEYWORDS.has(lastWord) && !CONDITION_KEYWORDS.has(lastWord);
      continue;
    }
    if (/[0-9.]/.test(char)) {
      let end = at + 1;
      while (end < length && /[0-9.eE]/.test(source[end]!)) end++;
      out += source.slice(at, end);
      at = end;
      afterOperand = true;
      lastWord = '';
      continue;
    }
    if ((char === '+' || char === '-') && source[at + 1] === char) {
      // `a++ / 2` divides (a prefix `++/re/` is no valid program).
      out += char + char;
      at += 2;
      afterOperand = true;
      lastWord = '';
      continue;
    }
    out += char;
    at++;
    if (char === '(') parens.push(CONDITION_KEYWORDS.has(lastWord));
    if (char === ')') afterOperand = parens.pop() !== true;
    else if (char === ']') afterOperand = true;
    else afterOperand = false;
    lastWord = '';
  }
  return out;
}

/**
 * Index of the `]` that closes the bracket expression opening at `open` (`[]x]` and `[^]x]`
 * include the first `]`), or -1 when a `/` or a line end comes first.
 */
function bracketEnd(source: string, open: number): number {
  let at = open + 1;
  if (source[at] === '^') at++;
  if (source[at] === ']') at++;
  while (at < source.length) {
    const char = source[at];
    if (char === ']') return at;
    if (char === '/' || char === '\n') return -1;
    at += char === '\\' ? 2 : 1;
  }
  return -1;
}

/** `print ... > file` or `>> file`: a `>` outside parentheses in a print statement redirects. */
function printRedirection(code: string): string | undefined {
  const print = /\bprintf?\b/g;
  for (let match = print.exec(code); match; match = print.exec(code)) {
    let depth = 0;
    for (let at = match.index + match[0].length; at < code.length; at++) {
      const char = code[at];
      if (char === '(' || char === '[') depth++;
      else if (char === ')' || char === ']') depth--;
      else if (depth <= 0 && (char === ';' || char === '\n' || char === '}')) break;
      else if (depth <= 0 && char === '>')
        return 'print > file and print >> file write files; print to stdout and redirect the whole command';
    }
  }
  return undefined;
}

/** `jq 'filter' files`: no `env`/`$ENV` (secrets), no modules, no filter files. */
export const jq: ProgramCheck = (argv, context) => {
  const operands: ArgWord[] = [];
  let filter: string | undefined;
  let optionsDone = false;
  // After --args/--jsonargs, the positionals after the filter are strings, not files.
  let stringArguments = false;
  for (let index = 1; index < argv.length; index++) {
    const word = argv[index]!;
    const text = word.value;
    if (optionsDone || word.dynamic || !text.startsWith('-') || text === '-') {
      if (filter === undefined) {
        if (word.dynamic) return denyResult(expansionDenial('jq', word.text, 'the jq filter'));
        filter = text;
      } else if (!stringArguments) operands.push(word);
      continue;
    }
    if (text === '--') {
      optionsDone = true;
      continue;
    }
    if (text.startsWith('--')) {
      if (text === '--arg' || text === '--argjson') index += 2;
      else if (text === '--rawfile' || text === '--slurpfile' || text === '--argfile') {
        index++;
        const file = argv[++index];
        if (file) operands.push(file);
      } else if (text.startsWith('--from-file') || text.startsWith('--library-path')) {
        return deny('jq', text, JQ_CODE_FILES);
      } else if (text === '--args' || text === '--jsonargs') stringArguments = true;
      else if (text === '--indent') index++;
      continue;
    }
    // jq reads every letter of a bundle (`-nr`); -f and -L (also `-L/dir`) load code from files.
    if (text.includes('f') || text.includes('L')) return deny('jq', text, JQ_CODE_FILES);
  }
  if (
    filter !== undefined &&
    /\$ENV\b|\benv\b|\bimport\b|\binclude\b|\binput_filename\b|\$__prog_args\b|\bmodulemeta\b|\bget_search_list\b/.test(
      filter,
    )
  ) {
    return deny('jq', 'filter', 'reads the environment (may hold secrets) or loads modules');
  }
  const denial = checkScannedArguments(
    'jq',
    scanArguments(operands, PATH_OPERANDS),
    context,
    GLOB_FRIENDLY_ARGUMENTS,
  );
  return denial ? denyResult(denial) : NO_EFFECTS;
};

const JQ_CODE_FILES = 'loads filter code from files the policy cannot see; pass the filter inline';

function deny(program: string, option: string, reason: string): ProgramResult {
  return denyResult({
    ruleId: 'builtin:dangerous-option',
    reason: `${program}${option ? ` ${option}` : ''}: ${reason}`,
  });
}
