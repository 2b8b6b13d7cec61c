import { type ArgWord, possibleValues } from '../engine/arg-word.js';
import {
  checkScannedArguments,
  expansionDenial,
  GLOB_FRIENDLY_ARGUMENTS,
  pathDenial,
} from '../engine/check-arguments.js';
import { compileOptionSpec, type ScannedArgument, scanArguments } from '../engine/option-scan.js';
import { findPathProblem } from '../engine/path-check.js';
import type { Denial, ProgramCheck, ProgramContext, ProgramResult } from '../engine/program-context.js';
import { denyResult, NO_EFFECTS, programResult } from '../engine/program-result.js';
import { unittestDenial } from './python-unittest.js';
import { pythonXOptionDenial } from './python-x-options.js';
import { deviceDenial, isDevicePath, stdinScriptDenial } from './spec-check.js';

/**
 * Language runtimes. Running a file in the worktree is allowed (it is the project's own code, see
 * the README's limits); code given on the command line (`node -e`, `python -c`) or read from stdin
 * (`-`, `/dev/stdin`, `/dev/fd/N`, `<(...)`) is refused, because it lets any command hide inside a
 * string.
 */

const INLINE_CODE =
  'runs code given on the command line; put the code in a file in the worktree and run that';

const NODE_DENIED: Readonly<Record<string, string>> = {
  '-e': INLINE_CODE,
  '--eval': INLINE_CODE,
  '-p': INLINE_CODE,
  '--print': INLINE_CODE,
  '-i': 'starts an interactive REPL',
  '--interactive': 'starts an interactive REPL',
  '-r': 'preloads a module before the script; run the module directly',
  '--require': 'preloads a module before the script; run the module directly',
  '--import': 'preloads a module (which may be a data: URL with inline code)',
  '--loader': 'installs a module loader (which may be a data: URL with inline code)',
  '--experimental-loader': 'installs a module loader (which may be a data: URL with inline code)',
  '--inspect': 'opens a debugger port that accepts code',
  '--inspect-brk': 'opens a debugger port that accepts code',
  '--inspect-wait': 'opens a debugger port that accepts code',
  '--inspect-port': 'opens a debugger port that accepts code',
  '--env-file': 'loads variables (NODE_OPTIONS, PATH, ...) from a file',
  '--env-file-if-exists': 'loads variables (NODE_OPTIONS, PATH, ...) from a file',
};

const NODE_VALUES = {
  '--test-reporter': 'data',
  '--test-reporter-destination': 'write',
  '--test-name-pattern': 'data',
  '--test-skip-pattern': 'data',
  '--test-concurrency': 'data',
  '--test-timeout': 'data',
  '--input-type': 'data',
  '--stack-size': 'data',
  '--max-old-space-size': 'data',
  '--conditions': 'data',
  '-C': 'data',
  '--run': 'data',
  '--title': 'data',
  '--redirect-warnings': 'write',
  '--cpu-prof-dir': 'write',
  '--heap-prof-dir': 'write',
  '--diagnostic-dir': 'write',
  '--report-directory': 'write',
} as const;

/** node's built-in test reporters; any other `--test-reporter` value is a module that is loaded. */
const NODE_TEST_REPORTERS = new Set(['spec', 'tap', 'dot', 'junit', 'lcov']);

/** `node file.js args`, `node --test`, `node --version`; not `-e`, `-p`, `-r`, stdin scripts. */
const nodeRuntime = runtime({
  denied: NODE_DENIED,
  values: NODE_VALUES,
  noScriptFlags: ['--test', '--run', '-v', '--version', '-h', '--help', '-c', '--check', '--v8-options'],
});

/**
 * `node file.js`; `node inspect` is node's debugger client, not a file: `node inspect -p PID`
 * attaches to any node process of the user (the orchestrator's own) and evaluates code in it.
 */
export const node: ProgramCheck = (argv, context) => {
  const first = argv.find((word, index) => index > 0 && !word.value.startsWith('-'));
  if (first && !first.dynamic && first.value === 'inspect') {
    return denyResult({
      ruleId: 'builtin:inline-code',
      reason:
        'node inspect is the debugger client (`-p PID` attaches to any node process and runs code there); run the file with node, or its tests',
    });
  }
  return nodeRuntime(argv, context);
};

