import { type ArgWord, createArgWord, possibleValues } from '../engine/arg-word.js';
import { expansionDenial } from '../engine/check-arguments.js';
import { compileOptionSpec, type OptionSpec, scanArguments } from '../engine/option-scan.js';
import { findPathProblem } from '../engine/path-check.js';
import type { Denial, ProgramCheck, ProgramContext, ProgramResult } from '../engine/program-context.js';
import { denyResult, NO_EFFECTS, programResult } from '../engine/program-result.js';
import { isDangerousVariable, isHarmlessAssignment } from '../engine/variables.js';

/**
 * Programs that run their arguments as another command. Each check validates the wrapper's own
 * options and hands the wrapped argv back to the walker, which checks it like any command.
 */

interface WrapperSpec extends OptionSpec {
  /** Positionals the wrapper consumes before the command (`timeout DURATION`). */
  leading?: number;
  /** Options refused, with the reason. */
  denied?: Readonly<Record<string, string>>;
  /** Without a command the wrapper only prints (`nice`, `time`); otherwise that is refused. */
  bareAllowed?: boolean;
}

function wrapper(spec: WrapperSpec): ProgramCheck {
  const scanSpec = compileOptionSpec({ ...spec, optionsFirst: true });
  const denied = new Map(Object.entries(spec.denied ?? {}));
  const leading = spec.leading ?? 0;
  return (argv, context) => {
    const program = argv[0]!.value;
    const args = argv.slice(1);
    const scanned = scanArguments(args, scanSpec);
    let commandIndex = args.length;
    let leadingSeen = 0;
    for (const item of scanned) {
      if (item.role === 'option') {
        const reason = item.option === undefined ? undefined : denied.get(item.option);
        if (reason) return denyOption(program, item.option ?? '', reason);
        if (item.inlineValue !== undefined && item.kind !== 'data') {
          const problem = findPathProblem(item.inlineValue, context.directories, {
            write: item.kind === 'write',
          });
          if (problem) return outside(program, problem);
        }
        continue;
      }
      if (item.role === 'value') {
        if (item.kind !== 'data') {
          const problem = pathProblem(item.word, context, item.kind === 'write');
          if (problem) return problem;
        }
        continue;
      }
      if (leadingSeen < leading) {
        leadingSeen++;
        continue;
      }
      commandIndex = args.indexOf(item.word);
      break;
    }
    const inner = args.slice(commandIndex);
    if (inner.length === 0) {
      if (spec.bareAllowed) return NO_EFFECTS;
      return denyResult({
        ruleId: 'builtin:wrapper',
        reason: `${program} without a command to run is not allowed here`,
      });
    }
    return programResult({ inner: [{ argv: inner, stdin: context.stdin }] });
  };
}

function denyOption(program: string, option: string, reason: string): ProgramResult {
  return denyResult({ ruleId: 'builtin:dangerous-option', reason: `${program} ${option}: ${reason}` });
}

function outside(program: string, problem: string): ProgramResult {
  return denyResult({ ruleId: 'builtin:outside-worktree', reason: `${program}: ${problem}` });
}

function pathProblem(word: ArgWord, context: ProgramContext, write: boolean): ProgramResult | undefined {
  const values = possibleValues(word);
  if (!values) return denyResult(expansionDenial('wrapper', word.text, 'a path'));
  for (const value of values) {
    const problem = findPathProblem(value, context.directories, { write, glob: word.glob });
    if (problem) return outside('wrapper', problem);
  }
  return undefined;
}

const timeout = wrapper({
  values: { '-s': 'data', '--signal': 'data', '-k': 'data', '--kill-after': 'data' },
  longPrefixes: true,
  leading: 1,
});

const nice = wrapper({
  values: { '-n': 'data', '--adjustment': 'data' },
  longPrefixes: true,
  bareAllowed: true,
});

const nohup = wrapper({});

const stdbuf = wrapper({
  values: {
    '-i': 'data',
    '-o': 'data',
    '-e': 'data',
    '--input': 'data',
    '--output': 'data',
    '--error': 'data',
  },
});

const time = wrapper({
  values: { '-o': 'write', '--output': 'write', '-f': 'data', '--format': 'data' },
  longPrefixes: true,
  bareAllowed: true,
});

const builtin = wrapper({});

const exec = wrapper({
  values: { '-a': 'data' },
  bareAllowed: true,
});

/** `command -v name` only looks a name up; `command name args` runs it without functions. */
const command: ProgramCheck = (argv, context) => {
  const args = argv.slice(1);
  const lookup = args.findIndex((word) => /^-[pVv]*[Vv][pVv]*$/.test(word.value));
  const firstOperand = args.findIndex((word) => !word.value.startsWith('-'));
  if (lookup !== -1 && (firstOperand === -1 || lookup < firstOperand)) return NO_EFFECTS;
  return plainWrapper(argv, context);
};

const plainWrapper = wrapper({});

