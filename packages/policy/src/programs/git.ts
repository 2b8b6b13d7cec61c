import { type ArgWord, dependsOnExpansion } from '../engine/arg-word.js';
import {
  checkScannedArguments,
  expansionDenial,
  GLOB_FRIENDLY_ARGUMENTS,
  pathDenial,
  STRICT_ARGUMENTS,
} from '../engine/check-arguments.js';
import {
  type ArgumentKind,
  abbreviates,
  type CompiledOptionSpec,
  compileDeniedOptions,
  compileOptionSpec,
  deniedLongOption,
  type ScannedArgument,
  scanArguments,
} from '../engine/option-scan.js';
import {
  findPathProblem,
  findSecretProblem,
  globSegmentMatchesName,
  isInertOutputFile,
  patternCanSelectSecret,
  type RelativeDirectory,
  SECRET_SAMPLES,
} from '../engine/path-check.js';
import type { Denial, ProgramCheck, ProgramContext, ProgramResult } from '../engine/program-context.js';
import { denyResult, ruleArgsResult } from '../engine/program-result.js';
import { findGitConfigProblem } from './git-config-keys.js';
import { gitDirectoryDenial, gitLocationDenial } from './git-location.js';
import { gitObjectStoreDenial } from './git-object-store.js';
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
  const scanned = scanArguments(ruleArgs, SUBCOMMAND_SPECS.get(name) ?? GIT_SPEC, 1);
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

/** Options (of any subcommand) that make git run a program or open another repository. */
const DANGEROUS_OPTIONS = compileDeniedOptions({
  '--upload-pack': 'runs a program in place of git-upload-pack',
  '--receive-pack': 'runs a program in place of git-receive-pack',
  '--exec': 'runs a program',
  '--remote': 'contacts another repository',
  '--ext-diff': 'runs the external diff program from configuration',
  '--open-files-in-pager': 'runs a pager program',
  '--extcmd': 'runs a program',
  '--unsafe-paths': 'lets a patch write outside the worktree',
  '--template': 'copies hooks from a template directory',
  '--separate-git-dir': 'puts the repository outside the worktree',
});

/**
 * Long options that take a value wherever git has them (messages, patterns, revisions, files).
 * Options whose value is optional, or that are flags in some subcommands, are listed per subcommand
 * or in GIT_OPTIONAL_VALUES: a flag read as taking a value would hide the next word from the checks.
 */
const GIT_VALUES: Readonly<Record<string, ArgumentKind>> = {
  '--message': 'data',
  '--file': 'path',
  '--author': 'data',
  '--committer': 'data',
  '--grep': 'data',
  '--format': 'data',
  '--since': 'data',
  '--until': 'data',
  '--after': 'data',
  '--before': 'data',
  '--date': 'data',
  '--trailer': 'data',
  '--reason': 'data',
  '--orphan': 'data',
  '--strategy-option': 'data',
  '--strategy': 'data',
  '--into-name': 'data',
  '--output': 'write',
  '--output-directory': 'write',
  '--output-indicator-new': 'data',
  '--output-indicator-old': 'data',
  '--output-indicator-context': 'data',
  '--build-fake-ancestor': 'write',
  '--directory': 'path',
  '--exclude': 'data',
  '--exclude-from': 'path',
  '--depth': 'data',
  '--shallow-since': 'data',
  '--shallow-exclude': 'data',
  '--refmap': 'data',
  '--filter': 'data',
  '--set-upstream-to': 'data',
  '--max-count': 'data',
  '--word-diff-regex': 'data',
  '--diff-filter': 'data',
  '--remote': 'data',
  '--prefix': 'data',
  '--upload-pack': 'data',
  '--receive-pack': 'data',
  '--exec': 'data',
  '--template': 'path',
  '--separate-git-dir': 'path',
  '--expire': 'data',
  '--pathspec-from-file': 'path',
  '--orderfile': 'path',
  '--ignore-revs-file': 'path',
  '--contents': 'path',
  '--signature-file': 'path',
  '--description-file': 'path',
  '--add-file': 'path',
  '--mailmap-file': 'path',
  '--reuse-message': 'data',
  '--reedit-message': 'data',
  '--fixup': 'data',
  '--cleanup': 'data',
  '--conflict': 'data',
  '--sort': 'data',
  '--points-at': 'data',
  '--contains': 'data',
  '--no-contains': 'data',
  '--merged': 'data',
  '--no-merged': 'data',
};

