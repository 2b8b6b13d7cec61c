import { basename } from 'node:path';

// Git subcommands that only read the repository: a command made of these (and non-git programs)
// gets the git dirs read-only. Anything else that runs git may write objects, refs and the index.
const readOnlyGitCommands = new Set([
  'status',
  'log',
  'diff',
  'show',
  'rev-parse',
  'rev-list',
  'ls-files',
  'ls-tree',
  'cat-file',
  'grep',
  'blame',
  'describe',
  'shortlog',
  'merge-base',
  'name-rev',
  'for-each-ref',
  'show-ref',
  'version',
  'help',
]);

// Global options of git that take a separate value.
const optionsWithValue = new Set(['-C', '-c', '--git-dir', '--work-tree', '--namespace', '--config-env']);

function gitSubcommand(argv: readonly string[]): string | undefined {
  for (let index = 1; index < argv.length; index++) {
    const argument = argv[index] as string;
    if (optionsWithValue.has(argument)) index++;
    else if (!argument.startsWith('-')) return argument;
  }
  return undefined;
}

/**
 * The git-dir access a command needs, from the argv of each simple command the policy found:
 * `write` when one of them runs git with a subcommand that may write (commit, add, merge, ...),
 * else `read` (tests, builds, `git status`, `git diff`).
 */
export function gitAccess(commands: ReadonlyArray<readonly string[]>): 'read' | 'write' {
  for (const argv of commands) {
    if (argv[0] === undefined || basename(argv[0]) !== 'git') continue;
    const subcommand = gitSubcommand(argv);
    if (subcommand !== undefined && !readOnlyGitCommands.has(subcommand)) return 'write';
  }
  return 'read';
}
