import { JS_TOOL_NAMES } from '../config/default-policy-config.js';
import { type ArgWord, possibleValues } from '../engine/arg-word.js';
import {
  checkScannedArguments,
  expansionDenial,
  GLOB_FRIENDLY_ARGUMENTS,
} from '../engine/check-arguments.js';
import {
  type ArgumentKind,
  compileDeniedOptions,
  compileOptionSpec,
  deniedLongOption,
  scanArguments,
} from '../engine/option-scan.js';
import { findPathProblem, type RelativeDirectory } from '../engine/path-check.js';
import type { Denial, ProgramCheck, ProgramResult } from '../engine/program-context.js';
import { denyResult, programResult, ruleArgsResult } from '../engine/program-result.js';

/**
 * npm, yarn, pnpm and npx. Which subcommands may run is up to the rules (the default allows
 * tests, scripts and lockfile installs, and denies dependency changes); these checks refuse the
 * options that swap the program npm runs scripts with, load other configs, or leave the worktree,
 * and put the subcommand first so rule prefixes match `npm --silent test` like `npm test`.
 */

const DENIED: Readonly<Record<string, string>> = {
  '--script-shell': 'replaces the shell that runs package scripts',
  '--node-options': 'passes options (like --require) to every node process',
  '--userconfig': 'loads another npm config (which can set script-shell, registry, ...)',
  '--globalconfig': 'loads another npm config (which can set script-shell, registry, ...)',
  '--call': 'runs a command string the policy cannot see',
  '--shell': 'replaces the shell that runs package scripts',
  '--package': 'installs and runs an arbitrary package',
  '--git': 'replaces the git program npm runs for git dependencies',
  '--node-gyp': 'replaces the node-gyp program npm runs to build native modules',
  '--browser': 'names a program npm runs to open URLs',
  '--editor': 'names a program npm runs to edit files',
};

const VALUES: Readonly<Record<string, ArgumentKind>> = {
  '--prefix': 'path',
  '-C': 'path',
  '--dir': 'path',
  '--cwd': 'path',
  '-w': 'data',
  '--workspace': 'data',
  '--filter': 'data',
  '-F': 'data',
  '--loglevel': 'data',
  '--reporter': 'data',
  '--registry': 'data',
  '--cache': 'write',
  '--tag': 'data',
  '--omit': 'data',
  '--include': 'data',
  '--script-shell': 'data',
  '--node-options': 'data',
  '--userconfig': 'path',
  '--globalconfig': 'path',
  '--call': 'data',
  '--package': 'data',
};

const SPEC = compileOptionSpec({ values: VALUES, positionals: 'path' });
/** For yarn and pnpm `-w` is a flag (`--workspace-root`, yarn's `-W`), not npm's `-w <workspace>`. */
const { '-w': _npmWorkspace, ...FLAG_W_VALUES } = VALUES;
const FLAG_W_SPEC = compileOptionSpec({ values: FLAG_W_VALUES, positionals: 'path' });
/**
 * npm and pnpm (nopt) accept any unambiguous abbreviation of an option (`--node-opt` is
 * `--node-options`); these options are names of their own although they abbreviate a denied one.
 */
const DENIED_OPTIONS = compileDeniedOptions(DENIED, ['--global', '--ca']);

/** Before the subcommand: the options each program is known to read, and whether they take a value. */
interface LeadingOptions {
  flags: ReadonlySet<string>;
  values: ReadonlySet<string>;
}

/**
 * Whether an option takes the next word as its value is the program's own knowledge (npm's
 * `--heading` does, `--filter` does not), and a wrong guess moves the subcommand: `npm --filter
 * exec --heading view -c '...'` runs `npm exec`. Before the subcommand only these options and
 * `--name=value` forms are accepted; all of them agree with VALUES.
 */