/** Options whose value git reads only when attached (`--abbrev=7`, `--pretty=oneline`). */
const GIT_OPTIONAL_VALUES: Readonly<Record<string, ArgumentKind>> = {
  '--pretty': 'data',
  '--abbrev': 'data',
  '--encoding': 'data',
  '--unified': 'data',
  '--untracked-files': 'data',
  '--ignore-submodules': 'data',
  '--source': 'data',
  '--color': 'data',
  '--colour': 'data',
  '--word-diff': 'data',
  '--stat': 'data',
  '--dirstat': 'data',
  '--relative': 'data',
  '--find-renames': 'data',
  '--find-copies': 'data',
  '--break-rewrites': 'data',
  '--submodule': 'data',
  '--track': 'data',
  '--recurse-submodules': 'data',
  '--decorate': 'data',
  '--notes': 'data',
  '--column': 'data',
  '--gpg-sign': 'data',
};

/** Long flags that abbreviations must not be resolved past (`--merge` is not `--merged`). */
const GIT_FLAGS = ['--merge', '--force', '--delete', '--move', '--copy', '--apply', '--check', '--or'];

/** What a subcommand adds to the shared tables: its short options above all. */
interface SubcommandOptions {
  values?: Readonly<Record<string, ArgumentKind>>;
  optional?: Readonly<Record<string, ArgumentKind>>;
  flags?: readonly string[];
}

/** `git log`, `show`, `diff` and their relatives: revision and diff options. */
const LOG_OPTIONS: SubcommandOptions = {
  values: { '-L': 'data', '-S': 'data', '-G': 'data', '-O': 'path', '-n': 'data', '--skip': 'data' },
  optional: { '-U': 'data', '-B': 'data', '-M': 'data', '-C': 'data' },
};

const COMMIT_LIKE: SubcommandOptions = {
  values: { '-m': 'data', '-F': 'path' },
  optional: { '-S': 'data' },
};

const PICK_OPTIONS: SubcommandOptions = {
  values: { '-m': 'data', '--mainline': 'data', '-X': 'data' },
  optional: { '-S': 'data' },
};

const FETCH_OPTIONS: SubcommandOptions = {
  values: {
    '-o': 'data',
    '--server-option': 'data',
    '-j': 'data',
    '--jobs': 'data',
    '--negotiation-tip': 'data',
  },
};

const SUBCOMMAND_OPTIONS: Readonly<Record<string, SubcommandOptions>> = {
  log: LOG_OPTIONS,
  show: LOG_OPTIONS,
  whatchanged: LOG_OPTIONS,
  shortlog: LOG_OPTIONS,
  diff: LOG_OPTIONS,
  'diff-tree': LOG_OPTIONS,
  'diff-files': LOG_OPTIONS,
  'diff-index': LOG_OPTIONS,
  'range-diff': LOG_OPTIONS,
  'format-patch': {
    values: { '-o': 'write', '-v': 'data', '--reroll-count': 'data', '-L': 'data', '-O': 'path' },
    optional: LOG_OPTIONS.optional,
  },
  blame: {
    values: { '-L': 'data', '-S': 'path', '--ignore-rev': 'data' },
    optional: { '-C': 'data', '-M': 'data' },
  },
  annotate: {
    values: { '-L': 'data', '-S': 'path', '--ignore-rev': 'data' },
    optional: { '-C': 'data', '-M': 'data' },
  },
  commit: {
    values: { '-m': 'data', '-F': 'path', '-c': 'data', '-C': 'data', '-t': 'path', '--squash': 'data' },
    optional: { '-S': 'data', '-u': 'data' },
    flags: ['--include', '--only', '--all', '--amend'],
  },
  tag: { values: { '-m': 'data', '-F': 'path', '-u': 'data', '--local-user': 'data' } },
  merge: { ...COMMIT_LIKE, values: { ...COMMIT_LIKE.values, '-s': 'data', '-X': 'data' } },
  notes: { values: { '-m': 'data', '-F': 'path', '-c': 'data', '-C': 'data', '--ref': 'data' } },
  stash: { values: { '-m': 'data' } },
  checkout: { values: { '-b': 'data', '-B': 'data' } },
  switch: {
    values: { '-c': 'data', '-C': 'data', '--create': 'data', '--force-create': 'data' },
    flags: ['--force'],
  },
  restore: { values: { '-s': 'data', '--source': 'data' } },
  worktree: { values: { '-b': 'data', '-B': 'data' } },
  branch: { values: { '-u': 'data' }, flags: ['--create-reflog'] },
  'cherry-pick': PICK_OPTIONS,
  revert: PICK_OPTIONS,
  grep: {
    values: {
      '-e': 'data',
      '-f': 'path',
      '-A': 'data',
      '-B': 'data',
      '-C': 'data',
      '-m': 'data',
      '--max-depth': 'data',
      '--threads': 'data',
    },
    optional: { '-O': 'data' },
  },
  'ls-files': {
    values: { '-x': 'data', '-X': 'path', '--with-tree': 'data', '--exclude-per-directory': 'data' },
  },
  config: {
    values: {
      '-f': 'path',
      '--blob': 'data',
      '-t': 'data',
      '--type': 'data',
      '--default': 'data',
      '--comment': 'data',
      '--value': 'data',
      '--url': 'data',
    },
  },
  archive: { values: { '-o': 'write', '--add-virtual-file': 'data' } },
  apply: {
    values: { '-p': 'data', '-C': 'data', '--include': 'data', '--whitespace': 'data' },
  },
  am: { values: { '--patch-format': 'data', '-p': 'data', '-C': 'data' } },
  fetch: FETCH_OPTIONS,
  pull: { values: { ...FETCH_OPTIONS.values, '-s': 'data', '-X': 'data' }, optional: { '-S': 'data' } },
};

