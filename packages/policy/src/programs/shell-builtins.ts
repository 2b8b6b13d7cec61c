import { type ArgWord, createArgWord, possibleValues } from '../engine/arg-word.js';
import { expansionDenial } from '../engine/check-arguments.js';
import { exportProblem } from '../engine/environment-allowlist.js';
import { findPathProblem, type RelativeDirectory, resolveDirectory } from '../engine/path-check.js';
import type { Denial, ProgramCheck, ProgramResult } from '../engine/program-context.js';
import { denyResult, NO_EFFECTS, programResult } from '../engine/program-result.js';
import { isDangerousVariable } from '../engine/variables.js';

/** `cd dir`: only into directories inside the worktree; the walker tracks where the shell is. */
export const cd: ProgramCheck = (argv, context) => {
  const operands = argv.slice(1).filter((word) => word.dynamic || !/^-[LPe@]+$/.test(word.value));
  const target =
    operands[0] && !operands[0].dynamic && operands[0].value === '--' ? operands[1] : operands[0];
  if (!target) return outside('cd without a directory goes to $HOME, outside the worktree');
  const values = possibleValues(target);
  if (!values) return denyResult(expansionDenial('cd', target.text, 'the directory'));
  if (target.glob) return denyResult(expansionDenial('cd', target.text, 'the directory'));
  const directories: RelativeDirectory[] = [];
  for (const value of values) {
    if (value === '-') return outside('cd - returns to a directory the policy cannot see');
    const sibling = /^(?:\.\/)*\.\.\/([A-Za-z0-9][A-Za-z0-9._-]*)(\/.*)?$/.exec(value);
    if (sibling && context.directories.every((directory) => directory.length === 0)) {
      return outside(
        `cd ${value}: to run commands in the worktree \`${sibling[1]}\`, send them with worktree: "${sibling[1]}" (without the cd)`,
      );
    }
    const problem = findPathProblem(value, context.directories);
    if (problem) return outside(`cd: ${problem}`);
    for (const directory of context.directories) {
      const resolved = resolveDirectory(value, directory);
      if (resolved) directories.push(resolved);
    }
  }
  return programResult({ changesDirectory: directories });
};

/** `pushd`/`popd` keep a directory stack the policy does not model. */
export const directoryStack: ProgramCheck = (argv) =>
  outside(`${argv[0]!.value} changes directories in ways the policy cannot follow; use cd`);

/** `export`, `declare`, `local`, ...: no dangerous names, no printing the environment, no functions. */
export const declaration: ProgramCheck = (argv, context) => {
  const program = argv[0]!.value;
  const args = argv.slice(1);
  // Options start with `-` or `+` (`declare +r` lists read-only variables, like `declare -r`).
  const operands = args.filter((word) => word.dynamic || !/^[-+]/.test(word.value));
  const options = args.filter((word) => !word.dynamic && /^[-+]/.test(word.value)).map((word) => word.value);
  if (options.some((option) => /^[-+][a-zA-Z]*[fF]/.test(option))) {
    return denyResult({
      ruleId: 'builtin:function-definition',
      reason: `${program} -f exports or prints functions`,
    });
  }
  if (options.some((option) => /^-[a-zA-Z]*n/.test(option))) {
    return denyResult({
      ruleId: 'builtin:shell-state',
      reason: `${program} -n makes a name refer to another variable (a later assignment could set PATH)`,
    });
  }
  if (operands.length === 0 || options.some((option) => /^[-+][a-zA-Z]*p/.test(option))) {
    return dump(`${program} ${options.join(' ')}`.trim());
  }
  if (options.some((option) => /^-[a-zA-Z]*i/.test(option))) {
    return denyResult({
      ruleId: 'builtin:arithmetic-injection',
      reason: `${program} -i makes every later assignment to the variable an arithmetic expression, which runs any \`$(...)\` an index holds; assign plain values and compute with $((...)) instead`,
    });
  }
  // `export NAME`, `declare -x NAME`: the variable goes into the environment of every later
  // program, so the environment allowlist decides (`export -n` only removes the export).
  const exports =
    (program === 'export' && !options.some((option) => /^-[a-zA-Z]*n/.test(option))) ||
    options.some((option) => /^-[a-zA-Z]*x/.test(option));
  for (const word of operands) {
    const name = (word.dynamic ? word.text : word.value).split(/[+]?=/)[0]!;
    if (word.dynamic && !/^[A-Za-z_][A-Za-z0-9_]*[+]?=/.test(word.text)) {
      return denyResult(expansionDenial(program, word.text, 'a variable name'));
    }
    if (isDangerousVariable(name)) return dangerous(program, name);
    if (!exports) continue;
    const text = word.dynamic ? undefined : word.value;
    const equals = text === undefined ? -1 : text.indexOf('=');
    // `export NAME` exports a value set earlier, which this check does not see.
    const values =
      text === undefined
        ? word.candidates?.map((candidate) => candidate.slice(candidate.indexOf('=') + 1))
        : equals === -1
          ? undefined
          : [text.slice(equals + 1)];
    const problem = exportProblem(
      `${program} ${options.join(' ')}${options.length > 0 ? ' ' : ''}`,
      name,
      values,
      undefined,
      (path) => findPathProblem(path, context.directories) === undefined,
      context.settings.environment,
    );
    if (problem) return denyResult(problem);
  }
  return NO_EFFECTS;
};

