/** A `git merge` command the merge queue accepts. */
export interface MergeRequestCommand {
  kind: 'merge';
  branch: string;
  /** Merge commit message given with `-m` (the queue writes a default one otherwise). */
  message?: string;
}

/** What `parseMergeCommand` found in an argv. */
export type ParsedMergeCommand =
  | MergeRequestCommand
  | { kind: 'abort' }
  | { kind: 'invalid'; reason: string };

/** The forms the merge queue takes, for messages to the model. */
export const mergeCommandUsage = 'git merge [--no-ff] [--no-edit] [-m "<message>"] task-<name>';

const ignoredFlags = new Set([
  '--no-ff',
  '--no-edit',
  '--edit',
  '--log',
  '--no-log',
  '--stat',
  '--no-stat',
  '-q',
  '--quiet',
  '-v',
  '--verbose',
]);

/**
 * Parses the argv of a `git merge` command sent to `main`. One branch, optional `-m`, and a few
 * harmless flags are accepted (the queue always merges with `--no-ff`); `--abort` is recognised;
 * every other option (`--squash`, `--ff-only`, `-s`, `-X`, `--continue`...) and several branches
 * are refused with a reason.
 */
export function parseMergeCommand(argv: readonly string[]): ParsedMergeCommand {
  const args = argv.slice(2);
  const positional: string[] = [];
  let message: string | undefined;
  for (let index = 0; index < args.length; index++) {
    const argument = args[index] as string;
    if (argument === '--abort')
      return args.length === 1 ? { kind: 'abort' } : invalid('--abort takes no other arguments');
    if (argument === '-m' || argument === '--message') {
      const value = args[++index];
      if (value === undefined) return invalid(`${argument} needs a message`);
      message = value;
    } else if (argument.startsWith('--message=')) {
      message = argument.slice('--message='.length);
    } else if (argument.startsWith('-m') && argument.length > 2 && !argument.startsWith('--')) {
      message = argument.slice(2);
    } else if (argument === '--') {
      positional.push(...args.slice(index + 1));
      break;
    } else if (ignoredFlags.has(argument)) {
      // Accepted and ignored: the queue always makes a --no-ff merge commit without an editor.
    } else if (argument.startsWith('-')) {
      return invalid(
        `option ${argument} is not supported by the merge queue (it always merges one branch with --no-ff)`,
      );
    } else {
      positional.push(argument);
    }
  }
  if (positional.length === 0) return invalid('no branch given');
  if (positional.length > 1) {
    return invalid(`merge one branch at a time (got ${positional.length}: ${positional.join(', ')})`);
  }
  const branch = positional[0] as string;
  return message === undefined ? { kind: 'merge', branch } : { kind: 'merge', branch, message };
}

function invalid(reason: string): ParsedMergeCommand {
  return { kind: 'invalid', reason };
}
