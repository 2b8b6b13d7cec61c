import {
  argumentChecks,
  checkScannedArguments,
  expansionDenial,
  GLOB_FRIENDLY_ARGUMENTS,
} from '../engine/check-arguments.js';
import { type ArgumentKind, compileOptionSpec, scanArguments } from '../engine/option-scan.js';
import type { ProgramCheck, ProgramResult } from '../engine/program-context.js';
import { denyResult, NO_EFFECTS } from '../engine/program-result.js';

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
  '--color': 'data',
  '--colour': 'data',
};

const RG_VALUES: Readonly<Record<string, ArgumentKind>> = {
  ...GREP_VALUES,
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
};

/**
 * `grep`/`rg`: the first operand is the pattern unless `-e`/`-f` gave one; the rest are files that
 * must be inside the worktree (`grep -r x /` and `grep key ~/.ssh/id_rsa` are refused).
 */
function searcher(
  program: string,
  values: Readonly<Record<string, ArgumentKind>>,
  globFriendly: boolean,
): ProgramCheck {
  const spec = compileOptionSpec({ values, longPrefixes: true, positionals: 'path' });
  const checks = argumentChecks({ globFriendly });
  return (argv, context) => {
    const first = scanArguments(argv, spec, 1);
    if (program === 'rg') {
      const pre = first.find((item) => item.role === 'option' && item.option === '--pre');
      if (pre) return deny(program, '--pre', 'runs a program on every file');
    }
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

/** The check for `grep`, `egrep`, `fgrep`. */
export const grep = searcher('grep', GREP_VALUES, true);
/** The check for `rg` (ripgrep); `--pre` runs programs. */
export const rg = searcher('rg', RG_VALUES, false);

/** Operands that are all files. */
const PATH_OPERANDS = compileOptionSpec({ positionals: 'path' });

const AWK_PROBLEMS: readonly [RegExp, string][] = [
  [/\bsystem\s*\(/, 'system() runs a shell command'],
  [/\bgetline\b/, 'getline reads files or command output'],
  [/\bprintf?\b[^;}]*[|>]/, 'print to a file or a pipe (> >> |) writes files or runs commands'],
  [/\|\s*&/, '|& starts a coprocess'],
  [/\bENVIRON\b|\bPROCINFO\b/, 'ENVIRON exposes environment variables, which may hold secrets'],
  [/@(load|include|namespace)\b/, '@load/@include pull in code from files'],
  [/\bclose\s*\(|\bfflush\s*\(/, 'close()/fflush() act on commands and files'],
];

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
    if (/^-(f|-file|E|-exec|l|-load|i|-include)/.test(text)) {
      return deny(
        program,
        text,
        'loads program text from a file the policy cannot see; pass the program inline',
      );
    }
    if (text === '-e' || text === '--source') {
      const value = args[++index];
      if (!value || value.dynamic)
        return denyResult(expansionDenial(program, value?.text ?? text, 'the awk program'));
      source = (source ?? '') + value.value;
      continue;
    }
    if (text === '-F' || text === '-v' || text === '--assign' || text === '--field-separator') index++;
  }
  if (source === undefined) {
    const word = args[index];
    if (!word) return deny(program, '', 'needs a program');
    if (word.dynamic) return denyResult(expansionDenial(program, word.text, 'the awk program'));
    source = word.value;
    index++;
  }
  for (const [pattern, reason] of AWK_PROBLEMS) {
    if (pattern.test(source))
      return denyResult({ ruleId: 'builtin:awk-program', reason: `${program}: ${reason}` });
  }
  // Operands are files or `name=value` assignments.
  const operands = args.slice(index).filter((word) => !/^[A-Za-z_][A-Za-z0-9_]*=/.test(word.value));
  const denial = checkScannedArguments(
    program,
    scanArguments(operands, PATH_OPERANDS),
    context,
    GLOB_FRIENDLY_ARGUMENTS,
  );
  return denial ? denyResult(denial) : NO_EFFECTS;
};

/** `jq 'filter' files`: no `env`/`$ENV` (secrets), no modules, no filter files. */
export const jq: ProgramCheck = (argv, context) => {
  const args = argv.slice(1);
  const operands = [];
  let filter: string | undefined;
  for (let index = 0; index < args.length; index++) {
    const word = args[index]!;
    const text = word.value;
    if (word.dynamic || !text.startsWith('-') || text === '-') {
      if (filter === undefined) {
        if (word.dynamic) return denyResult(expansionDenial('jq', word.text, 'the jq filter'));
        filter = text;
      } else operands.push(word);
      continue;
    }
    if (text === '--arg' || text === '--argjson') index += 2;
    else if (text === '--rawfile' || text === '--slurpfile') {
      index++;
      const file = args[++index];
      if (file) operands.push(file);
    } else if (text === '-f' || text === '--from-file' || text === '-L') {
      return deny('jq', text, 'loads filter code from files the policy cannot see');
    } else if (text === '--args' || text === '--jsonargs') break;
    else if (text === '--indent') index++;
  }
  if (
    filter !== undefined &&
    /\$ENV\b|\benv\b|\bimport\b|\binclude\b|\binput_filename\b|\$__prog_args\b/.test(filter)
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

function deny(program: string, option: string, reason: string): ProgramResult {
  return denyResult({
    ruleId: 'builtin:dangerous-option',
    reason: `${program}${option ? ` ${option}` : ''}: ${reason}`,
  });
}
