import { possibleValues } from '../engine/arg-word.js';
import { expansionDenial } from '../engine/check-arguments.js';
import { findPathProblem, type RelativeDirectory, resolveDirectory } from '../engine/path-check.js';
import type { ProgramCheck, ProgramResult } from '../engine/program-context.js';
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
export const declaration: ProgramCheck = (argv) => {
  const program = argv[0]!.value;
  const args = argv.slice(1);
  const operands = args.filter((word) => word.dynamic || !word.value.startsWith('-'));
  const options = args
    .filter((word) => !word.dynamic && word.value.startsWith('-'))
    .map((word) => word.value);
  if (options.some((option) => /^-[a-zA-Z]*[fF]/.test(option))) {
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
  if (operands.length === 0 || options.some((option) => /^-[a-zA-Z]*p/.test(option))) {
    if (program === 'local' && operands.length === 0 && options.length === 0) return NO_EFFECTS;
    return dump(`${program} ${options.join(' ')}`.trim());
  }
  for (const word of operands) {
    const name = (word.dynamic ? word.text : word.value).split(/[+]?=/)[0]!;
    if (word.dynamic && !/^[A-Za-z_][A-Za-z0-9_]*[+]?=/.test(word.text)) {
      return denyResult(expansionDenial(program, word.text, 'a variable name'));
    }
    if (isDangerousVariable(name)) return dangerous(program, name);
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
  }
  return NO_EFFECTS;
};

/** `read NAME`, `mapfile NAME`, `printf -v NAME`, `unset NAME`: no dangerous names. */
export const assigningBuiltin: ProgramCheck = (argv) => {
  const program = argv[0]!.value;
  for (const word of argv.slice(1)) {
    if (word.dynamic) continue;
    if (
      /^[A-Za-z_][A-Za-z0-9_]*$/.test(word.value) &&
      isDangerousVariable(word.value) &&
      program !== 'unset'
    ) {
      return dangerous(program, word.value);
    }
  }
  if (program === 'printf') {
    const index = argv.findIndex((word) => word.value === '-v');
    const name = index === -1 ? undefined : argv[index + 1];
    if (name && (name.dynamic || isDangerousVariable(name.value))) return dangerous(program, name.text);
  }
  return NO_EFFECTS;
};

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
  return denyResult({
    ruleId: 'builtin:dangerous-variable',
    reason: `${program} ${name}: setting ${name} can change which programs run or what they load`,
  });
}
