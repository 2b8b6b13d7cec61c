import { possibleValues } from '../engine/arg-word.js';
import { expansionDenial, pathDenial } from '../engine/check-arguments.js';
import { compileOptionSpec, type ScannedArgument, scanArguments } from '../engine/option-scan.js';
import { findPathProblem } from '../engine/path-check.js';
import { exportProblem } from '../engine/environment-allowlist.js';
import type { Denial, ProgramCheck, ProgramContext } from '../engine/program-context.js';
import { denyResult } from '../engine/program-result.js';
import { pythonModule } from './interpreters.js';
import { type ProgramSpec, specCheck } from './spec-check.js';

const FILES0_FROM =
  'reads the names of the files to open from a file the policy cannot see; name the files on the command line';

/** Variables that choose make's shell, its flags or extra makefiles. */
const MAKE_CONTROL_VARIABLES = new Set([
  'SHELL',
  '.SHELLFLAGS',
  'MAKESHELL',
  'MAKEFLAGS',
  'MFLAGS',
  'GNUMAKEFLAGS',
  'MAKEFILES',
  'MAKE',
  'MAKEOVERRIDES',
  '.RECIPEPREFIX',
]);

/** make variables that only switch its own output (`make V=1`). */
const MAKE_SWITCHES = new Set(['V', 'Q', 'VERBOSE', 'DEBUG']);

/**
 * `make 'x:=$(shell cmd)'`, `make x!=cmd`, `make CC='git push' all`, `make SHELL=./x`: a
 * command-line variable runs commands when make expands it, or when a recipe uses it as a
 * program. Plain values (`CC=clang`, `V=1`) pass.
 */
function makeAssignments(
  scanned: readonly ScannedArgument[],
  program: string,
  context: ProgramContext,
): Denial | undefined {
  for (const item of scanned) {
    if (item.role !== 'positional') continue;
    const values = possibleValues(item.word);
    if (!values) return expansionDenial(program, item.word.text, 'a target or variable assignment');
    for (const value of values) {
      const equals = value.indexOf('=');
      if (equals === -1) continue;
      const name = value.slice(0, equals).replace(/[:+?!]+$/, '');
      if (
        /[$`]/.test(value) ||
        value.charCodeAt(equals - 1) === 33 ||
        /[\s;&|<>()'"\\]/.test(value.slice(equals + 1)) ||
        MAKE_CONTROL_VARIABLES.has(name)
      ) {
        return {
          ruleId: 'builtin:dangerous-option',
          reason: `${program}: the variable \`${item.word.text}\` can run commands (through $(shell), != or a recipe that runs its value) or changes make's shell; set it in the Makefile instead`,
        };
      }
      // make exports command-line variables to every recipe's programs: the environment
      // allowlist decides, plus make's own verbosity switches.
      if (MAKE_SWITCHES.has(name)) continue;
      const problem = exportProblem(
        `${program} `,
        name,
        [value.slice(equals + 1)],
        undefined,
        (path) => findPathProblem(path, context.directories) === undefined,
        context.settings.environment,
      );
      if (problem) return problem;
    }
  }
  return undefined;
}

/** `go env -w` writes go's settings outside the worktree; linker flags can name programs to run. */
function goArguments(scanned: readonly ScannedArgument[], program: string): Denial | undefined {
  const first = scanned.find((item) => item.role === 'positional');
  for (const item of scanned) {
    if (
      first?.word.value === 'env' &&
      item.role === 'option' &&
      (item.option === '-w' || item.option === '-u')
    ) {
      return {
        ruleId: 'builtin:dangerous-option',
        reason: `${program} env ${item.option}: changes go's settings file outside the worktree (CC, GOFLAGS run programs in later builds); pass settings per command instead`,
      };
    }
    const flags =
      item.option === '-ldflags' ? (item.inlineValue ?? (item.role === 'value' ? item.word.value : '')) : '';
    if (/extld|extar/.test(flags) || (item.option === '-ldflags' && item.word.dynamic)) {
      return {
        ruleId: 'builtin:dangerous-option',
        reason: `${program} -ldflags: -extld/-extldflags/-extar name programs the linker runs; build without them`,
      };
    }
  }
  return undefined;
}

/** `cargo +/path/to/toolchain` runs a toolchain from anywhere. */
function cargoArguments(scanned: readonly ScannedArgument[], program: string): Denial | undefined {
  for (const item of scanned) {
    if (item.role === 'positional' && item.word.value.startsWith('+') && item.word.value.includes('/')) {
      return {
        ruleId: 'builtin:dangerous-option',
        reason: `${program} ${item.word.value}: runs a toolchain from a path; name an installed toolchain`,
      };
    }
  }
  return undefined;
}

