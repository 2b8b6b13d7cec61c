import type { ArgWord } from '../engine/arg-word.js';
import {
  checkScannedArguments,
  expansionDenial,
  GLOB_FRIENDLY_ARGUMENTS,
} from '../engine/check-arguments.js';
import { type ArgumentKind, compileOptionSpec, scanArguments } from '../engine/option-scan.js';
import type { ProgramCheck, ProgramResult } from '../engine/program-context.js';
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
const DENIED_OPTIONS: ReadonlyMap<string, string> = new Map(Object.entries(DENIED));

function packageManager(program: 'npm' | 'yarn' | 'pnpm'): ProgramCheck {
  const spec = program === 'npm' ? SPEC : FLAG_W_SPEC;
  return (argv, context) => {
    const args = argv.slice(1);
    const scanned = scanArguments(args, spec);
    let afterDoubleDash = false;
    for (const item of scanned) {
      if (item.role === 'option' && item.option === '--') afterDoubleDash = true;
      if (afterDoubleDash || item.role !== 'option') continue;
      const name = item.option ?? '';
      const reason = DENIED_OPTIONS.get(name);
      if (reason) return deny(program, name, reason);
    }
    const denial = checkScannedArguments(program, scanned, context, GLOB_FRIENDLY_ARGUMENTS);
    if (denial) return denyResult(denial);
    let subcommand: ArgWord | undefined;
    for (const item of scanned) {
      if (item.role !== 'positional') continue;
      subcommand = item.word;
      break;
    }
    if (subcommand?.dynamic) return denyResult(expansionDenial(program, subcommand.text, 'the subcommand'));
    const result = ruleArgsResult(subcommandFirst(args, subcommand));
    if (
      RUNS_SCRIPTS.has(subcommand?.value ?? '') ||
      (program !== 'npm' && subcommand && !KNOWN_NON_SCRIPTS.has(subcommand.value))
    ) {
      result.executesFile = true;
    }
    return result;
  };
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
    if (name === '-c' || name === '--call') return deny('npx', name, DENIED['--call']!);
    if (name === '-p' || name === '--package') return deny('npx', name, DENIED['--package']!);
    const reason = DENIED_OPTIONS.get(name);
    if (reason) return deny('npx', name, reason);
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
