import { type ArgWord, dependsOnExpansion, possibleValues } from '../engine/arg-word.js';
import {
  checkScannedArguments,
  expansionDenial,
  GLOB_FRIENDLY_ARGUMENTS,
  pathDenial,
  STRICT_ARGUMENTS,
} from '../engine/check-arguments.js';
import { type ArgumentKind, compileOptionSpec, scanArguments } from '../engine/option-scan.js';
import { findPathProblem, type RelativeDirectory, resolveDirectory } from '../engine/path-check.js';
import type { Denial, ProgramCheck, ProgramContext, ProgramResult } from '../engine/program-context.js';
import { denyResult, ruleArgsResult } from '../engine/program-result.js';
import { findGitConfigProblem } from './git-config-keys.js';
import { gitSubcommandChecks } from './git-subcommands.js';

/**
 * `git`: parses the global options before the subcommand (`-C`, `-c`, `--git-dir`, ...), refuses
 * configuration that runs programs and every way of sending commits elsewhere, checks paths, and
 * hands the rules `subcommand args...` with the global options removed.
 */
export const git: ProgramCheck = (argv, context) => {
  const args = argv.slice(1);
  let directories = context.directories;
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
        const moved = target && moveTo(target, directories);
        if (!moved || 'ruleId' in moved) return denyResult(moved ?? missingValue('-C'));
        directories = moved;
        break;
      }
      case '-c': {
        const pair = takeValue();
        if (!pair) return denyResult(missingValue('-c'));
        if (dependsOnExpansion(pair)) return denyResult(expansionDenial('git', pair.text, 'a -c setting'));
        const problem = findGitConfigProblem(pair.value.split('=')[0] ?? '');
        if (problem)
          return denyResult({ ruleId: 'builtin:git-config', reason: `git -c ${pair.value}: ${problem}` });
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
        const moved = target && moveTo(target, directories);
        if (!moved || 'ruleId' in moved) return denyResult(moved ?? missingValue(name));
        break;
      }
      case '--namespace':
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
      default:
        if (!SAFE_GLOBAL_FLAGS.has(name)) return denyOption(name, 'is not a known global option');
    }
  }
  const subcommand = args[index];
  if (!subcommand) return ruleArgsResult(args);
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
  const result = checkSubcommand(name, ruleArgs, local);
  result.ruleArgs = ruleArgs;
  return result;
};

/** Checks `subcommand args...` (`ruleArgs[0]` is the subcommand, skipped by the scan). */
function checkSubcommand(name: string, ruleArgs: readonly ArgWord[], context: ProgramContext): ProgramResult {
  const special = gitSubcommandChecks.get(name);
  const scanned = scanArguments(ruleArgs, GIT_SPEC, 1);
  for (const item of scanned) {
    if (item.role !== 'option' || !item.option) continue;
    const reason = DANGEROUS_OPTION_REASONS.get(item.option);
    if (reason) return denyOption(item.option, reason);
  }
  let checked = scanned;
  if (special) {
    const result = special(scanned, context);
    if (result.deny) return denyResult(result.deny);
    const exempt = result.exempt;
    if (exempt && exempt.length > 0) checked = scanned.filter((item) => !exempt.includes(item.word));
  }
  const denial = checkScannedArguments(
    `git ${name}`,
    checked,
    context,
    GLOB_SENSITIVE.has(name) ? STRICT_ARGUMENTS : GLOB_FRIENDLY_ARGUMENTS,
  );
  // A fresh result: the caller sets its ruleArgs.
  return denial ? denyResult(denial) : ruleArgsResult(undefined);
}

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
  '--attr-source',
]);

/** Options (of any subcommand) that make git run a program or open another repository. */
const DANGEROUS_OPTIONS: Readonly<Record<string, string>> = {
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
};

const DANGEROUS_OPTION_REASONS: ReadonlyMap<string, string> = new Map(Object.entries(DANGEROUS_OPTIONS));

/** Value-taking options git subcommands share; the values are messages, patterns, revisions. */
const GIT_VALUES: Readonly<Record<string, ArgumentKind>> = {
  '-m': 'data',
  '--message': 'data',
  '-F': 'path',
  '--file': 'path',
  '--author': 'data',
  '--committer': 'data',
  '--grep': 'data',
  '--format': 'data',
  '--pretty': 'data',
  '--since': 'data',
  '--until': 'data',
  '--after': 'data',
  '--before': 'data',
  '--date': 'data',
  '--trailer': 'data',
  '--reason': 'data',
  '-b': 'data',
  '-B': 'data',
  '--orphan': 'data',
  '-X': 'data',
  '--strategy-option': 'data',
  '--strategy': 'data',
  '--into-name': 'data',
  '-o': 'write',
  '--output': 'write',
  '--output-directory': 'write',
  '--directory': 'path',
  '--exclude': 'data',
  '--include': 'data',
  '--depth': 'data',
  '--shallow-since': 'data',
  '--refmap': 'data',
  '--filter': 'data',
  '--set-upstream-to': 'data',
  '--max-count': 'data',
  '--skip': 'data',
  '-L': 'data',
  '--abbrev': 'data',
  '--encoding': 'data',
  '--word-diff-regex': 'data',
  '--diff-filter': 'data',
  '-U': 'data',
  '--unified': 'data',
  '--remote': 'data',
  '--prefix': 'data',
  '--upload-pack': 'data',
  '--exec': 'data',
  '--expire': 'data',
  '--source': 'data',
  '--pathspec-from-file': 'path',
  '--reuse-message': 'data',
  '--reedit-message': 'data',
  '--fixup': 'data',
  '--squash': 'data',
  '--cleanup': 'data',
  '--untracked-files': 'data',
  '--ignore-submodules': 'data',
  '--sort': 'data',
  '--points-at': 'data',
  '--contains': 'data',
  '--no-contains': 'data',
  '--merged': 'data',
  '--no-merged': 'data',
};

const GIT_SPEC = compileOptionSpec({ values: GIT_VALUES, positionals: 'path' });

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

function moveTo(target: ArgWord, directories: readonly RelativeDirectory[]): RelativeDirectory[] | Denial {
  const values = possibleValues(target);
  if (!values || target.glob) return expansionDenial('git', target.text, 'a repository path');
  const moved: RelativeDirectory[] = [];
  for (const value of values) {
    const problem = findPathProblem(value, directories);
    if (problem) return pathDenial('git', problem, false);
    for (const directory of directories) {
      const resolved = resolveDirectory(value, directory);
      if (resolved) moved.push(resolved);
    }
  }
  return moved;
}

function missingValue(option: string): Denial {
  return { ruleId: 'builtin:parse-error', reason: `git ${option} needs a value` };
}

function denyOption(option: string, reason: string): ProgramResult {
  return denyResult({ ruleId: 'builtin:git-option', reason: `git ${option}: ${reason}` });
}
