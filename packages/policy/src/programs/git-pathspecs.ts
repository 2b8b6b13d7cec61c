import { pathDenial } from '../engine/check-arguments.js';
import type { ScannedArgument } from '../engine/option-scan.js';
import {
  findPathProblem,
  findSecretProblem,
  globSegmentMatchesName,
  patternCanSelectSecret,
  type RelativeDirectory,
  SECRET_SAMPLES,
} from '../engine/path-check.js';
import type { Denial, ProgramContext } from '../engine/program-context.js';

/**
 * git's pathspecs and revision paths, read the way git reads them, so that a secret file (`.env`,
 * keys) or a path outside the worktree cannot be selected by magic (`:(top,icase)`), a revision
 * (`HEAD:.env`), a line range (`-L 1,5:.env`) or git's own wildcards.
 */

/** Subcommands whose arguments may be file names from `xargs` (paths, not branches or remotes). */
export const PATH_SUBCOMMANDS = new Set([
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
export function checkPathspecs(
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
