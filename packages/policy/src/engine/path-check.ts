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
        if (
          write &&
          ((size === 4 && value.slice(start, end).toLowerCase() === '.git') ||
            (glob && first === DOT && globSegmentMatchesName(value.slice(start, end), '.git', true)))
        ) {
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

/**
 * Whether the glob segment `value[start..end)` can match `..`. Decided the way bash matches a
 * pattern, without building a regex: `*` matches any run, `?` one character, a bracket expression
 * one character (any bracket expression is assumed to admit `.`), anything else itself. Bash 5.2
 * never lets a glob produce `.` or `..` (`globskipdots`), but older bash and `shopt -u globskipdots`
 * do, so the check does not rely on it.
 */
function globSegmentMatchesParent(value: string, start: number, end: number): boolean {
  if (!hasGlobCharacter(value, start, end)) return false;
  let singles = 0;
  let star = false;
  for (let index = start; index < end; index++) {
    const code = value.charCodeAt(index);
    if (code === STAR) star = true;
    else if (code === QUESTION) singles++;
    else if (code === OPEN_BRACKET) {
      const close = bracketExpressionEnd(value, index, end);
      // Without its `]` the `[` is an ordinary character, and it is not a dot.
      if (close === -1) return false;
      singles++;
      index = close;
    } else if (code === DOT) singles++;
    else return false;
  }
  return star ? singles <= 2 : singles === 2;
}

/**
 * Index of the `]` closing the bracket expression that opens at `open`, or -1 when there is none
 * before `end` (bash then reads the `[` literally). Follows bash: `!` or `^` may negate, a `]`
 * right after the opening (or the negation) is a member, and `[:class:]`, `[=c=]` and `[.c.]`
 * inside are skipped whole.
 */
function bracketExpressionEnd(value: string, open: number, end: number): number {
  let index = open + 1;
  const first = value.charCodeAt(index);
  if (first === EXCLAMATION || first === CARET) index++;
  if (value.charCodeAt(index) === CLOSE_BRACKET) index++;
  while (index < end) {
    const code = value.charCodeAt(index);
    if (code === CLOSE_BRACKET) return index;
    if (code === OPEN_BRACKET) {
      const kind = value.charCodeAt(index + 1);
      if (kind === COLON || kind === EQUALS || kind === DOT) {
        const close = value.indexOf(`${String.fromCharCode(kind)}]`, index + 2);
        if (close !== -1 && close + 1 < end) {
          index = close + 2;
          continue;
        }
      }
    }
    index++;
  }
  return -1;
}

function hasGlobCharacter(value: string, start: number, end: number): boolean {
  for (let index = start; index < end; index++) {
    const code = value.charCodeAt(index);
    if (code === STAR || code === QUESTION || code === OPEN_BRACKET) return true;
  }
  return false;
}

const STAR = 42;
const QUESTION = 63;
const OPEN_BRACKET = 91;
const CLOSE_BRACKET = 93;
const EXCLAMATION = 33;
const CARET = 94;
const COLON = 58;
const EQUALS = 61;

/** Log, text and diff files: output a later command never loads as code unless it names them. */
const INERT_OUTPUT = /\.(log|txt|out|diff|patch)$/i;

/** True when writing `value` produces an inert output file (see INERT_OUTPUT). */
export function isInertOutputFile(value: string): boolean {
  return INERT_OUTPUT.test(value);
}

/** `.git/config`, `.git/worktrees/x/config.worktree`, `.git/modules/m/config`, `.gitconfig`. */
const GIT_CONFIG_FILE = /(^|\/)(\.git\/(.*\/)?config(\.worktree)?|\.gitconfig)$/i;
const SECRET_NAME =
  /^(\.env(?!.*\.(example|sample|template|dist|defaults?)$)(\.[^/]*)?|\.npmrc|\.pypirc|\.netrc|\.pgpass|\.git-credentials|id_(rsa|dsa|ecdsa|ed25519)|[^/]*\.(pem|key|p12|pfx))$/;

/** Names that stand for every kind of secret file, for deciding what a glob can match. */
export const SECRET_SAMPLES: readonly string[] = [
  '.env',
  '.env.local',
  '.env.production',
  '.npmrc',
  '.pypirc',
  '.netrc',
  '.pgpass',
  '.git-credentials',
  'id_rsa',
  'id_dsa',
  'id_ecdsa',
  'id_ed25519',
  'server.pem',
  'server.key',
  'client.p12',
  'client.pfx',
];

/**
 * Returns why reading `value` would put a well-known secret file (`.env`, SSH keys, `.npmrc`
 * tokens, `*.pem`) into the model's context, or undefined. With `glob`, the last segment is a
 * pattern: it is refused when it can match a secret name (`.en?`, `id_rs[a]`, `*.pe[m]`), except
 * for a segment of wildcards alone (`*`), which reads a whole directory (see the README's limits).
 */
export function findSecretProblem(value: string, glob = false): string | undefined {
  if (!value.includes('.') && !value.includes('id_') && !glob) return undefined;
  // The last segment, trailing slashes ignored, located without copying the string.
  let end = value.length;
  while (end > 0 && value.charCodeAt(end - 1) === SLASH) end--;
  const start = value.lastIndexOf('/', end - 1) + 1;
  if (glob && hasGlobCharacter(value, start, end)) return globSecretProblem(value, start, end);
  // A repository's config holds remote URLs with tokens: `.git/config` reads like `git config -l`.
  if (GIT_CONFIG_FILE.test(value.slice(0, end))) {
    return `\`${value}\` is a repository config, which holds remote URLs and tokens; read one key with \`git config --get <key>\``;
  }
  // Every secret name starts with `.` or `id_`, or ends with `.pem`, `.key`, `.p12` or `.pfx`.
  if (
    value.charCodeAt(start) !== DOT &&
    !value.startsWith('id_', start) &&
    !(end - start > 4 && value.charCodeAt(end - 4) === DOT)
  ) {
    return undefined;
  }
  if (!SECRET_NAME.test(value.slice(start, end))) return undefined;
  return secretReason(value);
}

function globSecretProblem(value: string, start: number, end: number): string | undefined {
  const pattern = value.slice(start, end);
  if (/^[*?]+$/.test(pattern)) return undefined;
  // Bash matches a leading `.` only with a literal one (dotglob cannot be turned on here).
  const dotted = pattern.charCodeAt(0) === DOT;
  // A pattern ending in a plain character only matches names ending in it (`*.ts`): a cheap filter.
  const last = pattern.charCodeAt(pattern.length - 1);
  const lastIsLiteral = last !== STAR && last !== QUESTION && last !== CLOSE_BRACKET;
  for (const name of SECRET_SAMPLES) {
    if (name.charCodeAt(0) === DOT && !dotted) continue;
    if (lastIsLiteral && name.charCodeAt(name.length - 1) !== last) continue;
    if (globSegmentMatchesName(pattern, name, false)) return secretReason(value);
  }
  return undefined;
}

function secretReason(value: string): string {
  return `\`${value}\` usually holds secrets (keys, tokens, passwords); reading it would put them into the model's context`;
}

/**
 * Whether `pattern`, matched the way `find -name`/`-path` and `grep --include` match (fnmatch
 * without the leading-dot rule; for a whole path `*` also crosses `/`), can select a secret file.
 * `wholePath`: the pattern is matched against paths like `./src/.env` instead of names.
 */
export function patternCanSelectSecret(pattern: string, wholePath: boolean, ignoreCase = false): boolean {
  if (!hasGlobCharacter(pattern, 0, pattern.length)) {
    const name = wholePath ? pattern.slice(pattern.lastIndexOf('/') + 1) : pattern;
    return findSecretProblem(ignoreCase ? name.toLowerCase() : name) !== undefined;
  }
  // A pattern of wildcards alone selects everything (a whole-directory read, see the README).
  if (/^[*?/.]+$/.test(pattern)) return false;
  const key = `${wholePath ? 'p' : 'n'}${ignoreCase ? 'i' : 'c'}${pattern}`;
  let answer = selectsSecretCache.get(key);
  if (answer === undefined) {
    answer = patternMatchesSecretSample(pattern, wholePath, ignoreCase);
    // A pure function of the pattern; the few patterns a project uses repeat.
    if (selectsSecretCache.size < 512) selectsSecretCache.set(key, answer);
  }
  return answer;
}

const selectsSecretCache = new Map<string, boolean>();

function patternMatchesSecretSample(pattern: string, wholePath: boolean, ignoreCase: boolean): boolean {
  // A pattern ending in a plain character only matches names ending in it: a cheap filter.
  const last = pattern.charCodeAt(pattern.length - 1);
  const lastIsLiteral = last !== STAR && last !== QUESTION && last !== CLOSE_BRACKET;
  const lastChar = ignoreCase ? pattern[pattern.length - 1]!.toLowerCase() : pattern[pattern.length - 1]!;
  for (const name of SECRET_SAMPLES) {
    if (lastIsLiteral && name[name.length - 1] !== lastChar) continue;
    const candidates = wholePath ? [`./${name}`, `./sub/${name}`, name] : [name];
    for (const candidate of candidates) {
      if (globSegmentMatchesName(pattern, candidate, ignoreCase)) return true;
    }
  }
  return false;
}

/**
 * Whether the glob `pattern` (one path segment) matches `name`, as bash matches: `*` any run, `?`
 * one character, bracket expressions with ranges, negation and character classes (a class it does
 * not know matches any character). `ignoreCase` compares letters case-insensitively.
 */
export function globSegmentMatchesName(pattern: string, name: string, ignoreCase: boolean): boolean {
  return matchFrom(pattern, 0, name, 0, ignoreCase);
}

function matchFrom(
  pattern: string,
  at: number,
  name: string,
  position: number,
  ignoreCase: boolean,
): boolean {
  while (at < pattern.length) {
    const code = pattern.charCodeAt(at);
    if (code === STAR) {
      while (pattern.charCodeAt(at) === STAR) at++;
      if (at === pattern.length) return true;
      for (let next = position; next <= name.length; next++) {
        if (matchFrom(pattern, at, name, next, ignoreCase)) return true;
      }
      return false;
    }
    if (position >= name.length) return false;
    if (code === QUESTION) {
      at++;
      position++;
      continue;
    }
    if (code === OPEN_BRACKET) {
      const close = bracketExpressionEnd(pattern, at, pattern.length);
      if (close !== -1) {
        if (!bracketMatches(pattern, at, close, name[position]!, ignoreCase)) return false;
        at = close + 1;
        position++;
        continue;
      }
    }
    const expected = pattern[at]!;
    const actual = name[position]!;
    if (expected !== actual && (!ignoreCase || expected.toLowerCase() !== actual.toLowerCase())) return false;
    at++;
    position++;
  }
  return position === name.length;
}

const CLASSES: Readonly<Record<string, RegExp>> = {
  alpha: /[A-Za-z]/,
  digit: /[0-9]/,
  alnum: /[A-Za-z0-9]/,
  upper: /[A-Z]/,
  lower: /[a-z]/,
  space: /\s/,
  blank: /[ \t]/,
  punct: /[!-/:-@[-`{-~]/,
  xdigit: /[0-9A-Fa-f]/,
  word: /\w/,
  print: /[ -~]/,
  graph: /[!-~]/,
  cntrl: /[\x00-\x1f\x7f]/,
};

/** Whether the bracket expression `pattern[open..close]` matches the character `char`. */
function bracketMatches(
  pattern: string,
  open: number,
  close: number,
  char: string,
  ignoreCase: boolean,
): boolean {
  const chars = ignoreCase ? [char, char.toLowerCase(), char.toUpperCase()] : [char];
  let index = open + 1;
  let negated = false;
  if (pattern[index] === '!' || pattern[index] === '^') {
    negated = true;
    index++;
  }
  let matched = false;
  // A `]` right after the opening (or the negation) is a member; bracketExpressionEnd knows.
  while (index < close) {
    if (
      pattern[index] === '[' &&
      (pattern[index + 1] === ':' || pattern[index + 1] === '=' || pattern[index + 1] === '.')
    ) {
      const kind = pattern[index + 1]!;
      const end = pattern.indexOf(`${kind}]`, index + 2);
      if (end !== -1 && end < close) {
        const inner = pattern.slice(index + 2, end);
        if (kind === ':') {
          const test = CLASSES[inner];
          if (!test || chars.some((candidate) => test.test(candidate))) matched = true;
        } else if (chars.includes(inner)) matched = true;
        index = end + 2;
        continue;
      }
    }
    const low = pattern[index]!;
    if (pattern[index + 1] === '-' && index + 2 < close) {
      const high = pattern[index + 2]!;
      if (chars.some((candidate) => candidate >= low && candidate <= high)) matched = true;
      index += 3;
      continue;
    }
    if (chars.includes(low)) matched = true;
    index++;
  }
  return matched !== negated;
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