/** `set -e`, `set -o pipefail`: options only; bare `set` prints every variable. */
export const set: ProgramCheck = (argv) => {
  const args = argv.slice(1);
  if (args.length === 0) return dump('set');
  for (const word of args) {
    if (word.dynamic) return denyResult(expansionDenial('set', word.text, 'a shell option'));
    if (word.value === '--' || word.value === '-') break;
    if (/^[-+]o$/.test(word.value) && args.length === 1) return dump('set -o');
    // -a (allexport) exports every later assignment, past the environment allowlist.
    const allexport =
      (/^-[A-Za-z]*a/.test(word.value) && !word.value.startsWith('--')) ||
      (word.value === 'allexport' && args.some((other) => other.value === '-o'));
    if (allexport) {
      return denyResult({
        ruleId: 'builtin:shell-state',
        reason:
          'set -a exports every later assignment to the programs the script runs, past the environment allowlist; put the allowed assignments before the command (`CI=1 npm test`)',
      });
    }
    // -k (keyword): `cmd NAME=value` anywhere would put NAME in cmd's environment, past the check
    // of assignments before a command.
    const keyword =
      (/^-[A-Za-z]*k/.test(word.value) && !word.value.startsWith('--')) ||
      (word.value === 'keyword' && args.some((other) => /^[-+]o$/.test(other.value)));
    if (keyword) {
      return denyResult({
        ruleId: 'builtin:shell-state',
        reason:
          'set -k makes assignments anywhere on a command line part of its environment, which the policy cannot follow; put assignments before the command',
      });
    }
  }
  return NO_EFFECTS;
};

/** `read NAME`, `mapfile NAME`, `printf -v NAME`, `unset NAME`: no dangerous names, no callbacks. */
export const assigningBuiltin: ProgramCheck = (argv) => {
  const parsed = variableArguments(argv);
  if (!parsed) return NO_EFFECTS;
  if (parsed.denial) return denyResult(parsed.denial);
  const program = argv[0]!.value;
  for (const word of parsed.assigned) {
    if (word.dynamic) continue;
    const name = variableName(word.value, false);
    if (isDangerousVariable(name)) return denyResult(dangerousName(program, name));
  }
  return NO_EFFECTS;
};