function gitSpec(extra: SubcommandOptions = {}): CompiledOptionSpec {
  return compileOptionSpec({
    values: { ...GIT_VALUES, ...extra.values },
    optionalValues: { ...GIT_OPTIONAL_VALUES, ...extra.optional },
    flags: [...GIT_FLAGS, ...(extra.flags ?? [])],
    positionals: 'path',
    longPrefixes: true,
  });
}

const GIT_SPEC = gitSpec();
const SUBCOMMAND_SPECS: ReadonlyMap<string, CompiledOptionSpec> = new Map(
  Object.entries(SUBCOMMAND_OPTIONS).map(([name, options]) => [name, gitSpec(options)]),
);

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

/** Subcommands whose arguments may be file names from `xargs` (paths, not branches or remotes). */
const PATH_SUBCOMMANDS = new Set([
  'add',
  'rm',
  'mv',
  'restore',
  'checkout',
  'diff',
  'log',
  'show',
  'whatchanged',
  'shortlog',
  'blame',
  'annotate',
  'grep',
  'ls-files',
  'status',
  'commit',
  'check-ignore',
  'check-attr',
  'diff-files',
  'diff-index',
  'diff-tree',
]);

/**
 * Positionals in pathspec or revision syntax, read the way git reads them: `:(literal).env`,
 * `:!x`, `:/x` (from the top of the repository), `HEAD:.env` and `:0:.env` (a file's content from a
 * revision or the index), and wildcards in quoted pathspecs (`'.en[v]'` matches `.env`).
 */
function checkPathspecs(
  name: string,
  scanned: readonly ScannedArgument[],
  context: ProgramContext,
  icase: boolean,
): Denial | undefined {
  for (let index = 0; index < scanned.length; index++) {
    const item = scanned[index]!;
    if (item.option === '-L') {
      // `-L 1,5:.env` follows the lines of a file through history.
      const range = item.role === 'value' ? item.word.value : item.inlineValue;
      const secret = range === undefined ? undefined : secretAfterColon(range);
      if (secret) return { ruleId: 'builtin:secret-file', reason: `git ${name}: ${secret}` };
      continue;
    }
    if (item.role !== 'positional') continue;
    const word = item.word;
    if (!word.dynamic) {
      const denial = pathspecDenial(name, word.value, context, icase);
      if (denial) return denial;
      continue;
    }
    for (const value of word.candidates ?? []) {
      const denial = pathspecDenial(name, value, context, icase);
      if (denial) return denial;
    }
  }
  return undefined;
}

