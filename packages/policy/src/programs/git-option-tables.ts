import {
  type ArgumentKind,
  type CompiledOptionSpec,
  compileDeniedOptions,
  compileOptionSpec,
} from '../engine/option-scan.js';

/**
 * git's option tables: which options take a value and of what kind (data, a path read, a file
 * written), per subcommand on top of a shared table, and the options refused in every subcommand.
 * `git` scans each subcommand's arguments with these, so an option's value is never mistaken for
 * a path and a path never hides an option.
 */

/** Options (of any subcommand) that make git run a program or open another repository. */
export const DANGEROUS_OPTIONS = compileDeniedOptions({
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

/** The option table of `git <name>`: the shared table plus what the subcommand adds. */
export function gitSubcommandSpec(name: string): CompiledOptionSpec {
  return SUBCOMMAND_SPECS.get(name) ?? GIT_SPEC;
}
