import { type ArgWord, dependsOnExpansion } from '../engine/arg-word.js';
import {
  checkScannedArguments,
  expansionDenial,
  GLOB_FRIENDLY_ARGUMENTS,
  pathDenial,
  STRICT_ARGUMENTS,
} from '../engine/check-arguments.js';
import { abbreviates, deniedLongOption, type ScannedArgument, scanArguments } from '../engine/option-scan.js';
import {
  findPathProblem,
  findSecretProblem,
  isInertOutputFile,
  type RelativeDirectory,
} from '../engine/path-check.js';
import type { Denial, ProgramCheck, ProgramContext, ProgramResult } from '../engine/program-context.js';
import { denyResult, ruleArgsResult } from '../engine/program-result.js';
import { findGitConfigProblem } from './git-config-keys.js';
import { gitDirectoryDenial, gitLocationDenial } from './git-location.js';
import { gitObjectStoreDenial } from './git-object-store.js';
import { DANGEROUS_OPTIONS, gitSubcommandSpec } from './git-option-tables.js';
import { checkPathspecs, PATH_SUBCOMMANDS } from './git-pathspecs.js';
import { gitPrinterDenial } from './git-printers.js';
import { gitRefWriteDenial } from './git-refs.js';
import { gitSubcommandChecks } from './git-subcommands.js';
import { protectedGitDenial, runsHooks } from './protected-worktree.js';

/**
 * `git`: parses the global options before the subcommand (`-C`, `-c`, `--git-dir`, ...), refuses
 * configuration that runs programs and every way of sending commits elsewhere, checks paths, and
 * hands the rules `subcommand args...` with the global options removed.
 */
export const git: ProgramCheck = (argv, context) => {
  const args = argv.slice(1);
  let directories = context.directories;
  let icasePathspecs = false;
  let index = 0;
  for (; index < args.length; index++) {
    const word = args[index]!;
    if (dependsOnExpansion(word))
      return denyResult(expansionDenial('git', word.text, 'a global option or the subcommand'));
    const text = word.value;
    if (!text.startsWith('-')) break;
    const [name, inline] = splitOption(text);
    const takeValue = (): ArgWord | undefined => {
      if (inline !== undefined) return { ...word, value: inline };
      index++;
      return args[index];
    };
    switch (name) {
      case '-C': {
        const target = takeValue();
        const denial = target ? gitLocationDenial('-C', target, directories) : missingValue('-C');
        if (denial) return denyResult(denial);
        directories = ROOT;
        break;
      }
      case '-c': {
        const pair = takeValue();
        if (!pair) return denyResult(missingValue('-c'));
        if (dependsOnExpansion(pair)) return denyResult(expansionDenial('git', pair.text, 'a -c setting'));
        const equals = pair.value.indexOf('=');
        const key = equals === -1 ? pair.value : pair.value.slice(0, equals);
        const problem = pagerOff(key, equals === -1 ? undefined : pair.value.slice(equals + 1))
          ? undefined
          : findGitConfigProblem(key);
        if (problem)
          return denyResult({ ruleId: 'builtin:git-config', reason: `git -c ${pair.value}: ${problem}` });
        // `blame.ignoreRevsFile=/abs/path`: a setting naming a file is read like a path argument.
        if (equals !== -1 && NAMES_FILE.test(key)) {
          const denial = configFileDenial(key, pair.value.slice(equals + 1), directories);
          if (denial) return denyResult(denial);
        }
        break;
      }
      case '--config-env':
        return denyResult({
          ruleId: 'builtin:git-config',
          reason: 'git --config-env sets configuration from a variable the policy cannot see',
        });
      case '--git-dir':
      case '--work-tree': {
        const target = takeValue();
        const denial = target ? gitLocationDenial(name, target, directories) : missingValue(name);
        if (denial) return denyResult(denial);
        break;
      }
      case '--namespace':
      // git 2.42 and later read `--attr-source <tree>` with a value.
      case '--attr-source':
        takeValue();
        break;
      case '--exec-path':
        if (inline !== undefined)
          return denyOption('--exec-path=', 'makes git run helper programs from another directory');
        break;
      case '-p':
      case '--paginate':
        return denyOption(name, 'runs a pager program; use --no-pager');
      case '--super-prefix':
      case '--bare':
        return denyOption(name, 'points git at another repository layout');
      case '--icase-pathspecs':
        icasePathspecs = true;
        break;
      default:
        if (!SAFE_GLOBAL_FLAGS.has(name)) return denyOption(name, 'is not a known global option');
    }
  }
  const subcommand = args[index];
  if (!subcommand) return ruleArgsResult(args);
  const location = gitDirectoryDenial(directories);
  if (location) return denyResult(location, args.slice(index));
  // `args` is this call's own copy, so without global options it can serve as the rule arguments.
  const ruleArgs = index === 0 ? args : args.slice(index);
  const name = subcommand.value;
  if (
    PUSHES.has(name) ||
    name.startsWith('remote-') ||
    // ruleArgs[0] is `subtree` itself, so this looks at the words after it.
    (name === 'subtree' && ruleArgs.some((word) => word.value === 'push'))
  ) {
    return denyResult(
      {
        ruleId: 'builtin:git-push',
        reason: `git ${name}${name === 'subtree' ? ' push' : ''} sends commits or patches out of this machine; pushing is never allowed`,
      },
      ruleArgs,
    );
  }
  const local: ProgramContext = directories === context.directories ? context : { ...context, directories };
  const result = checkSubcommand(name, ruleArgs, local, icasePathspecs, index === 0);
  result.ruleArgs = ruleArgs;
  return result;
};