const LEADING_OPTIONS: Readonly<Record<'npm' | 'yarn' | 'pnpm', LeadingOptions>> = {
  npm: {
    flags: new Set([
      '--silent',
      '-s',
      '--quiet',
      '-q',
      '--verbose',
      '-d',
      '-dd',
      '-ddd',
      '--json',
      '--workspaces',
      '-ws',
      '--include-workspace-root',
      '--if-present',
      '--global',
      '-g',
      '--yes',
      '-y',
      '--offline',
      '--prefer-offline',
      '--prefer-online',
      '--ignore-scripts',
      '--foreground-scripts',
      '--no-audit',
      '--no-fund',
      '--no-progress',
      '--no-update-notifier',
      '--version',
      '-v',
      '--help',
      '-h',
    ]),
    values: new Set(['--loglevel', '-w', '--workspace', '--prefix', '-C']),
  },
  yarn: {
    flags: new Set([
      '--silent',
      '-s',
      '--verbose',
      '--offline',
      '--json',
      '--no-progress',
      '--non-interactive',
      '-W',
      '--ignore-workspace-root-check',
      '--version',
      '-v',
      '--help',
      '-h',
    ]),
    values: new Set(['--cwd']),
  },
  pnpm: {
    flags: new Set([
      '--silent',
      '-s',
      '--recursive',
      '-r',
      '--workspace-root',
      '-w',
      '--include-workspace-root',
      '--parallel',
      '--stream',
      '--if-present',
      '--bail',
      '--no-bail',
      '--sort',
      '--no-sort',
      '--reverse',
      '--aggregate-output',
      '--fail-if-no-match',
      '--version',
      '-v',
      '--help',
      '-h',
    ]),
    values: new Set(['--filter', '-F', '-C', '--dir', '--loglevel', '--reporter']),
  },
};

/** Subcommands whose first operand names a script: `run env` prints the whole environment. */
const RUN_SUBCOMMANDS = new Set(['run', 'run-script', 'rum', 'urn', 'run-scripts']);

function packageManager(program: 'npm' | 'yarn' | 'pnpm'): ProgramCheck {
  const spec = program === 'npm' ? SPEC : FLAG_W_SPEC;
  const leading = LEADING_OPTIONS[program];
  return (argv, context) => {
    const args = argv.slice(1);
    let subcommandIndex = 0;
    for (; subcommandIndex < args.length; subcommandIndex++) {
      const word = args[subcommandIndex]!;
      const text = word.value;
      if (word.dynamic || text.charCodeAt(0) !== 45 || text === '-') break;
      if (text === '--') {
        subcommandIndex++;
        break;
      }
      const denied = deniedLongOption(text, DENIED_OPTIONS);
      if (denied) return deny(program, denied, DENIED_OPTIONS.reasons.get(denied)!);
      if (text.startsWith('--') && text.includes('=')) continue;
      if (leading.flags.has(text)) continue;
      if (leading.values.has(text)) {
        subcommandIndex++;
        continue;
      }
      return denyResult({
        ruleId: 'builtin:dangerous-option',
        reason: `${program} ${text}: before the subcommand, ${program} may read \`${text}\` as taking the next word as its value or not, which changes the subcommand; put options after the subcommand (\`${program} test ${text}\`) or write \`${text}=value\``,
      });
    }
    const scanned = scanArguments(args, spec);
    let afterDoubleDash = false;
    for (const item of scanned) {
      if (item.role === 'option' && item.option === '--') afterDoubleDash = true;
      if (afterDoubleDash || item.role !== 'option') continue;
      const denied = deniedLongOption(item.word.value, DENIED_OPTIONS);
      if (denied) return deny(program, denied, DENIED_OPTIONS.reasons.get(denied)!);
    }
    const denial = checkScannedArguments(program, scanned, context, GLOB_FRIENDLY_ARGUMENTS);
    if (denial) return denyResult(denial);
    if (program === 'pnpm') {
      const filterDenial = pnpmFilterDenial(args, context.directories);
      if (filterDenial) return denyResult(filterDenial);
    }
    const subcommand: ArgWord | undefined = args[subcommandIndex];
    if (subcommand?.dynamic) return denyResult(expansionDenial(program, subcommand.text, 'the subcommand'));
    const environmentDump = subcommand && printsEnvironment(program, args, subcommandIndex);
    if (environmentDump) return denyResult(environmentDump);
    const result = ruleArgsResult(subcommandFirst(args, subcommand));
    if (program !== 'npm' && subcommand) {
      const toolIndex = toolCommandIndex(program, args, subcommandIndex);
      if (toolIndex !== -1) {
        // `yarn tsx -e ...` runs node_modules/.bin/tsx: the tool is checked like `npx tsx -e ...`.
        result.inner = [{ argv: args.slice(toolIndex), stdin: context.stdin }];
      }
    }
    if (
      RUNS_SCRIPTS.has(subcommand?.value ?? '') ||
      (program !== 'npm' && subcommand && !KNOWN_NON_SCRIPTS.has(subcommand.value))
    ) {
      result.executesFile = true;
    }
    return result;
  };
}