/** `tsx file.ts`, `ts-node file.ts`: node-compatible runners with the same refusals. */
export const tsRunner = runtime({
  denied: { ...NODE_DENIED, '--tsconfig': 'loads a config the policy cannot see' },
  values: NODE_VALUES,
  noScriptFlags: ['-v', '--version', '-h', '--help', '--test'],
});

/** Python modules that are plain tools; `python -m <tool>` is checked as the tool itself. */
const PYTHON_TOOL_MODULES = new Set([
  'pytest',
  'pip',
  'mypy',
  'black',
  'ruff',
  'flake8',
  'pylint',
  'isort',
  'coverage',
]);
/** Modules that only compile or format files (`timeit`, `code`, `pdb`, ... run code: not here). */
const PYTHON_FILE_MODULES = new Set(['compileall', 'py_compile', 'tabnanny']);

/** Python's short options that take a value, attached (`-mpytest`) or as the next word. */
const PYTHON_VALUE_OPTIONS = 'cmWX';

/**
 * `python file.py`, `python -m pytest`; not `-c`, `-i`, stdin scripts or arbitrary modules. Short
 * options bundle as in CPython (`-Im code` is `-I -m code`).
 */
export const python: ProgramCheck = (argv, context) => {
  const program = argv[0]!.value;
  let informational = false;
  for (let index = 1; index < argv.length; index++) {
    const word = argv[index]!;
    if (word.dynamic) return runScript(program, word, context);
    const text = word.value;
    if (text === '-') return denyStdin(program);
    if (text === '--') {
      const script = argv[index + 1];
      return script ? runScript(program, script, context) : denyStdin(program);
    }
    if (text.startsWith('--')) {
      if (text === '--version' || text.startsWith('--help')) informational = true;
      if (text === '--check-hash-based-pycs') index++;
      continue;
    }
    if (!text.startsWith('-')) return runScript(program, word, context);
    for (let at = 1; at < text.length; at++) {
      const flag = text[at]!;
      if (flag === 'i') return denyCode(program, text, 'starts an interactive interpreter');
      if (flag === 'h' || flag === '?' || flag === 'V') informational = true;
      if (!PYTHON_VALUE_OPTIONS.includes(flag)) continue;
      if (flag === 'c') return denyCode(program, text, INLINE_CODE);
      const attached = at + 1 < text.length;
      const valueWord = attached ? word : argv[++index];
      if (!valueWord) return denyCode(program, `-${flag}`, 'needs a value');
      if (valueWord.dynamic)
        return denyResult(expansionDenial(program, valueWord.text, `the value of -${flag}`));
      const value = attached ? text.slice(at + 1) : valueWord.value;
      if (flag === 'm') return runModule(program, value, valueWord, argv.slice(index + 1), context);
      if (flag === 'X') {
        const denial = pythonXOptionDenial(program, value, context);
        if (denial) return denyResult(denial);
      }
      break;
    }
  }
  return informational ? NO_EFFECTS : denyStdin(program);
};

/** A script file: inside the worktree, and not stdin, a device or a process substitution. */
function runScript(program: string, word: ArgWord, context: ProgramContext): ProgramResult {
  const device = deviceDenial(program, word, 'script');
  if (device) return denyResult(device);
  if (word.dynamic && !word.candidates)
    return denyResult(expansionDenial(program, word.text, 'an interpreter option or script'));
  const deny = checkScannedArguments(program, scanArguments([word], PATH_OPERANDS), context);
  return deny ? denyResult(deny) : EXECUTES_FILE;
}

/** `python -m module args` (also `coverage run -m module args`): tools, unittest, doctest, ... */
export function pythonModule(
  program: string,
  moduleWord: ArgWord,
  rest: readonly ArgWord[],
  context: ProgramContext,
): ProgramResult {
  return runModule(program, moduleWord.value, moduleWord, rest, context);
}

/**
 * `python -m` puts the current directory first on sys.path, so a `pip.py`, `venv.py` or
 * `json/__init__.py` in the worktree runs instead of the module: every module run executes
 * worktree code (and a write earlier in the script refuses it).
 */
