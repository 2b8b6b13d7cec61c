import { possibleValues } from '../../engine/arg-word.js';
import { pathDenial } from '../../engine/check-arguments.js';
import type { ScannedArgument } from '../../engine/option-scan.js';
import { findPathProblem } from '../../engine/path-check.js';
import type { Denial } from '../../engine/program-context.js';
import type { ProgramSpec } from '../spec-check.js';
import { playwrightArguments } from '../tool-narrowing.js';

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

/** JavaScript tools (`tsc`, `eslint`, `prettier`, `biome`, `vitest`, `jest`, `mocha`, `playwright`, `tsup`, `vite`, `turbo`): option tables, modules they load, files they rewrite. */
export const jsToolSpecs: Readonly<Record<string, ProgramSpec>> = {
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
    extraCheck: playwrightArguments,
    positionals: 'data',
    globFriendly: true,
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
};
