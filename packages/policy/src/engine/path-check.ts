/**
 * Lexical checks that a path stays inside the worktree. The engine never touches the file system:
 * it resolves `.` and `..` against every directory the script may have `cd`-ed into, and treats
 * `~`, absolute paths (other than a few devices) and anything reaching above the worktree root as
 * outside. Symbolic links inside the worktree are not followed (see the README's limits).
 */

/** Absolute paths any command may read or write: they hold no secrets and reach no files. */
const DEVICE_PATHS = new Set([
  '/dev/null',
  '/dev/stdin',
  '/dev/stdout',
  '/dev/stderr',
  '/dev/fd/0',
  '/dev/fd/1',
  '/dev/fd/2',
  '/dev/zero',
  '/dev/random',
  '/dev/urandom',
]);

/** A directory relative to the worktree root, as path segments (`[]` is the root itself). */
export type RelativeDirectory = readonly string[];

/** How a path is used. */
export interface PathCheckOptions {
  /** The value is an unquoted glob pattern (a segment like `.*` could match `..`). */
  glob?: boolean;
  /** The command writes to the path: `.git` inside the worktree is refused too. */
  write?: boolean;
}

/**
 * Returns why `value`, used as a path from any of `directories`, leaves the worktree (or writes
 * into `.git`), or undefined when it stays inside.
 */
export function findPathProblem(
  value: string,
  directories: readonly RelativeDirectory[],
  options: PathCheckOptions = {},
): string | undefined {
  if (value === '') return undefined;
  // Fast path: a plain relative name cannot leave the worktree.
  if (!value.includes('.') && !value.startsWith('~') && !value.startsWith('/')) return undefined;
  if (value.startsWith('~')) return `\`${value}\` starts with ~ (a home directory outside the worktree)`;
  if (value.startsWith('/')) {
    if (DEVICE_PATHS.has(value) || /^\/dev\/fd\/\d+$/.test(value)) return undefined;
    return `\`${value}\` is an absolute path outside the worktree`;
  }
  // Without `..` (or a glob that may match it) no directory is left; only `.git` can be a problem.
  if (!options.glob && !value.includes('..') && (!options.write || !GIT_DIRECTORY.test(value))) {
    return undefined;
  }
  const segments = value.split('/');
  for (const directory of directories) {
    // Only how deep the path is matters, not the names it passes through.
    let depth = directory.length;
    for (const segment of segments) {
      if (segment === '' || segment === '.') continue;
      if (segment === '..' || (options.glob && globSegmentMatchesParent(segment))) {
        if (depth === 0) return `\`${value}\` leaves the worktree through ..`;
        depth--;
        continue;
      }
      depth++;
      if (options.write && segment.toLowerCase() === '.git') {
        return `\`${value}\` writes into .git (hooks and config there run programs)`;
      }
    }
  }
  return undefined;
}

/** True when relative `value` names the worktree root itself (`.`, `./`, `src/..`) from any directory. */
export function isWorktreeRoot(value: string, directories: readonly RelativeDirectory[]): boolean {
  if (value.startsWith('/') || value.startsWith('~')) return false;
  const segments = value.split('/');
  return directories.some((directory) => {
    // Only the depth matters; `..` at the root stays at the root.
    let depth = directory.length;
    for (const segment of segments) {
      if (segment === '' || segment === '.') continue;
      if (segment !== '..') depth++;
      else if (depth > 0) depth--;
    }
    return depth === 0;
  });
}

/** Resolves `value` from `directory`; undefined when it leaves the worktree. */
export function resolveDirectory(value: string, directory: RelativeDirectory): RelativeDirectory | undefined {
  const resolved = [...directory];
  for (const segment of value.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') {
      if (resolved.length === 0) return undefined;
      resolved.pop();
    } else resolved.push(segment);
  }
  return resolved;
}

const GIT_DIRECTORY = /\.git/i;

function globSegmentMatchesParent(segment: string): boolean {
  if (!/[*?[]/.test(segment)) return false;
  const quick = globMatchesParentQuickly(segment);
  if (quick !== undefined) return quick;
  const source = segment
    .replace(/\[[^\]]*\]/g, '\u0000')
    .replace(/[.+^${}()|\\]/g, '\\$&')
    .replace(/\*/g, '[\\s\\S]*')
    .replace(/\?/g, '[\\s\\S]')
    .replace(/\u0000/g, '[\\s\\S]');
  return new RegExp(`^${source}$`).test('..');
}

/**
 * Whether the glob `segment` matches `..`, decided without building a regex: `*` matches any run,
 * `?` and a bracket expression one character, anything else itself. Undefined for a `[` without
 * its `]` (left to the regex, which treats it the same way it always has).
 */
function globMatchesParentQuickly(segment: string): boolean | undefined {
  let singles = 0;
  let star = false;
  let literalsAreDots = true;
  for (let index = 0; index < segment.length; index++) {
    const char = segment[index];
    if (char === '*') star = true;
    else if (char === '?') singles++;
    else if (char === '[') {
      const close = segment.indexOf(']', index + 1);
      if (close === -1) return undefined;
      singles++;
      index = close;
    } else {
      singles++;
      if (char !== '.') literalsAreDots = false;
    }
  }
  if (!literalsAreDots) return false;
  return star ? singles <= 2 : singles === 2;
}

const SECRET_NAME =
  /^(\.env(\.(?!example$|sample$|template$|dist$|defaults?$)[^/]*)?|\.npmrc|\.pypirc|\.netrc|\.pgpass|\.git-credentials|id_(rsa|dsa|ecdsa|ed25519)|[^/]*\.(pem|key|p12|pfx))$/;

/**
 * Returns why reading `value` would put a well-known secret file (`.env`, SSH keys, `.npmrc`
 * tokens, `*.pem`) into the model's context, or undefined.
 */
export function findSecretProblem(value: string): string | undefined {
  if (!value.includes('.') && !value.includes('id_')) return undefined;
  const trimmed = value.endsWith('/') ? value.replace(/\/+$/, '') : value;
  const name = trimmed.slice(trimmed.lastIndexOf('/') + 1);
  if (!name.startsWith('.') && !name.startsWith('id_') && !name.includes('.')) return undefined;
  if (!SECRET_NAME.test(name)) return undefined;
  return `\`${value}\` usually holds secrets (keys, tokens, passwords); reading it would put them into the model's context`;
}

/** Every directory in either list, once; undefined when there would be more than `limit`. */
export function unionDirectories(
  left: readonly RelativeDirectory[],
  right: readonly RelativeDirectory[],
  limit: number,
): RelativeDirectory[] | undefined {
  if (left.length + right.length > 32) {
    const seen = new Map<string, RelativeDirectory>();
    for (const directory of [...left, ...right]) seen.set(directory.join('/'), directory);
    return seen.size > limit ? undefined : [...seen.values()];
  }
  // Few entries: a linear search beats a Map. The first occurrence of a key keeps its place, the
  // last one its directory, as Map.set would.
  const keys: string[] = [];
  const merged: RelativeDirectory[] = [];
  addDirectories(left, keys, merged);
  addDirectories(right, keys, merged);
  return merged.length > limit ? undefined : merged;
}

function addDirectories(
  directories: readonly RelativeDirectory[],
  keys: string[],
  merged: RelativeDirectory[],
): void {
  for (let index = 0; index < directories.length; index++) {
    const directory = directories[index]!;
    const key = directory.join('/');
    const at = keys.indexOf(key);
    if (at === -1) {
      keys.push(key);
      merged.push(directory);
    } else merged[at] = directory;
  }
}
