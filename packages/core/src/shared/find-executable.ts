/**
 * The one PATH lookup of core: `which` (the npm CLI's own lookup: executable bit checked with the
 * process's uid and gid, PATHEXT on Windows), with two changes of our own that matter for
 * security: empty PATH entries are dropped (`which` reads them as the current directory, so a
 * `codex` or `git` planted in a worktree would run), and callers can skip directories (our own
 * shim directories must never find themselves).
 */
import { delimiter } from 'node:path';
import which from 'which';

/** Options of `findExecutable`. */
export interface FindExecutableOptions {
  /** The PATH to search. Default: `process.env.PATH`. */
  path?: string;
  /** Directories to leave out of the search. */
  skipDirectory?: (directory: string) => boolean;
}

/**
 * The absolute path of the first executable file `name` on PATH, or undefined. A file without
 * the executable bit is not a match (it could not be run).
 *
 * @example
 * const git = findExecutable('git'); // '/usr/bin/git'
 */
export function findExecutable(name: string, options: FindExecutableOptions = {}): string | undefined {
  const directories = (options.path ?? process.env.PATH ?? '')
    .split(delimiter)
    .filter((directory) => directory !== '' && options.skipDirectory?.(directory) !== true);
  if (directories.length === 0) return undefined;
  return which.sync(name, { path: directories.join(delimiter), nothrow: true }) ?? undefined;
}