function runModule(
  program: string,
  module: string,
  moduleWord: ArgWord,
  rest: readonly ArgWord[],
  context: ProgramContext,
): ProgramResult {
  if (PYTHON_TOOL_MODULES.has(module)) {
    return programResult({
      inner: [{ argv: [{ ...moduleWord, value: module }, ...rest], stdin: context.stdin }],
      executesFile: true,
    });
  }
  let deny: Denial | undefined;
  let result: ProgramResult = EXECUTES_FILE;
  if (module === 'unittest') {
    deny = unittestDenial(program, rest, context);
  } else if (module === 'doctest') {
    // Every file is run: a `.py` file is imported, any other file's examples are executed.
    for (const word of rest) deny ??= deviceDenial(program, word, 'file');
  } else if (module === 'json.tool' || module === 'venv') {
    const scanned = scanArguments(rest, module === 'venv' ? VENV_OPERANDS : JSON_TOOL_OPERANDS);
    deny = checkScannedArguments(program, scanned, context, GLOB_FRIENDLY_ARGUMENTS);
    // `json.tool in out` writes its input, reformatted, to `out`.
    if (module === 'json.tool' && scanned.some((item) => item.kind === 'write')) {
      result = EXECUTES_AND_WRITES;
    }
    return deny ? denyResult(deny) : result;
  } else if (!PYTHON_FILE_MODULES.has(module)) {
    return denyCode(
      program,
      `-m ${module}`,
      'runs a module that is not a known tool (pytest, unittest, pip, ...); run a file in the worktree',
    );
  }
  deny ??= checkScannedArguments(
    program,
    scanArguments(rest, PATH_OPERANDS),
    context,
    GLOB_FRIENDLY_ARGUMENTS,
  );
  return deny ? denyResult(deny) : result;
}

interface RuntimeSpec {
  denied: Readonly<Record<string, string>>;
  values: Readonly<Record<string, 'data' | 'path' | 'write'>>;
  /** Flags that make the runtime do something other than read a script from stdin. */
  noScriptFlags: readonly string[];
}

function runtime(spec: RuntimeSpec): ProgramCheck {
  const options = compileOptionSpec({ values: spec.values, optionsFirst: true });
  const denied: ReadonlyMap<string, string> = new Map(Object.entries(spec.denied));
  const inspect = denied.get('--inspect');
  return (argv, context) => {
    const program = argv[0]!.value;
    const scanned = scanArguments(dashedOptions(argv), options, 1);
    let script: ArgWord | undefined;
    let noScript = false;
    let testFiles = false;
    for (const item of scanned) {
      if (item.role === 'option') {
        const name = item.option ?? '';
        const reason =
          denied.get(name) ??
          (name.startsWith('--inspect') ? inspect : undefined) ??
          deniedInBundle(item, denied);
        if (reason) return denyCode(program, name, reason);
        if (spec.noScriptFlags.includes(name)) noScript = true;
        if (name === '--test') testFiles = true;
        const denial = optionValueDenial(program, item, item.inlineValue);
        if (denial) return denyResult(denial);
        continue;
      }
      if (item.role === 'value') {
        const denial = optionValueDenial(program, item, item.word.dynamic ? undefined : item.word.value);
        if (denial) return denyResult(denial);
        continue;
      }
      if (testFiles) {
        const device = deviceDenial(program, item.word, 'test file');
        if (device) return denyResult(device);
        continue;
      }
      script = item.word;
      break;
    }
    if (!script) return noScript ? checkArgs(program, scanned, context) : denyStdin(program);
    if (script.value === '-' && !script.dynamic) return denyStdin(program);
    const device = deviceDenial(program, script, 'script');
    if (device) return denyResult(device);
    const values = possibleValues(script);
    if (!values) return denyResult(expansionDenial(program, script.text, 'the script path'));
    const scriptIndex = scanned.findIndex((item) => item.word === script);
    const deny = checkScannedArguments(program, scanned.slice(0, scriptIndex + 1), context);
    return deny ? denyResult(deny) : EXECUTES_FILE;
  };
}

/**
 * node reads `_` in a long option's name as `-` (`--experimental_loader`, `--test_reporter`):
 * the words with the dashed spelling, or `argv` itself when no option has an underscore.
 */
