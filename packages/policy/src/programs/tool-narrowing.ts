import type { ScannedArgument } from '../engine/option-scan.js';
import type { Denial } from '../engine/program-context.js';

/**
 * Tools the default rules allow with any arguments, narrowed to what a task needs. Their option
 * tables (simple-programs.ts) check paths; these checks close the options and subcommands whose
 * values are code, module names or programs (the values of options a table does not know are
 * already read as paths). One helper per tool whose subcommands differ in kind.
 */

function toolDenial(program: string, what: string, reason: string): Denial {
  return { ruleId: 'builtin:dangerous-option', reason: `${program} ${what}: ${reason}` };
}

function firstPositional(scanned: readonly ScannedArgument[]): string | undefined {
  for (const item of scanned) if (item.role === 'positional') return item.word.value;
  return undefined;
}

/** tox's subcommands that run the environments tox.ini defines (the project's own commands). */
const TOX_RUNS = new Set(['run', 'r', 'run-parallel', 'p', 'list', 'l', 'depends', 'de']);

/**
 * `tox exec -- cmd` runs any command; `-x`/`--override` rewrites the config (a `commands` line);
 * `devenv` and `quickstart` write outside the usual places. Only the run and listing subcommands.
 */
export function toxArguments(scanned: readonly ScannedArgument[], program: string): Denial | undefined {
  const subcommand = firstPositional(scanned);
  if (subcommand !== undefined && !subcommand.startsWith('-') && !TOX_RUNS.has(subcommand)) {
    return toolDenial(
      program,
      subcommand,
      'only `tox run`, `tox run-parallel`, `tox list` and `tox depends` are allowed (`tox exec` runs any command)',
    );
  }
  return undefined;
}

/** Options of tox that change what it runs or installs. */
export const TOX_DENIED: Readonly<Record<string, string>> = {
  '-x': 'overrides config values (a `commands` line runs any program); put settings in tox.ini',
  '--override': 'overrides config values (a `commands` line runs any program); put settings in tox.ini',
  '--force-dep': 'installs a dependency the config does not name',
  '--installpkg': 'installs a package file in place of the project',
  '--discover': 'runs Python interpreters from other paths',
};

/** playwright's subcommands that run the project's tests or read their reports. */
const PLAYWRIGHT_SUBCOMMANDS = new Set(['test', 'show-report', 'merge-reports', 'clear-cache']);

/**
 * `playwright install --with-deps` runs the system package manager (with sudo); `open`,
 * `screenshot`, `codegen`, `pdf` browse to any URL. Only tests and reports.
 */
export function playwrightArguments(
  scanned: readonly ScannedArgument[],
  program: string,
): Denial | undefined {
  const subcommand = firstPositional(scanned);
  if (subcommand === undefined || PLAYWRIGHT_SUBCOMMANDS.has(subcommand)) return undefined;
  return toolDenial(
    program,
    subcommand,
    'only `playwright test`, `show-report`, `merge-reports` and `clear-cache` are allowed (`install --with-deps` runs the system package manager, `open`/`screenshot` browse to any URL)',
  );
}

/**
 * `pytest -p NAME` imports a module by name from anywhere on the path: only `-p no:NAME` (which
 * turns a plugin off) is allowed.
 */
export function pytestArguments(scanned: readonly ScannedArgument[], program: string): Denial | undefined {
  for (const item of scanned) {
    if (item.option !== '-p') continue;
    const value = item.role === 'value' ? item.word.value : item.inlineValue;
    if (value === undefined) continue;
    if (!value.startsWith('no:')) {
      return toolDenial(
        program,
        `-p ${value}`,
        'loads a plugin module by name; list plugins in the project config (conftest.py, pytest.ini), or use `-p no:NAME` to turn one off',
      );
    }
  }
  return undefined;
}

/** Options of pytest whose values are not path-checked settings or modules. */
export const PYTEST_DENIED: Readonly<Record<string, string>> = {
  '-o': 'overrides ini settings (paths, addopts, plugins) the policy cannot check; put them in pytest.ini',
  '--override-ini':
    'overrides ini settings (paths, addopts, plugins) the policy cannot check; put them in pytest.ini',
  '--pdbcls': 'imports a debugger class from any module',
  '--pdb': 'starts an interactive debugger',
  '--trace': 'starts an interactive debugger',
};

/** Options of mypy that run another interpreter or install packages. */
export const MYPY_DENIED: Readonly<Record<string, string>> = {
  '--python-executable': 'runs another Python interpreter to find packages',
  '--install-types': 'installs packages with pip',
  '--custom-typeshed-dir': 'reads type stubs from another directory',
};

/** Options of pylint that import modules or run code. */
export const PYLINT_DENIED: Readonly<Record<string, string>> = {
  '--init-hook': 'runs Python code given on the command line',
  '--load-plugins':
    'imports plugin modules by name from anywhere on the path; list plugins in the project config',
  '--from-stdin': 'lints code read from stdin',
};