/** Tools yarn and pnpm run from node_modules/.bin by name (`yarn tsx`, `pnpm vitest run`). */
const TOOL_NAMES: ReadonlySet<string> = new Set(JS_TOOL_NAMES);

/**
 * Where the tool command starts when yarn or pnpm runs a local binary: `yarn <tool>`,
 * `yarn run <tool>` (yarn runs a binary when no script has that name, and so may pnpm), `yarn
 * workspace <name> [run] <tool>`. -1 when the subcommand names no tool of TOOL_NAMES.
 */
function toolCommandIndex(program: string, args: readonly ArgWord[], subcommandIndex: number): number {
  let index = subcommandIndex;
  let value = args[index]!.value;
  if (TOOL_NAMES.has(value)) return index;
  if (program === 'yarn' && value === 'workspace') {
    index += 2;
    value = args[index]?.value ?? '';
    if (TOOL_NAMES.has(value)) return index;
  }
  if (value !== 'run' && value !== 'run-script') return -1;
  // The script (or binary) is the first word after `run` that is not an option.
  for (index++; index < args.length; index++) {
    const word = args[index]!;
    const text = word.value;
    if (text === '--') continue;
    if (text.charCodeAt(0) === 45 && !word.dynamic) {
      if (LEADING_OPTIONS.yarn.values.has(text) || LEADING_OPTIONS.pnpm.values.has(text)) index++;
      continue;
    }
    return TOOL_NAMES.has(text) ? index : -1;
  }
  return -1;
}

/**
 * `pnpm --filter ../main test` runs the scripts of another directory's packages: a selector may
 * name a directory (`./pkg`, `{../x}`, `...{../x}`, `!../x`, `../x^...`). Denies selectors whose
 * directory leaves the worktree. Options are matched with pnpm's abbreviations (`--filt`).
 */
function pnpmFilterDenial(
  args: readonly ArgWord[],
  directories: readonly RelativeDirectory[],
): Denial | undefined {
  for (let index = 0; index < args.length; index++) {
    const word = args[index]!;
    const text = word.value;
    if (text === '--') break;
    if (text.charCodeAt(0) !== 45 || word.dynamic) continue;
    let selector: ArgWord | string | undefined;
    if (text.startsWith('-F')) selector = text.length > 2 ? text.slice(2) : args[++index];
    else if (text.length >= 5 && text.startsWith('--fi')) {
      const equals = text.indexOf('=');
      const name = equals === -1 ? text : text.slice(0, equals);
      if (!'--filter-prod'.startsWith(name)) continue;
      selector = equals === -1 ? args[++index] : text.slice(equals + 1);
    } else continue;
    if (selector === undefined) return undefined;
    const values = typeof selector === 'string' ? [selector] : possibleValues(selector);
    if (!values) {
      return expansionDenial(
        'pnpm',
        (selector as ArgWord).text,
        'a --filter selector, which may name a directory',
      );
    }
    for (const value of values) {
      const problem = filterSelectorProblem(value, directories);
      if (problem) {
        return {
          ruleId: 'builtin:outside-worktree',
          reason: `pnpm ${text.startsWith('-F') ? '-F' : '--filter'}: the selector names a directory: ${problem}; select packages inside the worktree (by name or ./path)`,
        };
      }
    }
  }
  return undefined;
}

/** Why the directories a pnpm selector names leave the worktree, or undefined. */
function filterSelectorProblem(value: string, directories: readonly RelativeDirectory[]): string | undefined {
  let rest = value;
  if (rest.startsWith('!')) rest = rest.slice(1);
  if (rest.startsWith('...')) rest = rest.slice(3);
  if (rest.startsWith('^')) rest = rest.slice(1);
  if (rest.endsWith('...')) rest = rest.slice(0, -3);
  if (rest.endsWith('^')) rest = rest.slice(0, -1);
  // `name{dir}[ref]`: the directory is in braces; a bare selector starting with `.` or `/` is one too.
  const parts: string[] = [];
  const open = rest.indexOf('{');
  if (open !== -1) {
    const close = rest.indexOf('}', open);
    parts.push(rest.slice(open + 1, close === -1 ? undefined : close));
    rest = rest.slice(0, open) + (close === -1 ? '' : rest.slice(close + 1));
  }
  const bracket = rest.indexOf('[');
  if (bracket !== -1) rest = rest.slice(0, bracket);
  parts.push(rest);
  for (const part of parts) {
    const problem = findPathProblem(part, directories);
    if (problem) return problem;
  }
  return undefined;
}

