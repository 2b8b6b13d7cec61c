import { type ArgWord, possibleValues } from '../engine/arg-word.js';
import {
  checkScannedArguments,
  expansionDenial,
  GLOB_FRIENDLY_ARGUMENTS,
} from '../engine/check-arguments.js';
import { compileOptionSpec, scanArguments } from '../engine/option-scan.js';
import type { ProgramCheck, ProgramResult } from '../engine/program-context.js';
import { denyResult, programResult } from '../engine/program-result.js';

/**
 * Language runtimes. Running a file in the worktree is allowed (it is the project's own code, see
 * the README's limits); code given on the command line (`node -e`, `python -c`) or read from stdin
 * is refused, because it lets any command hide inside a string.
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

/** `node file.js args`, `node --test`, `node --version`; not `-e`, `-p`, `-r`, stdin scripts. */
export const node = runtime({
  denied: NODE_DENIED,
  values: NODE_VALUES,
  noScriptFlags: ['--test', '--run', '-v', '--version', '-h', '--help', '-c', '--check', '--v8-options'],
});

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
const PYTHON_SAFE_MODULES = new Set([
  'unittest',
  'doctest',
  'compileall',
  'py_compile',
  'json.tool',
  'venv',
  'tabnanny',
]);

/** `python file.py`, `python -m pytest`; not `-c`, `-i`, stdin scripts or arbitrary modules. */
export const python: ProgramCheck = (argv, context) => {
  const program = argv[0]!.value;
  const args = argv.slice(1);
  for (let index = 0; index < args.length; index++) {
    const word = args[index]!;
    if (word.dynamic)
      return denyResult(expansionDenial(program, word.text, 'an interpreter option or script'));
    const text = word.value;
    if (text === '-c' || (/^-[A-Za-z]+$/.test(text) && text.includes('c')))
      return denyCode(program, text, INLINE_CODE);
    if (text === '-i' || (/^-[A-Za-z]+$/.test(text) && text.includes('i'))) {
      return denyCode(program, '-i', 'starts an interactive interpreter');
    }
    if (text === '-m' || text.startsWith('-m')) {
      const module = text === '-m' ? args[index + 1]?.value : text.slice(2);
      const rest = args.slice(text === '-m' ? index + 2 : index + 1);
      if (!module) return denyCode(program, '-m', 'needs a module name');
      if (PYTHON_TOOL_MODULES.has(module)) {
        const moduleWord: ArgWord = { ...(args[index + 1] ?? word), value: module };
        return programResult({
          inner: [{ argv: [moduleWord, ...rest], stdin: context.stdin }],
          executesFile: module === 'pytest',
        });
      }
      if (PYTHON_SAFE_MODULES.has(module)) {
        const deny = checkScannedArguments(
          program,
          scanArguments(rest, PATH_OPERANDS),
          context,
          GLOB_FRIENDLY_ARGUMENTS,
        );
        return deny
          ? denyResult(deny)
          : programResult({ executesFile: module === 'unittest' || module === 'doctest' });
      }
      return denyCode(
        program,
        `-m ${module}`,
        'runs a module that is not a known tool (pytest, unittest, pip, ...)',
      );
    }
    if (['-V', '--version', '-h', '--help'].includes(text)) return programResult({});
    if (text === '-X' || text === '-W') {
      index++;
      continue;
    }
    if (text === '-') return denyStdin(program);
    if (text.startsWith('-')) continue;
    const deny = checkScannedArguments(program, scanArguments([word], PATH_OPERANDS), context);
    return deny ? denyResult(deny) : EXECUTES_FILE;
  }
  return denyStdin(program);
};

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
    const scanned = scanArguments(argv, options, 1);
    let script: ArgWord | undefined;
    let noScript = false;
    for (const item of scanned) {
      if (item.role === 'option') {
        const name = item.option ?? '';
        const reason = denied.get(name) ?? (name.startsWith('--inspect') ? inspect : undefined);
        if (reason) return denyCode(program, name, reason);
        if (spec.noScriptFlags.includes(name)) noScript = true;
        continue;
      }
      if (item.role === 'positional') {
        script = item.word;
        break;
      }
    }
    if (!script) return noScript ? checkArgs(program, scanned, context) : denyStdin(program);
    if (script.value === '-' && !script.dynamic) return denyStdin(program);
    const values = possibleValues(script);
    if (!values) return denyResult(expansionDenial(program, script.text, 'the script path'));
    const scriptIndex = scanned.findIndex((item) => item.word === script);
    const deny = checkScannedArguments(program, scanned.slice(0, scriptIndex + 1), context);
    return deny ? denyResult(deny) : EXECUTES_FILE;
  };
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

/** Shared result of an interpreter that runs a worktree file (read-only). */
const EXECUTES_FILE = programResult({ executesFile: true });

function denyCode(program: string, option: string, reason: string): ProgramResult {
  return denyResult({ ruleId: 'builtin:inline-code', reason: `${program} ${option}: ${reason}` });
}

function denyStdin(program: string): ProgramResult {
  return denyResult({
    ruleId: 'builtin:stdin-script',
    reason: `${program} without a script file reads code from stdin, which the policy cannot check; run a file in the worktree`,
  });
}

/** Other interpreters: only the inline-code forms are refused here; rules decide the rest. */
export const perl = inlineOnly(['-e', '-E'], 'perl');
/** `ruby -e` refused. */
export const ruby = inlineOnly(['-e'], 'ruby');
/** `php -r` refused. */
export const php = inlineOnly(['-r', '-a'], 'php');

function inlineOnly(flags: readonly string[], program: string): ProgramCheck {
  return (argv) => {
    for (const word of argv.slice(1)) {
      if (word.dynamic) return denyResult(expansionDenial(program, word.text, 'an interpreter argument'));
      if (
        flags.some(
          (flag) =>
            word.value === flag ||
            (word.value.startsWith('-') &&
              !word.value.startsWith('--') &&
              word.value.includes(flag.slice(1))),
        )
      ) {
        return denyCode(program, word.value, INLINE_CODE);
      }
    }
    if (argv.length === 1) return denyStdin(program);
    return programResult({ executesFile: true });
  };
}