/** What a builtin's arguments say about the variables it sets or inspects by name. */
export interface VariableArguments {
  /** Arguments naming variables the builtin assigns or unsets (`read x`, `declare x=1`). */
  assigned: readonly ArgWord[];
  /** Arguments naming variables it only inspects (`test -v x`). */
  inspected: readonly ArgWord[];
  /** Arguments bash evaluates as arithmetic expressions (`let x=1`). */
  arithmetic: readonly ArgWord[];
  /** Letters of the `-` options of a declaration builtin (`declare -aA` gives `aA`). */
  attributes: string;
  /** True for the declaration builtins, whose operands are `NAME=value` assignments. */
  declares: boolean;
  /** A refusal found in the options (`mapfile -C callback`). */
  denial?: Denial;
}

const NONE: readonly ArgWord[] = Object.freeze([]);
const DECLARATIONS = new Set(['declare', 'typeset', 'local', 'export', 'readonly']);

/**
 * Parses the arguments of a builtin that names variables (`read`, `mapfile`/`readarray`,
 * `printf -v`, `unset`, `declare` and friends, `let`, `test`/`[ -v`, `getopts`, `wait -p`);
 * undefined for any other program. Bash evaluates the index of a name like `a[i]` as arithmetic,
 * so the caller checks every name; option bundles are parsed like getopts does (`-tC cmd`).
 */
export function variableArguments(argv: readonly ArgWord[]): VariableArguments | undefined {
  const program = argv[0]!.value;
  switch (program) {
    case 'read': {
      const { options, operands } = splitOptions(argv, 'adinNptu');
      const assigned = [...operands];
      for (const [letter, argument] of options) if (letter === 'a' && argument) assigned.push(argument);
      return names(assigned);
    }
    case 'mapfile':
    case 'readarray': {
      const { options, operands } = splitOptions(argv, 'dunOCcs');
      if (options.some(([letter]) => letter === 'C')) {
        return {
          ...names(operands),
          denial: {
            ruleId: 'builtin:shell-state',
            reason: `${program} -C runs its argument as a shell command for every few lines read, which the policy cannot check; read the lines first, then run the command on them`,
          },
        };
      }
      return names(operands.slice(0, 1));
    }
    case 'printf': {
      const first = argv[1];
      if (!first || first.dynamic || !first.value.startsWith('-v')) return undefined;
      const { options } = splitOptions(argv, 'v');
      const assigned: ArgWord[] = [];
      for (const [letter, argument] of options) if (letter === 'v' && argument) assigned.push(argument);
      return names(assigned);
    }
    case 'unset':
      return names(splitOptions(argv, '').operands);
    case 'getopts':
      return names(argv.slice(2, 3));
    case 'wait': {
      const assigned: ArgWord[] = [];
      for (const [letter, argument] of splitOptions(argv, 'p').options) {
        if (letter === 'p' && argument) assigned.push(argument);
      }
      return names(assigned);
    }
    case 'test':
    case '[': {
      const inspected: ArgWord[] = [];
      for (let index = 1; index < argv.length - 1; index++) {
        const word = argv[index]!;
        if (!word.dynamic && (word.value === '-v' || word.value === '-R')) inspected.push(argv[index + 1]!);
      }
      return { ...names(NONE), inspected };
    }
    case 'let':
      return { ...names(NONE), arithmetic: argv.slice(1) };
    default: {
      if (!DECLARATIONS.has(program)) return undefined;
      const { options, operands } = splitOptions(argv, '', true);
      let attributes = '';
      for (const [letter, , plus] of options) if (!plus) attributes += letter;
      return { ...names(operands), attributes, declares: true };
    }
  }
}

function names(assigned: readonly ArgWord[]): VariableArguments {
  return { assigned, inspected: NONE, arithmetic: NONE, attributes: '', declares: false };
}

/**
 * Splits arguments the way bash's builtins read options: `-abc` bundles, letters in
 * `takesArgument` take the rest of the bundle or the next word, `--` or the first word that is
 * not an option ends them. A word whose value is not known ends them too (it is then an operand).
 */