/** Checks `subcommand args...` (`ruleArgs[0]` is the subcommand, skipped by the scan). */
function checkSubcommand(
  name: string,
  ruleArgs: readonly ArgWord[],
  context: ProgramContext,
  icasePathspecs: boolean,
  plainMerge: boolean,
): ProgramResult {
  const special = gitSubcommandChecks.get(name);
  const scanned = scanArguments(ruleArgs, gitSubcommandSpec(name), 1);
  for (const item of scanned) {
    if (item.role !== 'option') continue;
    // The word itself, not the resolved name: `--upl=x` abbreviates `--upload-pack`.
    const text = item.word.value;
    if (text.charCodeAt(1) !== 45) continue;
    const option = deniedLongOption(text, DANGEROUS_OPTIONS);
    if (option) return denyOption(option, DANGEROUS_OPTIONS.reasons.get(option)!);
  }
  if (name === 'apply' || name === 'am') {
    const denial = patchDenial(name, scanned);
    if (denial) return denyResult(denial);
  }
  for (let index = 1; index < ruleArgs.length; index++) {
    if (ruleArgs[index]!.fromInput && !PATH_SUBCOMMANDS.has(name)) {
      return denyResult({
        ruleId: 'builtin:xargs-input',
        reason: `git ${name}: xargs would pass file names where git ${name} reads names of branches, remotes or revisions; name them literally`,
      });
    }
  }
  // check-ignore and check-attr read .gitignore and .gitattributes, never the files they name.
  const pathspecDenial = NAMES_ONLY.has(name)
    ? undefined
    : checkPathspecs(name, scanned, context, icasePathspecs);
  if (pathspecDenial) return denyResult(pathspecDenial);
  let checked = scanned;
  if (special) {
    const result = special(scanned, context);
    if (result.deny) return denyResult(result.deny);
    const exempt = result.exempt;
    if (exempt && exempt.length > 0) checked = scanned.filter((item) => !exempt.includes(item.word));
  }
  // check-ignore and check-attr only look names up: a name like `.env` is not read.
  if (NAMES_ONLY.has(name)) {
    checked = checked.map((item) => (item.role === 'positional' ? { ...item, kind: 'data' as const } : item));
  }
  const denial = checkScannedArguments(
    `git ${name}`,
    checked,
    context,
    GLOB_SENSITIVE.has(name) ? STRICT_ARGUMENTS : GLOB_FRIENDLY_ARGUMENTS,
  );
  // A fresh result: the caller sets its ruleArgs.
  if (denial) return denyResult(denial);
  // One check per class of harm, each in its own module.
  const classDenial =
    gitRefWriteDenial(name, scanned, context) ??
    gitPrinterDenial(name, scanned) ??
    gitObjectStoreDenial(name, scanned) ??
    protectedGitDenial(name, scanned, context, plainMerge);
  if (classDenial) return denyResult(classDenial);
  // `--output=x.sh` with `--format=tformat:...` writes a file whose text the command chose: it
  // counts as written content (a log or diff file only when a later command reads it).
  const result = ruleArgsResult(undefined);
  // Hooks are worktree code when `core.hooksPath` names a tracked directory (husky): a command
  // that can update a ref or check files out may run what this script wrote.
  if (runsHooks(name)) result.executesFile = true;
  for (const item of scanned) {
    if (item.kind !== 'write' || (item.role !== 'value' && item.inlineValue === undefined)) continue;
    const target = item.role === 'value' ? item.word : undefined;
    const value = target ? target.value : item.inlineValue!;
    if (!(target?.dynamic || target?.glob) && isInertOutputFile(value)) {
      result.inertWrites = [...(result.inertWrites ?? []), value];
    } else result.writesContent = true;
  }
  return result;
}