const TSUP_ON_SUCCESS = 'runs a shell command after each build; run the command as a separate step';

/** Adds yargs' kebab-case spelling of each camelCase option (`--setupFiles`, `--setup-files`). */
function withKebabCase<T>(options: Readonly<Record<string, T>>): Readonly<Record<string, T>> {
  const out: Record<string, T> = { ...options };
  for (const [name, value] of Object.entries(options)) {
    out[name.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`)] = value;
  }
  return out;
}

/** jest options whose value names a module jest loads (a built-in name is a plain relative word). */
const JEST_MODULE_OPTIONS = withKebabCase<'path'>({
  '--reporters': 'path',
  '--testResultsProcessor': 'path',
  '--setupFiles': 'path',
  '--setupFilesAfterEnv': 'path',
  '--globalSetup': 'path',
  '--globalTeardown': 'path',
  '--testRunner': 'path',
  '--testEnvironment': 'path',
  '--testSequencer': 'path',
  '--resolver': 'path',
  '--runner': 'path',
  '--snapshotResolver': 'path',
  '--watchPlugins': 'path',
  '--preset': 'path',
  '--prettierPath': 'path',
  '--modulePaths': 'path',
  '--coverageReporters': 'path',
  '--filter': 'path',
});

/** jest options whose JSON value names modules anywhere; they belong in jest.config. */
const JEST_DENIED = withKebabCase({
  '--transform': 'maps files to transformer modules given as JSON; configure it in jest.config',
  '--moduleNameMapper': 'maps imports to modules given as JSON; configure it in jest.config',
  '--haste': 'names haste modules given as JSON; configure it in jest.config',
});
const JEST_DENIED_VALUES = withKebabCase<'data'>({
  '--transform': 'data',
  '--moduleNameMapper': 'data',
  '--haste': 'data',
});

/** `jest --config '{"testResultsProcessor": "/tmp/x.js"}'`: a config given as JSON names modules. */
function jestConfig(scanned: readonly ScannedArgument[], program: string): Denial | undefined {
  for (const item of scanned) {
    if (item.option !== '--config' && item.option !== '-c') continue;
    const value = item.role === 'value' ? item.word.value : item.inlineValue;
    if (value?.trimStart().startsWith('{') || (item.word.dynamic && item.role === 'value')) {
      return {
        ruleId: 'builtin:dangerous-option',
        reason: `${program} ${item.option}: a config given as JSON can name modules anywhere (reporters, transforms); put it in a jest.config file in the worktree`,
      };
    }
  }
  return undefined;
}

/** vitest `--poolOptions.forks.execArgv=--import=data:...`: node options for the workers. */
function execArgvOption(scanned: readonly ScannedArgument[], program: string): Denial | undefined {
  for (const item of scanned) {
    if (item.role !== 'option' || !item.option) continue;
    const name = item.option.toLowerCase();
    if (!name.includes('execargv') && !name.includes('exec-argv')) continue;
    return {
      ruleId: 'builtin:dangerous-option',
      reason: `${program} ${item.option}: passes options to node (\`--import=data:...\` runs inline code); set them in the vitest config`,
    };
  }
  return undefined;
}

/**
 * Descriptions of everyday programs: which options take values and what their arguments are, so
 * that paths are checked and patterns, messages and numbers are not mistaken for paths.
 */
const SPECS: Readonly<Record<string, ProgramSpec>> = {
  ls: {
    values: {
      '-I': 'data',
      '--ignore': 'data',
      '--hide': 'data',
      '-w': 'data',
      '--width': 'data',
      '-T': 'data',
      '--format': 'data',
      '--sort': 'data',
      '--time-style': 'data',
      '--block-size': 'data',
      '--quoting-style': 'data',
      '--indicator-style': 'data',
      '--time': 'data',
    },
    globFriendly: true,
  },
  cat: { globFriendly: true },
  head: { values: { '-n': 'data', '--lines': 'data', '-c': 'data', '--bytes': 'data' }, globFriendly: true },
  tail: {
    values: {
      '-n': 'data',
      '--lines': 'data',
      '-c': 'data',
      '--bytes': 'data',
      '-s': 'data',
      '--sleep-interval': 'data',
      '--pid': 'data',
    },
    globFriendly: true,
  },
  wc: {
    values: { '--files0-from': 'path' },
    deniedOptions: { '--files0-from': FILES0_FROM },
    longPrefixes: true,
    globFriendly: true,
  },
  diff: {
    values: {
      '--label': 'data',
      '-L': 'data',
      '-I': 'data',
      '--ignore-matching-lines': 'data',
      '-x': 'data',
      '--exclude': 'data',
      '-X': 'path',
      '--exclude-from': 'path',
      '--to-file': 'path',
      '--from-file': 'path',
      '-S': 'data',
      '--starting-file': 'data',
      '-W': 'data',
      '--width': 'data',
      '-F': 'data',
      '--show-function-line': 'data',
      '--line-format': 'data',
      '--palette': 'data',
      '--horizon-lines': 'data',
      '--tabsize': 'data',
    },
    longPrefixes: true,
    globFriendly: true,
  },
  cmp: {
    values: { '-i': 'data', '--ignore-initial': 'data', '-n': 'data', '--bytes': 'data' },
    globFriendly: true,
  },
  comm: { values: { '--output-delimiter': 'data' } },
  sort: {
    values: {
      '-o': 'write',
      '--output': 'write',
      '-k': 'data',
      '--key': 'data',
      '-t': 'data',
      '--field-separator': 'data',
      '-T': 'write',
      '--temporary-directory': 'write',
      '-S': 'data',
      '--buffer-size': 'data',
      '--files0-from': 'path',
      '--parallel': 'data',
      '--batch-size': 'data',
      '--random-source': 'path',
      '--compress-program': 'data',
      '--sort': 'data',
    },
    deniedOptions: {
      '--compress-program': 'runs a program to compress temporary files',
      '--files0-from': FILES0_FROM,
    },
    longPrefixes: true,
  },
  uniq: {
    values: {
      '-f': 'data',
      '--skip-fields': 'data',
      '-s': 'data',
      '--skip-chars': 'data',
      '-w': 'data',
      '--check-chars': 'data',
    },
    // GNU uniq reads these values only attached (`--group=append`).
    optionalValues: { '--group': 'data', '--all-repeated': 'data' },
    positionals: ['path', 'write'],
  },
  cut: {
    values: {
      '-d': 'data',
      '--delimiter': 'data',
      '-f': 'data',
      '--fields': 'data',
      '-b': 'data',
      '--bytes': 'data',
      '-c': 'data',
      '--characters': 'data',
      '--output-delimiter': 'data',
    },
    globFriendly: true,
  },
  tr: { dataOnly: true },
  nl: {
    values: {
      '-b': 'data',
      '-d': 'data',
      '-f': 'data',
      '-h': 'data',
      '-i': 'data',
      '-l': 'data',
      '-n': 'data',
      '-s': 'data',
      '-v': 'data',
      '-w': 'data',
    },
    globFriendly: true,
  },
  tree: {
    values: {
      '-I': 'data',
      '-P': 'data',
      '-L': 'data',
      '-o': 'write',
      '--charset': 'data',
      '--filelimit': 'data',
      '--timefmt': 'data',
      '--sort': 'data',
    },
    globFriendly: true,
  },
  file: {
    values: {
      '-m': 'path',
      '--magic-file': 'path',
      '-f': 'path',
      '--files-from': 'path',
      '-F': 'data',
      '--separator': 'data',
      '-e': 'data',
      '--exclude': 'data',
      '-P': 'data',
    },
    deniedOptions: { '-f': FILES0_FROM, '--files-from': FILES0_FROM },
    longPrefixes: true,
    globFriendly: true,
  },
  stat: { values: { '-c': 'data', '--format': 'data', '--printf': 'data' }, globFriendly: true },
  du: {
    // `--time` is an option of its own (a prefix of --time-style) whose value must be attached.
    optionalValues: { '--time': 'data' },
    values: {
      '--exclude': 'data',
      '-X': 'path',
      '--exclude-from': 'path',
      '-d': 'data',
      '--max-depth': 'data',
      '-B': 'data',
      '--block-size': 'data',
      '-t': 'data',
      '--threshold': 'data',
      '--time-style': 'data',
      '--files0-from': 'path',
    },
    deniedOptions: { '--files0-from': FILES0_FROM },
    longPrefixes: true,
    globFriendly: true,
  },
  realpath: { values: { '--relative-to': 'path', '--relative-base': 'path' } },
  readlink: {},
  basename: { dataOnly: true },
  dirname: { dataOnly: true },
  echo: { dataOnly: true },
  printf: { dataOnly: true },
  true: { dataOnly: true },
  false: { dataOnly: true },
  ':': { dataOnly: true },
  test: { dataOnly: true },
  '[': { dataOnly: true },
  which: { dataOnly: true },
  type: { dataOnly: true },
  sleep: { dataOnly: true },
  seq: { dataOnly: true },
  expr: { dataOnly: true },
  whoami: { dataOnly: true },
  id: { dataOnly: true },
  uname: { dataOnly: true },
  pwd: { dataOnly: true },
  wait: { dataOnly: true },
  exit: { dataOnly: true },
  return: { dataOnly: true },
  shift: { dataOnly: true },
  break: { dataOnly: true },
  continue: { dataOnly: true },
  getopts: { dataOnly: true },
  let: { dataOnly: true },
  date: {
    // `-I` and `--iso-8601` read a format only attached (`-Iseconds`).
    optionalValues: { '-I': 'data', '--iso-8601': 'data' },
    values: {
      '-d': 'data',
      '--date': 'data',
      '-f': 'path',
      '--file': 'path',
      '-r': 'path',
      '--reference': 'path',
      '-s': 'data',
      '--set': 'data',
    },
    deniedOptions: { '-s': 'sets the system clock', '--set': 'sets the system clock' },
    positionals: 'data',
  },
  fold: { values: { '-w': 'data', '--width': 'data' }, globFriendly: true },
  // `-t` is a flag (table mode), not an option with a value.
  column: { values: { '-s': 'data', '-o': 'data', '-c': 'data', '-N': 'data' } },
  rev: { globFriendly: true },
  tac: { values: { '-s': 'data', '--separator': 'data' }, globFriendly: true },
  // `-w` reads a width only attached (`-w16`).
  od: {
    values: { '-A': 'data', '-j': 'data', '-N': 'data', '-t': 'data' },
    optionalValues: { '-w': 'data' },
  },
  hexdump: { values: { '-n': 'data', '-s': 'data', '-e': 'data', '-f': 'path' } },
  xxd: {
    values: { '-c': 'data', '-g': 'data', '-l': 'data', '-s': 'data', '-o': 'data', '-n': 'data' },
    positionals: ['path', 'write'],
  },
  md5sum: { globFriendly: true },
  sha1sum: { globFriendly: true },
  sha256sum: { globFriendly: true },
  sha512sum: { globFriendly: true },
  base64: { values: { '-w': 'data', '--wrap': 'data' } },
  tee: { positionals: 'write', writesContent: true, inertTargets: true },
  mkdir: {
    values: { '-m': 'data', '--mode': 'data' },
    positionals: 'write',
    writesContent: false,
    globFriendly: true,
  },
  touch: {
    values: { '-d': 'data', '--date': 'data', '-t': 'data', '-r': 'path', '--reference': 'path' },
    positionals: 'write',
    writesContent: false,
    globFriendly: true,
  },
  cp: {
    extraCheck: backupSuffixPath,
    values: {
      '-t': 'write',
      '--target-directory': 'write',
      '-S': 'data',
      '--suffix': 'data',
      '--sparse': 'data',
    },
    // Their values are read only attached (`--preserve=mode`); `--backup .env` is a file.
    optionalValues: { '--backup': 'data', '--reflink': 'data', '--preserve': 'data' },
    positionals: 'write',
    writesContent: true,
    readsSources: true,
    longPrefixes: true,
  },
  mv: {
    extraCheck: backupSuffixPath,
    values: {
      '-t': 'write',
      '--target-directory': 'write',
      '-S': 'data',
      '--suffix': 'data',
    },
    optionalValues: { '--backup': 'data' },
    positionals: 'write',
    writesContent: true,
    readsSources: true,
    longPrefixes: true,
  },
  rmdir: { positionals: 'write', writesContent: false, globFriendly: true },
  ln: {
    values: { '-t': 'write', '--target-directory': 'write', '-S': 'data', '--suffix': 'data' },
    positionals: 'write',
    // The link's content is its target (`ln -s /dev/stdin t.sh` makes t.sh read stdin).
    writesContent: true,
    readsSources: true,
    longPrefixes: true,
  },
  chmod: { values: { '--reference': 'path' }, positionals: ['data', 'write'], writesContent: false },
  tsc: {
    values: {
      '-p': 'path',
      '--project': 'path',
      '--outDir': 'write',
      '--outFile': 'write',
      '--rootDir': 'path',
      '--declarationDir': 'write',
      '--tsBuildInfoFile': 'write',
      '--baseUrl': 'path',
      '--generateTrace': 'write',
      '--target': 'data',
      '-t': 'data',
      '--module': 'data',
      '-m': 'data',
      '--moduleResolution': 'data',
      '--lib': 'data',
      '--jsx': 'data',
      '--locale': 'data',
      '--types': 'data',
    },
    // Its output is compiled from the worktree's sources, not content the script chose.
    writesContent: false,
    globFriendly: true,
  },
  eslint: {
    executesFile: true,
    extraCheck: rewritesFiles(['--fix']),
    values: {
      '-c': 'path',
      '--config': 'path',
      '--rulesdir': 'path',
      '-o': 'write',
      '--output-file': 'write',
      '--ignore-path': 'path',
      '--ignore-pattern': 'data',
      '--resolve-plugins-relative-to': 'path',
      '--cache-location': 'write',
      '-f': 'path',
      '--format': 'path',
      '--ext': 'data',
      '--rule': 'data',
      '--max-warnings': 'data',
      // Module names (`react`, `@typescript-eslint/parser`) or paths to a module that is loaded.
      '--parser': 'path',
      '--plugin': 'path',
      '--env': 'data',
      '--global': 'data',
      '--inspect-config': 'data',
    },
    deniedOptions: {
      '--inspect-config': 'downloads and runs the config inspector (npx @eslint/config-inspector)',
    },
    globFriendly: true,
  },
  prettier: {
    executesFile: true,
    extraCheck: rewritesFiles(['--write', '-w']),
    values: {
      '--config': 'path',
      '--ignore-path': 'path',
      '--plugin': 'path',
      '--cache-location': 'write',
      '--log-level': 'data',
      '--parser': 'data',
      '--stdin-filepath': 'path',
      '--print-width': 'data',
      '--tab-width': 'data',
      '--trailing-comma': 'data',
      '--end-of-line': 'data',
      '--quote-props': 'data',
      '--arrow-parens': 'data',
      '--prose-wrap': 'data',
      '--embedded-language-formatting': 'data',
      '--html-whitespace-sensitivity': 'data',
      '--cache-strategy': 'data',
    },
    globFriendly: true,
  },
  biome: {
    extraCheck: rewritesFiles(['--write', '--apply', '--apply-unsafe', '--fix']),
    values: {
      '--config-path': 'path',
      '--reporter': 'data',
      '--max-diagnostics': 'data',
      '--diagnostic-level': 'data',
      '--log-level': 'data',
      '--stdin-file-path': 'path',
    },
    globFriendly: true,
  },
  vitest: {
    executesFile: true,
    values: {
      '-c': 'path',
      '--config': 'path',
      '-r': 'path',
      '--root': 'path',
      '--dir': 'path',
      '--outputFile': 'write',
      // A built-in name (`verbose`, `jsdom`, `forks`) or a module that is loaded: a path.
      '--reporter': 'path',
      '--setupFiles': 'path',
      '--globalSetup': 'path',
      '--diff': 'path',
      '--workspace': 'path',
      '--coverage.reporter': 'path',
      '--coverage.customProviderModule': 'path',
      '-t': 'data',
      '--testNamePattern': 'data',
      '--environment': 'path',
      '--pool': 'path',
      '--project': 'data',
      '--shard': 'data',
      '--maxWorkers': 'data',
      '--minWorkers': 'data',
      '--testTimeout': 'data',
      '--mode': 'data',
      '--exclude': 'data',
      '--coverage.reportsDirectory': 'write',
    },
    deniedOptions: {
      '--inspect': 'opens a debugger port',
      '--inspect-brk': 'opens a debugger port',
      '--api': 'opens a server that runs code',
      '--ui': 'opens a server that runs code',
    },
    extraCheck: execArgvOption,
    globFriendly: true,
  },
  jest: {
    executesFile: true,
    values: {
      '-c': 'path',
      '--config': 'path',
      '--rootDir': 'path',
      '--roots': 'path',
      '-t': 'data',
      '--testNamePattern': 'data',
      '--outputFile': 'write',
      '--coverageDirectory': 'write',
      ...JEST_MODULE_OPTIONS,
      '--testPathPattern': 'data',
      '--testPathPatterns': 'data',
      '--selectProjects': 'data',
      '-w': 'data',
      '--maxWorkers': 'data',
      '--shard': 'data',
      '--testTimeout': 'data',
      '--env': 'data',
      ...JEST_DENIED_VALUES,
    },
    deniedOptions: JEST_DENIED,
    positionals: 'data',
    extraCheck: jestConfig,
    globFriendly: true,
  },
  mocha: {
    executesFile: true,
    values: {
      '--config': 'path',
      '-r': 'path',
      '--require': 'path',
      '-R': 'path',
      '--reporter': 'path',
      '-g': 'data',
      '--grep': 'data',
      '-f': 'data',
      '--fgrep': 'data',
      '-t': 'data',
      '--timeout': 'data',
      '-u': 'path',
      '--ui': 'path',
      '--package': 'path',
      '-n': 'data',
      '--node-option': 'data',
      '--spec': 'path',
      '--extension': 'data',
      '--ignore': 'data',
      '--file': 'path',
      '-j': 'data',
      '--jobs': 'data',
      '--reporter-option': 'data',
    },
    deniedOptions: {
      '--inspect': 'opens a debugger port',
      '--inspect-brk': 'opens a debugger port',
      // Node options (mocha passes them on): `--import=data:...` runs inline code.
      '-n': 'passes options to node (`--import=data:...` runs inline code); put them in .mocharc',
      '--node-option': 'passes options to node (`--import=data:...` runs inline code); put them in .mocharc',
      '--import': 'preloads a module (which may be a data: URL with inline code)',
      '--loader': 'installs a module loader (which may be a data: URL with inline code)',
      '--experimental-loader': 'installs a module loader (which may be a data: URL with inline code)',
    },
    globFriendly: true,
  },
  playwright: {
    executesFile: true,
    values: {
      '-c': 'path',
      '--config': 'path',
      '-g': 'data',
      '--grep': 'data',
      '--grep-invert': 'data',
      '--project': 'data',
      '--reporter': 'path',
      '--tsconfig': 'path',
      '-j': 'data',
      '--workers': 'data',
      '--output': 'write',
      '--shard': 'data',
      '--timeout': 'data',
      '--retries': 'data',
      '--repeat-each': 'data',
    },
    positionals: 'data',
    globFriendly: true,
  },
  pytest: {
    executesFile: true,
    values: {
      '-k': 'data',
      '-m': 'data',
      '-p': 'data',
      '-c': 'path',
      '--rootdir': 'path',
      '--basetemp': 'write',
      '-o': 'data',
      '--override-ini': 'data',
      '--junitxml': 'write',
      '--junit-xml': 'write',
      '--html': 'write',
      '--cov': 'data',
      '--cov-report': 'data',
      '--confcutdir': 'path',
      '--deselect': 'data',
      '--ignore': 'path',
      '--ignore-glob': 'data',
      '--tb': 'data',
      '--maxfail': 'data',
      '-n': 'data',
      '--durations': 'data',
      '--log-file': 'write',
      '--import-mode': 'data',
      '-W': 'data',
      '--log-level': 'data',
      '--log-cli-level': 'data',
      '--timeout': 'data',
    },
    globFriendly: true,
  },
  ruff: {
    values: {
      '--config': 'data',
      '-o': 'write',
      '--output-file': 'write',
      '--cache-dir': 'write',
      '--select': 'data',
      '--ignore': 'data',
      '--extend-select': 'data',
      '--target-version': 'data',
      '--line-length': 'data',
      '--output-format': 'data',
    },
    // Reports and caches about the worktree, not content the script chose.
    writesContent: false,
    globFriendly: true,
  },
  black: {
    // Python tools import from the worktree too (sitecustomize.py, plugins named in its config).
    executesFile: true,
    values: {
      '--config': 'path',
      '-l': 'data',
      '--line-length': 'data',
      '-t': 'data',
      '--target-version': 'data',
      '--include': 'data',
      '--exclude': 'data',
      '--extend-exclude': 'data',
    },
    globFriendly: true,
  },
  mypy: {
    executesFile: true,
    values: {
      '--config-file': 'path',
      '--cache-dir': 'write',
      '--python-version': 'data',
      '-m': 'data',
      '-p': 'data',
      '--junit-xml': 'write',
      '--html-report': 'write',
      '--exclude': 'data',
    },
    globFriendly: true,
  },
  flake8: {
    executesFile: true,
    values: {
      '--config': 'path',
      '--max-line-length': 'data',
      '--select': 'data',
      '--ignore': 'data',
      '--extend-ignore': 'data',
      '--exclude': 'data',
      '--output-file': 'write',
      '--format': 'data',
    },
    globFriendly: true,
  },
  pylint: {
    executesFile: true,
    values: {
      '--rcfile': 'path',
      '--disable': 'data',
      '--enable': 'data',
      '--output': 'write',
      '--output-format': 'data',
      '-j': 'data',
      '--jobs': 'data',
      '--init-hook': 'data',
    },
    deniedOptions: { '--init-hook': 'runs Python code given on the command line' },
    longPrefixes: true,
    globFriendly: true,
  },
  isort: {
    executesFile: true,
    values: {
      '--settings-path': 'path',
      '--sp': 'path',
      '-l': 'data',
      '--line-length': 'data',
      '--profile': 'data',
    },
    globFriendly: true,
  },
  coverage: {
    executesFile: true,
    values: {
      '--rcfile': 'path',
      '-d': 'write',
      '--directory': 'write',
      '-o': 'write',
      '--omit': 'data',
      '--include': 'data',
      '--source': 'data',
      '--data-file': 'write',
      '--fail-under': 'data',
    },
    positionals: ['data', 'path'],
    globFriendly: true,
  },
  pip: {
    executesFile: true,
    values: {
      '-r': 'path',
      '--requirement': 'path',
      '-c': 'path',
      '--constraint': 'path',
      '--index-url': 'data',
      '-i': 'data',
      '--extra-index-url': 'data',
      '-t': 'write',
      '--target': 'write',
      '--prefix': 'write',
      '--root': 'write',
      '--format': 'data',
      '--cache-dir': 'write',
      '--log': 'write',
    },
    positionals: 'data',
  },
  make: {
    values: {
      '-C': 'path',
      '--directory': 'path',
      '-f': 'path',
      '--file': 'path',
      '--makefile': 'path',
      '-I': 'path',
      '--include-dir': 'path',
      '-j': 'data',
      '--jobs': 'data',
      '-l': 'data',
      '--load-average': 'data',
      '-o': 'path',
      '--old-file': 'path',
      '-W': 'path',
      '--what-if': 'path',
      '--new-file': 'path',
      '--eval': 'data',
      '-E': 'data',
      '-O': 'data',
      '--output-sync': 'data',
    },
    deniedOptions: {
      '--eval': 'evaluates makefile code given on the command line',
      '-E': 'evaluates makefile code given on the command line',
      '-p': 'prints the data base, which holds every environment variable (secrets included); read the Makefile instead',
      '--print-data-base':
        'prints the data base, which holds every environment variable (secrets included); read the Makefile instead',
    },
    positionals: 'data',
    longPrefixes: true,
    // The Makefile is worktree code.
    executesFile: true,
    scriptOptions: ['-f', '--file', '--makefile'],
    extraCheck: makeAssignments,
  },
  go: {
    values: {
      '-o': 'write',
      '-C': 'path',
      '-modfile': 'path',
      '-overlay': 'path',
      '-coverprofile': 'write',
      '-cpuprofile': 'write',
      '-memprofile': 'write',
      '-blockprofile': 'write',
      '-trace': 'write',
      '-outputdir': 'write',
      '-ldflags': 'data',
      '-gcflags': 'data',
      '-asmflags': 'data',
      '-run': 'data',
      '-bench': 'data',
      '-skip': 'data',
      '-tags': 'data',
      '-count': 'data',
      '-timeout': 'data',
      '-p': 'data',
      '-mod': 'data',
      '-covermode': 'data',
      '-coverpkg': 'data',
      '-parallel': 'data',
      '-benchtime': 'data',
      '-exec': 'data',
      '-toolexec': 'data',
    },
    deniedOptions: {
      '-exec': 'runs test binaries through another program',
      '-toolexec': 'runs the toolchain through another program',
      '-vettool': 'runs another program as the analysis tool',
      '-compiler': 'selects another compiler (gccgo), whose flags can run programs',
      '-gccgoflags': 'passes flags to gccgo, which can run programs (-wrapper)',
    },
    positionals: 'path',
    singleDashLong: true,
    globFriendly: true,
    // Tests, `go run` and `//go:generate` directives are worktree code; build outputs are compiled
    // from the worktree, not content the script chose.
    executesFile: ['test', 'run', 'generate', 'tool'],
    writesContent: false,
    extraCheck: goArguments,
  },
  cargo: {
    values: {
      '--manifest-path': 'path',
      '--target-dir': 'write',
      '-Z': 'data',
      '--config': 'data',
      '-C': 'path',
      '--features': 'data',
      '-F': 'data',
      '-p': 'data',
      '--package': 'data',
      '--bin': 'data',
      '--example': 'data',
      '--test': 'data',
      '--bench': 'data',
      '-j': 'data',
      '--jobs': 'data',
      '--message-format': 'data',
      '--color': 'data',
      '--target': 'data',
      '--profile': 'data',
      '--exclude': 'data',
    },
    deniedOptions: {
      '--config': 'can set target runners, which run programs',
      '-Z': 'enables unstable features',
    },
    positionals: 'data',
    // Build scripts (build.rs), proc macros, tests and `cargo run` are worktree code.
    executesFile: [
      'build',
      'b',
      'check',
      'c',
      'test',
      't',
      'run',
      'r',
      'bench',
      'clippy',
      'doc',
      'd',
      'fix',
      'rustc',
      'rustdoc',
    ],
    writesContent: false,
    extraCheck: cargoArguments,
  },
  tsup: {
    // tsup.config.ts is worktree code; its output is compiled from the worktree.
    executesFile: true,
    writesContent: false,
    values: {
      '--config': 'path',
      '--tsconfig': 'path',
      '--entry': 'path',
      '--inject': 'path',
      '-d': 'write',
      '--out-dir': 'write',
      '--format': 'data',
      '--target': 'data',
      '--platform': 'data',
      '--external': 'data',
      '--noExternal': 'data',
      '--global-name': 'data',
      '--loader': 'data',
      '--env': 'data',
      '--onSuccess': 'data',
      '--on-success': 'data',
      '--onsuccess': 'data',
    },
    deniedOptions: {
      '--onSuccess': TSUP_ON_SUCCESS,
      '--on-success': TSUP_ON_SUCCESS,
      '--onsuccess': TSUP_ON_SUCCESS,
    },
    longPrefixes: true,
    globFriendly: true,
  },
  vite: {
    // vite.config.ts and its plugins are worktree code; builds are compiled from the worktree.
    executesFile: true,
    writesContent: false,
    values: {
      '-c': 'path',
      '--config': 'path',
      '--base': 'data',
      '-m': 'data',
      '--mode': 'data',
      '-l': 'data',
      '--logLevel': 'data',
      '--configLoader': 'data',
      '--outDir': 'write',
      '--assetsDir': 'data',
      '--host': 'data',
      '--port': 'data',
      '--filter': 'data',
      '-f': 'data',
    },
    globFriendly: true,
  },
  turbo: {
    // turbo runs the packages' scripts, which are worktree code.
    executesFile: true,
    writesContent: false,
    values: {
      '--cwd': 'path',
      '--filter': 'data',
      '-F': 'data',
      '--concurrency': 'data',
      '--cache-dir': 'write',
      '--log-order': 'data',
      '--output-logs': 'data',
      '--env-mode': 'data',
      '--token': 'data',
      '--team': 'data',
      '--api': 'data',
      '--ui': 'data',
    },
    positionals: 'data',
  },
  tox: {
    executesFile: true,
    values: { '-e': 'data', '-c': 'path', '--conf': 'path', '--workdir': 'write', '-p': 'data' },
    positionals: 'data',
  },
};

const coverageSpec = specCheck(SPECS.coverage!);
const COVERAGE_OPTIONS = compileOptionSpec(SPECS.coverage!);

/** `coverage run -m module args` runs the module like `python -m module args`, with its checks. */
const coverage: ProgramCheck = (argv, context) => {
  const result = coverageSpec(argv, context);
  if (result.deny) return result;
  const scanned = scanArguments(argv, COVERAGE_OPTIONS, 1);
  const positionals = scanned.filter((item) => item.role === 'positional');
  if (positionals[0]?.word.value !== 'run') return result;
  const moduleFlag = scanned.some(
    (item) => item.role === 'option' && (item.option === '-m' || item.option === '--module'),
  );
  const module = positionals[1]?.word;
  if (!moduleFlag || !module) return result;
  if (module.dynamic) return denyResult(expansionDenial(argv[0]!.value, module.text, 'a module name'));
  const at = argv.indexOf(module);
  return pythonModule(`${argv[0]!.value} run`, module, argv.slice(at + 1), context);
};

/** Checks built from the descriptions above, by program name. */
export const simpleProgramChecks: ReadonlyMap<string, ProgramCheck> = new Map([
  ...Object.entries(SPECS).map(([name, spec]): [string, ProgramCheck] => [name, specCheck(spec)]),
  ['coverage', coverage],
  ['pip3', specCheck(SPECS.pip!)],
]);

const ROOT_ONLY: readonly (readonly string[])[] = [[]];

/**
 * For formatters and linters that rewrite the files they are given when one of `flags` is present
 * (`prettier --write`): those files are written, so one inside `.git` is refused like any write
 * there (other paths get the usual checks, cd included).
 */
function rewritesFiles(
  flags: readonly string[],
): (scanned: readonly ScannedArgument[], program: string) => Denial | undefined {
  return (scanned, program) => {
    if (!scanned.some((item) => item.role === 'option' && flags.includes(item.option ?? '')))
      return undefined;
    for (const item of scanned) {
      if (item.role !== 'positional') continue;
      for (const value of possibleValues(item.word) ?? [item.word.text]) {
        const problem = findPathProblem(value, ROOT_ONLY, { glob: item.word.glob, write: true });
        if (problem?.includes('.git (')) return pathDenial(program, problem, true);
      }
    }
    return undefined;
  };
}

/**
 * `cp -b --suffix=/../../x a b`: the backup is named destination + suffix, so a suffix with `/`
 * names a path (through a directory like `b..` the script can create) that may leave the worktree.
 */
function backupSuffixPath(scanned: readonly ScannedArgument[], program: string): Denial | undefined {
  for (const item of scanned) {
    if (item.option !== '-S' && item.option !== '--suffix') continue;
    const value = item.role === 'value' ? item.word.value : item.inlineValue;
    if (item.role === 'value' && item.word.dynamic) {
      return expansionDenial(program, item.word.text, 'a backup suffix');
    }
    if (value?.includes('/')) {
      return {
        ruleId: 'builtin:outside-worktree',
        reason: `${program} ${item.option} ${value}: a backup suffix with \`/\` names a path, which can leave the worktree; use a plain suffix like \`.bak\``,
      };
    }
  }
  return undefined;
}