/** `env [-i] [-u NAME] [NAME=VALUE]... command`: assignments checked like `NAME=VALUE command`. */
const env: ProgramCheck = (argv, context) => {
  const args = argv.slice(1);
  let index = 0;
  for (; index < args.length; index++) {
    const word = args[index]!;
    const text = word.value;
    if (word.dynamic && !word.candidates)
      return denyResult(expansionDenial('env', word.text, 'an option or assignment'));
    if (text === '--') {
      index++;
      break;
    }
    if (text === '-S' || text.startsWith('--split-string') || /^-[^-]*S/.test(text)) {
      return denyOption(
        'env',
        '-S',
        'splits a string into a command the policy cannot see; write the command directly',
      );
    }
    if (text === '-C' || text.startsWith('--chdir') || /^-[^-]*C/.test(text)) {
      return denyOption('env', '-C', 'changes directory for the command; use `cd dir && command`');
    }
    if (text === '-u' || text === '--unset') {
      index++;
      continue;
    }
    if (text.startsWith('-')) continue;
    break;
  }
  for (; index < args.length; index++) {
    const word = args[index]!;
    const match = /^([A-Za-z_][A-Za-z0-9_]*)=/.exec(word.dynamic ? word.text : word.value);
    if (!match) break;
    const name = match[1]!;
    const value = word.dynamic
      ? word.candidates?.map((candidate) => candidate.slice(name.length + 1))
      : [word.value.slice(name.length + 1)];
    const command = args.slice(index + 1).find((next) => !/^[A-Za-z_][A-Za-z0-9_]*=/.test(next.value));
    const inside = (path: string) => findPathProblem(path, context.directories) === undefined;
    if (
      isDangerousVariable(name) &&
      !isHarmlessAssignment(name, value, command && !command.dynamic ? command.value : undefined, inside)
    ) {
      return denyResult({
        ruleId: 'builtin:dangerous-variable',
        reason: `env ${name}=...: setting ${name} can change which programs run or what they load`,
      });
    }
  }
  const inner = args.slice(index);
  if (inner.length === 0) {
    return denyResult({
      ruleId: 'builtin:environment-dump',
      reason: 'env without a command prints the whole environment, which may hold secrets',
    });
  }
  return programResult({ inner: [{ argv: inner, stdin: context.stdin }] });
};

const XARGS_SPEC = compileOptionSpec({
  values: {
    '-a': 'path',
    '--arg-file': 'path',
    '-d': 'data',
    '--delimiter': 'data',
    '-E': 'data',
    '-I': 'data',
    '-L': 'data',
    '--max-lines': 'data',
    '-n': 'data',
    '--max-args': 'data',
    '-P': 'data',
    '--max-procs': 'data',
    '-s': 'data',
    '--max-chars': 'data',
    '--process-slot-var': 'data',
  },
  optionsFirst: true,
});

/**
 * `xargs cmd`: runs `cmd` with arguments read from stdin. Those are only acceptable when stdin is a
 * list of worktree paths (`find ... | xargs`, `git ls-files | xargs`); the wrapped command is then
 * checked with a placeholder for them. A shell as the wrapped command is refused.
 */
const xargs: ProgramCheck = (argv, context) => {
  const args = argv.slice(1);
  const scanned = scanArguments(args, XARGS_SPEC);
  let replace: string | undefined;
  let commandIndex = args.length;
  for (const item of scanned) {
    if (item.role === 'option') {
      const option = item.option ?? '';
      if (option === '-a' || option === '--arg-file') {
        return denyInput('reads its arguments from a file the policy cannot see');
      }
      if (option === '-I') replace = item.inlineValue;
      else if (option.startsWith('-i') || option.startsWith('--replace')) replace = item.inlineValue ?? '{}';
      else if (option === '--interactive' || /^-[^-]*p/.test(item.word.value)) {
        return denyOption('xargs', '-p', 'prompts on a terminal');
      }
      continue;
    }
    if (item.role === 'value') {
      if (item.option === '-I') replace = item.word.value;
      continue;
    }
    commandIndex = args.indexOf(item.word);
    break;
  }
  if (context.stdin !== 'worktree-paths') {
    return denyInput(
      'reads arguments from stdin; only a list of worktree paths (`find ... | xargs`, `git ls-files | xargs`) can be checked',
    );
  }
  const end = argv[argv.length - 1] ?? argv[0]!;
  const placeholder: ArgWord = {
    value: 'xargs-input',
    text: '{}',
    pos: end.end,
    end: end.end,
    fromInput: true,
  };
  let inner: ArgWord[] = args.slice(commandIndex);
  if (inner.length === 0) inner = [createArgWord('echo', 'echo', end.end, end.end)];
  if (SHELLS.has(inner[0]!.value)) {
    return denyResult({
      ruleId: 'builtin:wrapper',
      reason: 'xargs running a shell executes stdin as code; not allowed',
    });
  }
  inner = replace
    ? inner.map((word) =>
        word.value.includes(replace) ? { ...placeholder, pos: word.pos, end: word.end } : word,
      )
    : [...inner, placeholder];
  return programResult({ inner: [{ argv: inner, stdin: 'data' }] });
};

function denyInput(reason: string): ProgramResult {
  const denial: Denial = { ruleId: 'builtin:xargs-input', reason: `xargs ${reason}` };
  return denyResult(denial);
}

/** Shells whose `-c` string or stdin would be run as code. */
export const SHELLS = new Set([
  'bash',
  'sh',
  'dash',
  'zsh',
  'ksh',
  'mksh',
  'fish',
  'csh',
  'tcsh',
  'ash',
  'busybox',
]);

/** Checks of the wrapper programs, by name. */
export const wrapperChecks: ReadonlyMap<string, ProgramCheck> = new Map([
  ['env', env],
  ['timeout', timeout],
  ['nice', nice],
  ['nohup', nohup],
  ['stdbuf', stdbuf],
  ['time', time],
  ['command', command],
  ['builtin', builtin],
  ['exec', exec],
  ['xargs', xargs],
]);
