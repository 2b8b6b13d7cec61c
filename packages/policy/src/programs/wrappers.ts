import { type ArgWord, createArgWord, possibleValues } from '../engine/arg-word.js';
import { expansionDenial } from '../engine/check-arguments.js';
import { exportProblem } from '../engine/environment-allowlist.js';
import {
  compileDeniedOptions,
  compileOptionSpec,
  deniedLongOption,
  type OptionSpec,
  scanArguments,
  unknownOption,
} from '../engine/option-scan.js';
import { findPathProblem } from '../engine/path-check.js';
import type { Denial, ProgramCheck, ProgramContext, ProgramResult } from '../engine/program-context.js';
import { denyResult, NO_EFFECTS, programResult } from '../engine/program-result.js';

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
  /**
   * The options that take no value. With `values`, the wrapper's whole option table: any other
   * option is refused, since the policy cannot know what it does (GNU env grew `--argv0`, which
   * makes git run another subcommand than the words show).
   */
  flags?: readonly string[];
}

function wrapper(spec: WrapperSpec): ProgramCheck {
  const scanSpec = compileOptionSpec({ ...spec, optionsFirst: true });
  const denied = new Map(Object.entries(spec.denied ?? {}));
  const leading = spec.leading ?? 0;
  const known = new Set([...Object.keys(spec.values ?? {}), ...(spec.flags ?? []), ...denied.keys()]);
  const valueLetters = Object.keys(spec.values ?? {})
    .filter((name) => name.length === 2)
    .map((name) => name[1])
    .join('');
  return (argv, context) => {
    const program = argv[0]!.value;
    const args = argv.slice(1);
    const scanned = scanArguments(args, scanSpec);
    let commandIndex = args.length;
    let leadingSeen = 0;
    for (const item of scanned) {
      if (item.role === 'option') {
        const unknown = unknownOption(item.word.value, known, valueLetters, spec.longPrefixes === true);
        if (unknown !== undefined) {
          return denyOption(program, unknown, 'is not an option the policy knows for this wrapper');
        }
        const reason = item.option === undefined ? undefined : deniedIn(item.word.value, denied);
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

/** The reason a denied option in `text` (a bundle too: `-ca name`) is refused. */
function deniedIn(text: string, denied: ReadonlyMap<string, string>): string | undefined {
  if (text.startsWith('--')) return denied.get(text.split('=')[0]!);
  for (let at = 1; at < text.length; at++) {
    const reason = denied.get(`-${text[at]}`);
    if (reason) return reason;
  }
  return undefined;
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

const INFO = ['--help', '--version'];

const timeout = wrapper({
  values: { '-s': 'data', '--signal': 'data', '-k': 'data', '--kill-after': 'data' },
  flags: ['--preserve-status', '--foreground', '-v', '--verbose', ...INFO],
  longPrefixes: true,
  leading: 1,
});

const nice = wrapper({
  values: { '-n': 'data', '--adjustment': 'data' },
  flags: INFO,
  longPrefixes: true,
  bareAllowed: true,
});

const nohup = wrapper({ flags: INFO, longPrefixes: true });

const stdbuf = wrapper({
  values: {
    '-i': 'data',
    '-o': 'data',
    '-e': 'data',
    '--input': 'data',
    '--output': 'data',
    '--error': 'data',
  },
  flags: INFO,
  longPrefixes: true,
});

const time = wrapper({
  values: { '-o': 'write', '--output': 'write', '-f': 'data', '--format': 'data' },
  flags: ['-p', '--portability', '-a', '--append', '-v', '--verbose', '-q', '--quiet', '-V', ...INFO],
  longPrefixes: true,
  bareAllowed: true,
});

const builtin = wrapper({});

/** Options that set the program's name (argv[0]): git and busybox run the command that name says. */
const ARGV0 =
  'sets the name the program sees as argv[0], and multi-call programs run the command that name says (`git-push` runs `git push`); run the program under its own name';

const exec = wrapper({
  values: { '-a': 'data' },
  flags: ['-c'],
  denied: { '-a': ARGV0, '-l': ARGV0 },
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

const plainWrapper = wrapper({ flags: ['-p'] });

const ENV_SPLIT = 'splits a string into a command the policy cannot see; write the command directly';
const ENV_CHDIR = 'changes directory for the command; use `cd dir && command`';

/** GNU env's options: the value-taking ones, and every other it has. Anything else is refused. */
const ENV_LONG_VALUES = ['--unset', '--chdir', '--split-string', '--argv0'];
const ENV_LONG = [
  ...ENV_LONG_VALUES,
  '--ignore-environment',
  '--null',
  '--block-signal',
  '--default-signal',
  '--ignore-signal',
  '--list-signal-handling',
  '--debug',
  '--help',
  '--version',
];
const ENV_SHORT = 'i0uCSva';
const ENV_SHORT_VALUES = 'uCSa';

/** Which env option a long word names (`--ch=dir` is `--chdir`), or undefined when none/several. */
function envLongOption(text: string): string | undefined {
  const equals = text.indexOf('=');
  const name = equals === -1 ? text : text.slice(0, equals);
  if (ENV_LONG.includes(name)) return name;
  const matches = ENV_LONG.filter((option) => option.startsWith(name));
  return matches.length === 1 ? matches[0] : undefined;
}

/**
 * `env [-i] [-u NAME] [NAME=VALUE]... command`: assignments checked against the environment
 * allowlist. Options are read as GNU env's getopt_long reads them: bundles (`-iS`), a value
 * attached or in the next word (`-uNAME`, `-u NAME`), and long options by any abbreviation
 * (`--s=...` is `--split-string`, `--ch=dir` is `--chdir`). Options env does not have today are
 * refused: a later env may give them a meaning (coreutils 9.x added `-a/--argv0`).
 */
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
    if (text === '-') continue;
    if (text.startsWith('--')) {
      const option = envLongOption(text);
      if (option === undefined) return denyOption('env', text, 'is not an option env has');
      if (option === '--split-string') return denyOption('env', '--split-string', ENV_SPLIT);
      if (option === '--chdir') return denyOption('env', '--chdir', ENV_CHDIR);
      if (option === '--argv0') return denyOption('env', '--argv0', ARGV0);
      if (option === '--unset' && !text.includes('=')) index++;
      continue;
    }
    if (text.startsWith('-')) {
      for (let at = 1; at < text.length; at++) {
        const letter = text[at]!;
        if (!ENV_SHORT.includes(letter)) return denyOption('env', `-${letter}`, 'is not an option env has');
        if (letter === 'S') return denyOption('env', '-S', ENV_SPLIT);
        if (letter === 'C') return denyOption('env', '-C', ENV_CHDIR);
        if (letter === 'a') return denyOption('env', '-a', ARGV0);
        if (ENV_SHORT_VALUES.includes(letter)) {
          // The rest of the word, or the next word, is the name to unset.
          if (at === text.length - 1) index++;
          break;
        }
      }
      continue;
    }
    break;
  }
  for (; index < args.length; index++) {
    const word = args[index]!;
    const match = /^([A-Za-z_][A-Za-z0-9_]*)=/.exec(word.dynamic ? word.text : word.value);
    if (!match) {
      // env reads any word with `=` as an assignment (`env 'A B=1' cmd`), never as the command.
      if ((word.dynamic ? word.text : word.value).includes('=')) {
        return denyResult({
          ruleId: 'builtin:dangerous-variable',
          reason: `env ${word.text}: not a plain NAME=value assignment`,
        });
      }
      break;
    }
    const name = match[1]!;
    const value = word.dynamic
      ? word.candidates?.map((candidate) => candidate.slice(name.length + 1))
      : [word.value.slice(name.length + 1)];
    const command = args.slice(index + 1).find((next) => !/^[A-Za-z_][A-Za-z0-9_]*=/.test(next.value));
    const inside = (path: string) => findPathProblem(path, context.directories) === undefined;
    const problem = exportProblem(
      'env ',
      name,
      value,
      command && !command.dynamic ? command.value : undefined,
      inside,
      context.settings.environment,
    );
    if (problem) return denyResult(problem);
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
    '-n': 'data',
    '--max-args': 'data',
    '-P': 'data',
    '--max-procs': 'data',
    '-s': 'data',
    '--max-chars': 'data',
    '--process-slot-var': 'data',
  },
  optionalValues: {
    '-e': 'data',
    '--eof': 'data',
    '-i': 'data',
    '--replace': 'data',
    '-l': 'data',
    '--max-lines': 'data',
  },
  flags: [
    '--null',
    '--interactive',
    '--verbose',
    '--exit',
    '--no-run-if-empty',
    '--show-limits',
    '--open-tty',
    '--help',
    '--version',
  ],
  longPrefixes: true,
  optionsFirst: true,
});

const XARGS_DENIED = compileDeniedOptions({
  '--arg-file': 'reads its arguments from a file the policy cannot see',
  '--interactive': 'prompts on a terminal',
});

/** xargs' short options that take a value: in a bundle, the rest of the word is that value. */
const XARGS_SHORT_VALUES = 'adEILnPseil';

/** Whether the bundle `-abc` holds the flag `letter` before any option with a value. */
function bundleHas(text: string, letter: string): boolean {
  for (let at = 1; at < text.length; at++) {
    const char = text[at]!;
    if (char === letter) return true;
    if (XARGS_SHORT_VALUES.includes(char)) return false;
  }
  return false;
}

/**
 * Programs that run a command of their own, so a `--` after their name need not end the options of
 * the command that finally reads the file names (`xargs -0 env -- git branch`).
 */
const RUNS_COMMANDS = new Set([
  'env',
  'timeout',
  'nice',
  'nohup',
  'stdbuf',
  'time',
  'command',
  'builtin',
  'exec',
  'xargs',
  'npx',
  'find',
]);

/**
 * `xargs cmd`: runs `cmd` with arguments read from stdin. Those are only acceptable when stdin is a
 * list of worktree paths (`find ... | xargs`, `git ls-files | xargs`); the wrapped command is then
 * checked with a placeholder for them. A shell as the wrapped command is refused. The list must be
 * split at NUL bytes (`-0`): otherwise xargs splits at blanks and reads quotes, and a file named
 * `q /home/u/.ssh/id_rsa` becomes an absolute path. A file name may also start with `-` and be read
 * as an option, so the command needs `--` before the names, unless every name starts with a
 * literal prefix (`find src ...` prints `src/...`).
 */
const xargs: ProgramCheck = (argv, context) => {
  const args = argv.slice(1);
  const scanned = scanArguments(args, XARGS_SPEC);
  let replace: string | undefined;
  let nul = false;
  let commandIndex = args.length;
  for (const item of scanned) {
    if (item.role === 'option') {
      const option = item.option ?? '';
      const text = item.word.value;
      const long = text.startsWith('--');
      const denied = long ? deniedLongOption(text, XARGS_DENIED) : undefined;
      if (option === '-a' || denied === '--arg-file') {
        return denyInput('reads its arguments from a file the policy cannot see');
      }
      if (denied === '--interactive' || (!long && bundleHas(text, 'p'))) {
        return denyOption('xargs', '-p', 'prompts on a terminal');
      }
      if (long ? option === '--null' : bundleHas(text, '0')) nul = true;
      // A delimiter given later wins over -0 (`xargs -0 -d ' '` splits at blanks again).
      if (option === '-d' || option === '--delimiter') nul = false;
      if (option === '-I') replace = item.inlineValue;
      else if (option === '-i' || option === '--replace') replace = item.inlineValue ?? '{}';
      else if (option === '--process-slot-var' && item.inlineValue !== undefined) {
        const denial = slotVariableDenial(item.inlineValue, context);
        if (denial) return denial;
      }
      continue;
    }
    if (item.role === 'value') {
      if (item.option === '-I') replace = item.word.value;
      else if (item.option === '--process-slot-var') {
        const denial = slotVariableDenial(item.word.value, context);
        if (denial) return denial;
      }
      continue;
    }
    commandIndex = args.indexOf(item.word);
    break;
  }
  // `prefixed-paths`: a path list whose every line starts with a literal prefix (`find src`).
  const stdin: string = context.stdin;
  const prefixed = stdin === 'prefixed-paths';
  if (stdin !== 'worktree-paths' && !prefixed) {
    return denyInput(
      'reads arguments from stdin; only a list of worktree paths (`find ... -print0 | xargs -0`, `git ls-files -z | xargs -0`) can be checked',
    );
  }
  const end = argv[argv.length - 1] ?? argv[0]!;
  let inner: ArgWord[] = args.slice(commandIndex);
  if (inner.length === 0) inner = [createArgWord('echo', 'echo', end.end, end.end)];
  const program = inner[0]!;
  if (SHELLS.has(program.value)) {
    return denyResult({
      ruleId: 'builtin:wrapper',
      reason: 'xargs running a shell executes stdin as code; not allowed',
    });
  }
  if (replace === '') return denyInput('-I needs a replacement string that is not empty');
  if (!nul) {
    return denyInput(
      'without -0 splits file names at blanks and reads quotes in them (a file named `q /home/u/.ssh/id_rsa` becomes the path /home/u/.ssh/id_rsa); use `find ... -print0 | xargs -0 ...` or `git ls-files -z | xargs -0 ...`',
    );
  }
  // Words that start with a file name from the input (the whole word, or `{}.bak` with -I).
  let firstLeading = -1;
  const placed: ArgWord[] = [program];
  for (let index = 1; index < inner.length; index++) {
    const word = inner[index]!;
    if (replace === undefined || !word.value.includes(replace)) {
      placed.push(word);
      continue;
    }
    if (firstLeading === -1 && word.value.startsWith(replace)) firstLeading = index;
    placed.push(inputWord(word, replace));
  }
  if (replace === undefined) {
    firstLeading = placed.length;
    placed.push(inputWord(undefined, undefined, end.end));
  }
  if (firstLeading !== -1 && !prefixed && program.value !== 'echo') {
    let ended = false;
    for (let index = 1; index < firstLeading; index++) {
      const word = placed[index]!;
      if (!word.dynamic && word.value === '--') ended = true;
    }
    if (!ended || RUNS_COMMANDS.has(program.value)) {
      const before = placed
        .slice(0, firstLeading)
        .map((word) => word.text)
        .join(' ');
      const example =
        replace === undefined ? `xargs -0 ${before} --` : `xargs -0 -I${replace} ${before} -- ${replace}`;
      return denyInput(
        `may pass a file name that starts with \`-\` (\`--upload-pack=...\`, \`-D\`), which ${program.value} would read as an option; put \`--\` before the file names (\`${example}\`), or list them with \`find <dir> ... -print0\``,
      );
    }
  }
  return programResult({ inner: [{ argv: placed, stdin: 'data' }] });
};

/**
 * The word standing for file names from the input: `{}` alone, or a word with `{}` inside
 * (`backup/{}`), whose value has `.` in place of the name, the shortest path a name can be, so the
 * path checks see the least depth it can have (`{}/../x` leaves the worktree from `.`).
 */
function inputWord(word: ArgWord | undefined, replace: string | undefined, at = 0): ArgWord {
  if (!word || replace === undefined || word.value === replace) {
    const placeholder = createArgWord('xargs-input', '{}', word?.pos ?? at, word?.end ?? at);
    placeholder.fromInput = true;
    return placeholder;
  }
  return { ...word, value: word.value.split(replace).join('.'), fromInput: true };
}

/** `--process-slot-var=NAME` sets NAME in the environment of every command xargs runs. */
function slotVariableDenial(name: string, context: ProgramContext): ProgramResult | undefined {
  const problem = exportProblem(
    'xargs --process-slot-var ',
    name,
    undefined,
    undefined,
    () => false,
    context.settings.environment,
  );
  return problem ? denyResult(problem) : undefined;
}

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