/** Subcommands that look names up in ignore and attribute rules without reading the files. */
const NAMES_ONLY = new Set(['check-ignore', 'check-attr']);

/** Subcommands that send data out of the repository. */
const PUSHES = new Set([
  'push',
  'send-pack',
  'http-push',
  'receive-pack',
  'upload-pack',
  'upload-archive',
  'send-email',
  'imap-send',
  'p4',
  'svn',
  'cvsexportcommit',
  'cvsserver',
  'daemon',
  'instaweb',
]);

const SAFE_GLOBAL_FLAGS = new Set([
  '-P',
  '--no-pager',
  '--no-replace-objects',
  '--no-lazy-fetch',
  '--no-optional-locks',
  '--no-advice',
  '--literal-pathspecs',
  '--glob-pathspecs',
  '--noglob-pathspecs',
  '--icase-pathspecs',
  '--version',
  '-v',
  '--help',
  '-h',
  '--html-path',
  '--man-path',
  '--info-path',
  '--list-cmds',
]);

/** Subcommands with options a file name could inject (`-O<cmd>`, `--upload-pack=<cmd>`). */
const GLOB_SENSITIVE = new Set([
  'grep',
  'fetch',
  'pull',
  'ls-remote',
  'archive',
  'clone',
  'rebase',
  'bisect',
  'submodule',
]);

function splitOption(text: string): [string, string | undefined] {
  if (text.startsWith('--')) {
    const equals = text.indexOf('=');
    return equals === -1 ? [text, undefined] : [text.slice(0, equals), text.slice(equals + 1)];
  }
  if (text.length > 2 && (text.startsWith('-C') || text.startsWith('-c')))
    return [text.slice(0, 2), text.slice(2)];
  return [text, undefined];
}

function missingValue(option: string): Denial {
  return { ruleId: 'builtin:parse-error', reason: `git ${option} needs a value` };
}

function denyOption(option: string, reason: string): ProgramResult {
  return denyResult({ ruleId: 'builtin:git-option', reason: `git ${option}: ${reason}` });
}

/** `-c core.pager=cat`, `-c pager.log=false`: settings that turn the pager off run nothing else. */
function pagerOff(key: string, value: string | undefined): boolean {
  const lower = key.toLowerCase();
  if (lower === 'core.pager') return value === 'cat' || value === '';
  return /^pager\.[a-z-]+$/.test(lower) && (value === 'false' || value === 'cat' || value === '');
}

/** Config keys that name a file (`blame.ignoreRevsFile`, `mailmap.file`, `core.hooksPath`). */
const NAMES_FILE = /(file|path)$/i;

function configFileDenial(
  key: string,
  value: string,
  directories: readonly RelativeDirectory[],
): Denial | undefined {
  const problem = findPathProblem(value, directories);
  if (problem) return pathDenial(`git -c ${key}`, problem, false);
  const secret = findSecretProblem(value);
  return secret ? { ruleId: 'builtin:secret-file', reason: `git -c ${key}: ${secret}` } : undefined;
}

/** Options that make `git apply` only report on a patch (unless `--apply` asks for both). */
const PATCH_REPORTS = new Set(['--check', '--stat', '--numstat', '--summary']);

/**
 * `git apply` and `git am` write what a patch says, and a patch can create a symbolic link
 * (`l -> /tmp/outside`, `g -> ../main/.git`) and then write through it: outside the worktree, or
 * into another worktree's `.git`. Only the forms that report without applying are allowed.
 */
function patchDenial(name: string, scanned: readonly ScannedArgument[]): Denial | undefined {
  let reports = false;
  let applies = false;
  for (const item of scanned) {
    if (item.role !== 'option') continue;
    const text = item.word.value;
    if (name === 'apply' && PATCH_REPORTS.has(text)) reports = true;
    else if (abbreviates(text, '--apply')) applies = true;
    else if (name === 'am' && (text === '--show-current-patch' || text.startsWith('--show-current-patch=')))
      reports = true;
  }
  if (reports && !applies) return undefined;
  return {
    ruleId: 'builtin:git-option',
    reason: `git ${name} writes the files a patch names, and a patch can create a symbolic link and then write through it (outside the worktree, or into another worktree's .git); edit the files instead, or inspect a patch with \`git apply --check\` or \`git apply --stat\``,
  };
}

/** The worktree root: where `git -C <worktree root>` leaves git. */
const ROOT: readonly RelativeDirectory[] = [[]];