function dashedOptions(argv: readonly ArgWord[]): readonly ArgWord[] {
  let out: ArgWord[] | undefined;
  for (let index = 1; index < argv.length; index++) {
    const word = argv[index]!;
    const text = word.value;
    if (word.dynamic || !text.startsWith('--')) continue;
    const equals = text.indexOf('=');
    const underscore = text.indexOf('_');
    if (underscore === -1 || (equals !== -1 && underscore > equals)) continue;
    const name = equals === -1 ? text : text.slice(0, equals);
    out ??= argv.slice();
    out[index] = { ...word, value: name.replaceAll('_', '-') + text.slice(name.length) };
  }
  return out ?? argv;
}

/** A short-option bundle holding a denied letter: `-pe`, `-r./x.js`, `-ip`. */
function deniedInBundle(item: ScannedArgument, denied: ReadonlyMap<string, string>): string | undefined {
  const text = item.word.value;
  if (text.startsWith('--') || text.length < 3) return undefined;
  const end = item.inlineValue === undefined ? text.length : text.length - item.inlineValue.length;
  for (let at = 1; at < end; at++) {
    const reason = denied.get(`-${text[at]}`);
    if (reason) return reason;
  }
  return undefined;
}

/**
 * `--test-reporter` must be a built-in reporter (any other value is a module, maybe a `data:` URL,
 * that node loads); an option value read as a file may not be a device (`--x=/dev/stdin`).
 */
function optionValueDenial(
  program: string,
  item: ScannedArgument,
  value: string | undefined,
): Denial | undefined {
  if (item.option === '--test-reporter') {
    if (value === undefined && item.role === 'option') return undefined;
    if (value === undefined || !NODE_TEST_REPORTERS.has(value)) {
      return {
        ruleId: 'builtin:inline-code',
        reason: `${program} --test-reporter ${value ?? item.word.text}: loads a reporter module (which may be a data: URL with inline code); use a built-in reporter (spec, tap, dot, junit, lcov)`,
      };
    }
    return undefined;
  }
  if (value !== undefined && item.kind === 'path' && isDevicePath(value)) {
    return stdinScriptDenial(program, `value of ${item.option}`, value);
  }
  return undefined;
}

function checkArgs(
  program: string,
  scanned: ReturnType<typeof scanArguments>,
  context: Parameters<ProgramCheck>[1],
): ProgramResult {
  const deny = checkScannedArguments(program, scanned, context, GLOB_FRIENDLY_ARGUMENTS);
  return deny ? denyResult(deny) : EXECUTES_FILE;
}

/** Every operand a path (no value-taking options known). */
const PATH_OPERANDS = compileOptionSpec({ positionals: 'path' });
/** `python -m json.tool [infile [outfile]]`. */
const JSON_TOOL_OPERANDS = compileOptionSpec({
  values: { '--indent': 'data' },
  positionals: ['path', 'write'],
});
/** `python -m venv DIR...`. */
const VENV_OPERANDS = compileOptionSpec({ values: { '--prompt': 'data' }, positionals: 'write' });

/** Shared result of an interpreter that runs a worktree file (read-only). */
const EXECUTES_FILE = programResult({ executesFile: true });
const EXECUTES_AND_WRITES = programResult({ executesFile: true, writesContent: true });

function denyCode(program: string, option: string, reason: string): ProgramResult {
  return denyResult({ ruleId: 'builtin:inline-code', reason: `${program} ${option}: ${reason}` });
}

function denyStdin(program: string): ProgramResult {
  return denyResult({
    ruleId: 'builtin:stdin-script',
    reason: `${program} without a script file reads code from stdin, which the policy cannot check; run a file in the worktree`,
  });
}

interface OtherInterpreter {
  program: string;
  /** Short options whose value is code (`perl -e`, `php -r`). */
  inline: string;
  /** Other refused short options, with the reason. */
  denied?: Readonly<Record<string, string>>;
  /** Long spellings refused, with the reason (`php --run`). */
  deniedLong?: Readonly<Record<string, string>>;
  /** Short options that take the next word as their value when nothing is attached. */
  values: string;
  /** The option whose value is the script file (`php -f file`). */
  scriptOption?: string;
}