function splitOptions(
  argv: readonly ArgWord[],
  takesArgument: string,
  plus = false,
): { options: [letter: string, argument: ArgWord | undefined, plus: boolean][]; operands: ArgWord[] } {
  const options: [string, ArgWord | undefined, boolean][] = [];
  let index = 1;
  for (; index < argv.length; index++) {
    const word = argv[index]!;
    const value = word.value;
    const sign = value[0];
    if (word.dynamic || value.length < 2 || !(sign === '-' || (plus && sign === '+'))) break;
    if (value === '--') {
      index++;
      break;
    }
    for (let at = 1; at < value.length; at++) {
      const letter = value[at]!;
      if (!takesArgument.includes(letter)) {
        options.push([letter, undefined, sign === '+']);
        continue;
      }
      const rest = value.slice(at + 1);
      if (rest !== '') options.push([letter, createArgWord(rest, word.text, word.pos, word.end), false]);
      else {
        index++;
        options.push([letter, argv[index], false]);
      }
      break;
    }
  }
  return { options, operands: argv.slice(index) };
}

/**
 * The variable a name argument refers to, with its index (`a[i]` of `a[i]=1`); `declares`: the
 * argument may be an assignment (`NAME=value`, `NAME+=value`).
 */
export function variableTarget(value: string, declares: boolean): string {
  const bracket = value.indexOf('[');
  const equals = declares ? value.indexOf('=') : -1;
  if (bracket !== -1 && (equals === -1 || bracket < equals)) {
    const close = declares ? value.indexOf(']=', bracket) : -1;
    if (close !== -1) return value.slice(0, close + 1);
    const last = value.lastIndexOf(']');
    return last > bracket ? value.slice(0, last + 1) : value;
  }
  if (equals === -1) return value;
  return value.slice(0, value[equals - 1] === '+' ? equals - 1 : equals);
}

/** The variable's name without an index (`a` of `a[i]=1`). */
export function variableName(value: string, declares: boolean): string {
  const target = variableTarget(value, declares);
  const bracket = target.indexOf('[');
  return bracket === -1 ? target : target.slice(0, bracket);
}

/** Denial for a builtin that would change a variable isDangerousVariable names. */
export function dangerousName(program: string, name: string): Denial {
  return {
    ruleId: 'builtin:dangerous-variable',
    reason: `${program} ${name}: changing ${name} can change which programs run or what they load; leave it as it is`,
  };
}

/** Builtins that change how later commands are found or run, or print the environment. */
export const refusedBuiltin: ProgramCheck = (argv) => {
  const program = argv[0]!.value;
  const reasons: Record<string, [string, string]> = {
    alias: ['builtin:alias', 'aliases can make a denied command look like an allowed one'],
    unalias: ['builtin:alias', 'changes aliases'],
    trap: ['builtin:shell-state', 'trap runs a command string later, which the policy cannot follow'],
    shopt: ['builtin:shell-state', 'shopt changes how bash expands words after the policy checked them'],
    enable: ['builtin:shell-state', 'enable loads or replaces builtins'],
    hash: ['builtin:shell-state', 'hash changes where commands are found'],
    fc: ['builtin:shell-state', 'fc re-runs history through an editor'],
    bind: ['builtin:shell-state', 'bind changes key bindings'],
    complete: ['builtin:shell-state', 'complete registers commands to run'],
    printenv: ['builtin:environment-dump', 'printenv prints the environment, which may hold secrets'],
    compgen: ['builtin:environment-dump', 'compgen lists variables and commands'],
  };
  const [ruleId, reason] = reasons[program] ?? ['builtin:shell-state', `${program} is not allowed`];
  return denyResult({ ruleId, reason });
};

function outside(reason: string): ProgramResult {
  return denyResult({ ruleId: 'builtin:outside-worktree', reason });
}

function dump(what: string): ProgramResult {
  return denyResult({
    ruleId: 'builtin:environment-dump',
    reason: `\`${what}\` prints shell and environment variables, which may hold secrets`,
  });
}

function dangerous(program: string, name: string): ProgramResult {
  return denyResult(dangerousName(program, name));
}
