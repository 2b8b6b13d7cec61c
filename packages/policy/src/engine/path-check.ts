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
  const glob = options.glob === true;
  const write = options.write === true;
  // Segments are walked by index: splitting would allocate an array and a string per segment.
  const length = value.length;
  for (let at = 0; at < directories.length; at++) {
    // Only how deep the path is matters, not the names it passes through.
    let depth = directories[at]!.length;
    let start = 0;
    while (start < length) {
      let end = value.indexOf('/', start);
      if (end === -1) end = length;
      const size = end - start;
      const first = value.charCodeAt(start);
      if (size === 0 || (size === 1 && first === DOT)) {
        start = end + 1;
        continue;
      }
      if (
        (size === 2 && first === DOT && value.charCodeAt(start + 1) === DOT) ||
        (glob && globSegmentMatchesParent(value, start, end))
      ) {
        if (depth === 0) return `\`${value}\` leaves the worktree through ..`;
        depth--;
      } else {
        depth++;
        if (write && size === 4 && value.slice(start, end).toLowerCase() === '.git') {
          return `\`${value}\` writes into .git (hooks and config there run programs)`;
        }
      }
      start = end + 1;
    }
  }
  return undefined;
}

const DOT = 46;
const SLASH = 47;

/** True when one of the `/`-separated segments of `value` is exactly `..` (no allocation). */
export function hasParentSegment(value: string): boolean {
  let at = value.indexOf('..');
  while (at !== -1) {
    const startsSegment = at === 0 || value.charCodeAt(at - 1) === SLASH;
    const endsSegment = at + 2 === value.length || value.charCodeAt(at + 2) === SLASH;
    if (startsSegment && endsSegment) return true;
    at = value.indexOf('..', at + 1);
  }
  return false;
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

/** Whether the glob segment `value[start..end)` can match `..`. */
function globSegmentMatchesParent(value: string, start: number, end: number): boolean {
  if (!hasGlobCharacter(value, start, end)) return false;
  const segment = value.slice(start, end);
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

function hasGlobCharacter(value: string, start: number, end: number): boolean {
  for (let index = start; index < end; index++) {
    const code = value.charCodeAt(index);
    // `*`, `?`, `[`
    if (code === 42 || code === 63 || code === 91) return true;
  }
  return false;
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
  // The last segment, trailing slashes ignored, located without copying the string.
  let end = value.length;
  while (end > 0 && value.charCodeAt(end - 1) === SLASH) end--;
  const start = value.lastIndexOf('/', end - 1) + 1;
  // Every secret name starts with `.` or `id_`, or ends with `.pem`, `.key`, `.p12` or `.pfx`.
  if (
    value.charCodeAt(start) !== DOT &&
    !value.startsWith('id_', start) &&
    !(end - start > 4 && value.charCodeAt(end - 4) === DOT)
  ) {
    return undefined;
  }
  if (!SECRET_NAME.test(value.slice(start, end))) return undefined;
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