/** `perl -e`, `-M` (its argument becomes code: `-M'POSIX;system(1)'`) and `-d` (a debugger on stdin). */
export const perl = otherInterpreter({
  program: 'perl',
  inline: 'eE',
  denied: {
    M: 'turns its argument into `use` code (`-M"X;system(...)"`); load modules in the script',
    m: 'turns its argument into `use` code; load modules in the script',
    d: 'starts the debugger, which reads commands from stdin',
  },
  values: 'I',
});
/** `ruby -e` refused. */
export const ruby = otherInterpreter({ program: 'ruby', inline: 'e', values: 'CIEr' });
/** `php -r`, `-B`/`-R`/`-E` (code per input line), `-a`, `-d` (auto_prepend_file, extensions), `-i`. */
export const php = otherInterpreter({
  program: 'php',
  inline: 'rBRE',
  denied: {
    a: 'starts an interactive shell',
    d: 'sets ini options, which can load code (auto_prepend_file, extension); use a php.ini in the worktree',
    i: 'prints phpinfo(), which holds every environment variable (secrets included)',
  },
  deniedLong: {
    '--run': INLINE_CODE,
    '--process-begin': INLINE_CODE,
    '--process-code': INLINE_CODE,
    '--process-end': INLINE_CODE,
    '--interactive': 'starts an interactive shell',
    '--define': 'sets ini options, which can load code (auto_prepend_file, extension)',
    '--info': 'prints phpinfo(), which holds every environment variable',
  },
  values: 'cdfzFtS',
  scriptOption: 'f',
});

/**
 * Interpreters the default rules do not allow: their inline-code options, devices and stdin
 * scripts are refused here so that a config allowing them does not allow those.
 */
function otherInterpreter(spec: OtherInterpreter): ProgramCheck {
  const program = spec.program;
  return (argv, context) => {
    let script = false;
    for (let index = 1; index < argv.length; index++) {
      const word = argv[index]!;
      if (word.dynamic) {
        const device = deviceDenial(program, word, 'script');
        if (device) return denyResult(device);
        return denyResult(expansionDenial(program, word.text, 'an interpreter argument'));
      }
      const text = word.value;
      if (text === '-') return denyStdin(program);
      if (text === '--') {
        const next = argv[index + 1];
        if (next) return runOtherScript(program, next, context);
        break;
      }
      if (text.startsWith('--')) {
        const name = text.split('=', 1)[0]!;
        const reason = spec.deniedLong?.[name];
        if (reason) return denyCode(program, name, reason);
        continue;
      }
      // The script; the words after it are its arguments.
      if (!text.startsWith('-')) return runOtherScript(program, word, context);
      for (let at = 1; at < text.length; at++) {
        const flag = text[at]!;
        if (spec.inline.includes(flag)) return denyCode(program, text, INLINE_CODE);
        const reason = spec.denied?.[flag];
        if (reason) return denyCode(program, `-${flag}`, reason);
        if (!spec.values.includes(flag)) continue;
        const attached = at + 1 < text.length;
        const value = attached ? text.slice(at + 1) : argv[++index];
        const valueText = typeof value === 'string' ? value : value?.value;
        if (typeof value !== 'string' && value?.dynamic)
          return denyResult(expansionDenial(program, value.text, `the value of -${flag}`));
        if (valueText !== undefined && isDevicePath(valueText))
          return denyResult(stdinScriptDenial(program, `value of -${flag}`, valueText));
        if (flag === spec.scriptOption && typeof value !== 'string' && value) {
          return runOtherScript(program, value, context);
        }
        if (flag === spec.scriptOption) script = true;
        break;
      }
    }
    if (script) return EXECUTES_FILE;
    const only = argv.length === 2 ? argv[1]!.value : '';
    if (only === '-v' || only === '--version' || only === '-h' || only === '--help') return NO_EFFECTS;
    return denyStdin(program);
  };
}

/** The script of perl, ruby or php: a file inside the worktree, not a device. */
function runOtherScript(program: string, word: ArgWord, context: ProgramContext): ProgramResult {
  const device = deviceDenial(program, word, 'script');
  if (device) return denyResult(device);
  for (const value of possibleValues(word) ?? []) {
    const problem = findPathProblem(value, context.directories);
    if (problem) return denyResult(pathDenial(program, problem, false));
  }
  return EXECUTES_FILE;
}