const RUNS_SCRIPTS = new Set([
  'test',
  't',
  'tst',
  'run',
  'run-script',
  'rum',
  'urn',
  'start',
  'restart',
  'stop',
  'ci',
  'cit',
  'install-ci-test',
  'it',
  'install-test',
  'install',
  'i',
  'add',
  'rebuild',
  'exec',
  'x',
  'dlx',
]);
const KNOWN_NON_SCRIPTS = new Set([
  '--version',
  '-v',
  'help',
  'why',
  'info',
  'list',
  'ls',
  'outdated',
  'audit',
  'view',
  'config',
]);

/**
 * `npm run env` (and `run-script env`, `yarn run env`) runs npm's built-in `env` script, which
 * prints the whole environment; `pnpm env` manages node installations. Any `env` word among the
 * arguments of `run` counts: which word is the script depends on options the policy cannot parse.
 */
function printsEnvironment(
  program: string,
  args: readonly ArgWord[],
  subcommandIndex: number,
): Denial | undefined {
  const subcommand = args[subcommandIndex]!.value;
  let found = subcommand === 'env';
  if (!found && RUN_SUBCOMMANDS.has(subcommand)) {
    for (let index = subcommandIndex + 1; index < args.length; index++) {
      const value = args[index]!.value;
      if (value === '--') break;
      if (value === 'env') found = true;
    }
  }
  if (!found) return undefined;
  return {
    ruleId: 'builtin:environment-dump',
    reason: `${program} ${subcommand}${subcommand === 'env' ? '' : ' env'}: the env script prints the whole environment, which may hold secrets; run a named project script instead`,
  };
}

/** Moves the subcommand to the front, keeping every other argument for anyArg/noArg rules. */
export function subcommandFirst(args: readonly ArgWord[], subcommand: ArgWord | undefined): ArgWord[] {
  if (!subcommand) return args.slice();
  const index = args.indexOf(subcommand);
  if (index === 0) return args.slice();
  return [subcommand, ...args.slice(0, index), ...args.slice(index + 1)];
}

/** `npx tool args`: checked as a wrapper; the tool itself must be allowed by rules as `tool args`. */
export const npx: ProgramCheck = (argv, context) => {
  const args = argv.slice(1);
  let index = 0;
  for (; index < args.length; index++) {
    const word = args[index]!;
    if (word.dynamic) return denyResult(expansionDenial('npx', word.text, 'an option or package name'));
    const text = word.value;
    if (!text.startsWith('-')) break;
    const name = text.split('=')[0]!;
    if (name === '-c') return deny('npx', name, DENIED['--call']!);
    if (name === '-p') return deny('npx', name, DENIED['--package']!);
    const denied = deniedLongOption(text, DENIED_OPTIONS);
    if (denied) return deny('npx', denied, DENIED_OPTIONS.reasons.get(denied)!);
    if (text === '--') {
      index++;
      break;
    }
  }
  const tool = args[index];
  if (!tool)
    return denyResult({
      ruleId: 'builtin:stdin-script',
      reason: 'npx without a package name is not allowed',
    });
  return programResult({
    ruleArgs: args.slice(index),
    inner: [{ argv: args.slice(index), stdin: context.stdin }],
    executesFile: true,
  });
};

function deny(program: string, option: string, reason: string): ProgramResult {
  return denyResult({ ruleId: 'builtin:dangerous-option', reason: `${program} ${option}: ${reason}` });
}

/** Checks of the JavaScript package managers, by name. */
export const packageManagerChecks: ReadonlyMap<string, ProgramCheck> = new Map([
  ['npm', packageManager('npm')],
  ['yarn', packageManager('yarn')],
  ['pnpm', packageManager('pnpm')],
  ['npx', npx],
]);
