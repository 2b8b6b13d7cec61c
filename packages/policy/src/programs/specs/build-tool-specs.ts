import { possibleValues } from '../../engine/arg-word.js';
import { expansionDenial } from '../../engine/check-arguments.js';
import { exportProblem } from '../../engine/environment-allowlist.js';
import type { ScannedArgument } from '../../engine/option-scan.js';
import { findPathProblem } from '../../engine/path-check.js';
import type { Denial, ProgramContext } from '../../engine/program-context.js';
import type { ProgramSpec } from '../spec-check.js';

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

/** Build tools (`make`, `go`, `cargo`): command-line variables (exported to recipes: the environment allowlist decides), toolchains and flags that name programs. */
export const buildToolSpecs: Readonly<Record<string, ProgramSpec>> = {
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
};