function pathspecDenial(
  name: string,
  value: string,
  context: ProgramContext,
  icasePathspecs: boolean,
): Denial | undefined {
  const colon = value.indexOf(':');
  if (colon === -1) {
    // A wildcard is git's own (quoted, or an unquoted glob bash left as it is when nothing matched):
    // git's `*` also matches a leading dot and crosses `/` (`'*env'` selects `sub/.env`).
    if (hasWildcard(value)) {
      return gitPatternSelectsSecret(value, icasePathspecs) ? secretPathspecDenial(name, value) : undefined;
    }
    // `--icase-pathspecs`: `.ENV` selects `.env`.
    const secret = icasePathspecs ? findSecretProblem(value.toLowerCase()) : undefined;
    return secret ? { ruleId: 'builtin:secret-file', reason: `git ${name}: ${secret}` } : undefined;
  }
  let path = value;
  let top = false;
  let literal = false;
  let icase = icasePathspecs;
  if (colon === 0) {
    if (value.charCodeAt(1) === OPEN_PARENTHESIS) {
      // `:(top,literal)path`
      const close = value.indexOf(')');
      if (close !== -1) {
        for (const magic of value.slice(2, close).split(',')) {
          const word = magic.trim().toLowerCase();
          if (word === 'top') top = true;
          else if (word === 'literal') literal = true;
          // `:(icase).ENV` selects `.env`; `glob`, `exclude` and `attr:...` are read conservatively.
          else if (word === 'icase') icase = true;
        }
        path = value.slice(close + 1);
      }
    } else {
      // `:/path`, `:!path`, `:^path`, `:/!:path`
      let at = 1;
      for (; at < value.length; at++) {
        const code = value.charCodeAt(at);
        if (code === SLASH) top = true;
        else if (code !== EXCLAMATION && code !== CARET) break;
      }
      if (value.charCodeAt(at) === COLON) at++;
      path = value.slice(at);
    }
    const problem = findPathProblem(path, top ? ROOT : context.directories);
    if (problem) return pathDenial(`git ${name}`, problem, false);
  }
  const wildcard = !literal && hasWildcard(path);
  if (wildcard && gitPatternSelectsSecret(path, icase)) return secretPathspecDenial(name, value);
  const secret =
    findSecretProblem(icase ? path.toLowerCase() : path, wildcard) ??
    // `HEAD:.env`, `:0:.env`: the part after a colon names a file in a revision or the index.
    secretAfterColon(path);
  return secret ? { ruleId: 'builtin:secret-file', reason: `git ${name}: ${secret}` } : undefined;
}

const COLON = 58;
const SLASH = 47;
const EXCLAMATION = 33;
const CARET = 94;
const OPEN_PARENTHESIS = 40;
const ROOT: readonly RelativeDirectory[] = [[]];

function secretPathspecDenial(name: string, value: string): Denial {
  return {
    ruleId: 'builtin:secret-file',
    reason: `git ${name}: the pathspec \`${value}\` can select a file that usually holds secrets (.env, keys, tokens), since git's wildcards also match leading dots and cross \`/\`; name the files you need`,
  };
}

/**
 * Whether a git wildcard pathspec can select a secret file. git matches pathspecs against whole
 * paths from the repository root with fnmatch and no FNM_PATHNAME/FNM_PERIOD: `*` crosses `/` and
 * matches a leading dot. A pattern ending in `*` reads whole directories (see the README's limits).
 */
function gitPatternSelectsSecret(pattern: string, icase: boolean): boolean {
  if (patternCanSelectSecret(pattern, true, icase)) return true;
  const star = pattern.lastIndexOf('*');
  // After the last `*`: what a path must end with (`*env` ends `sub/.env`).
  const tail = star === -1 ? '' : `*${pattern.slice(star + 1)}`;
  // The literal directories before the first wildcard (`sub/` of `sub/*env`).
  let firstWildcard = 0;
  while (firstWildcard < pattern.length && !isWildcardCode(pattern.charCodeAt(firstWildcard)))
    firstWildcard++;
  let prefix = pattern.slice(0, pattern.lastIndexOf('/', firstWildcard) + 1);
  // `src/*`, `src/**/*`: a whole directory.
  if (ONLY_WILDCARDS.test(pattern.slice(prefix.length))) prefix = '';
  for (const sample of SECRET_SAMPLES) {
    if (tail.length > 1 && globSegmentMatchesName(tail, `/${sample}`, icase)) return true;
    if (
      prefix !== '' &&
      (globSegmentMatchesName(pattern, prefix + sample, icase) ||
        globSegmentMatchesName(pattern, `${prefix}x/${sample}`, icase))
    ) {
      return true;
    }
  }
  return false;
}

const ONLY_WILDCARDS = /^[*?/]*$/;

function isWildcardCode(code: number): boolean {
  return code === 42 || code === 63 || code === 91;
}

function secretAfterColon(path: string): string | undefined {
  const first = path.indexOf(':');
  if (first === -1) return undefined;
  const last = path.lastIndexOf(':');
  return (
    findSecretProblem(path.slice(first + 1)) ??
    (last !== first ? findSecretProblem(path.slice(last + 1)) : undefined)
  );
}

function hasWildcard(value: string): boolean {
  for (let index = 0; index < value.length; index++) {
    const code = value.charCodeAt(index);
    if (code === 42 || code === 63 || code === 91) return true;
  }
  return false;
}
