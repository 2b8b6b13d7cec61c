import type { Denial } from './program-context.js';
import { isHarmlessAssignment } from './variables.js';

/**
 * Which variables a script may put into the environment of the programs it runs (`VAR=x cmd`,
 * `env VAR=x cmd`, `export VAR`, `declare -x VAR`, `xargs --process-slot-var`). Programs honour
 * variables nobody can list in full (`*_BINARY_PATH`, toolchain paths, cache and coverage
 * prefixes, `GNUMAKEFLAGS`), so this is an allowlist: names not on it are refused, and names
 * whose value is a path or a program get their value checked.
 *
 * Plain shell variables (`x=1` without `export`) stay local to the script; the denylist of
 * variables.ts covers the ones bash itself reads (`PATH`, `IFS`, `BASH_ENV`, ...).
 */

/** How an allowed variable's value is checked. */
type ValueCheck =
  /** Any value (flags, names, levels, colours). */
  | 'any'
  /** A path that must stay inside the worktree and out of `.git`. */
  | 'path'
  /** One of a few literal values. */
  | readonly string[]
  /** A check of its own in isHarmlessAssignment (PYTHONPATH, NODE_OPTIONS, GOFLAGS, IFS). */
  | 'special';

const PAGERS = ['cat', ''] as const;
const SWITCH = ['0', '1', 'true', 'false', 'yes', 'no', ''] as const;

const DEFAULT_ALLOWED: ReadonlyMap<string, ValueCheck> = new Map<string, ValueCheck>([
  ['CI', 'any'],
  ['NODE_ENV', 'any'],
  ['FORCE_COLOR', 'any'],
  ['NO_COLOR', 'any'],
  ['CLICOLOR', 'any'],
  ['CLICOLOR_FORCE', 'any'],
  ['TERM', 'any'],
  ['COLUMNS', 'any'],
  ['LINES', 'any'],
  ['TZ', 'any'],
  ['LANG', 'any'],
  ['LANGUAGE', 'any'],
  ['LC_ALL', 'any'],
  ['LC_CTYPE', 'any'],
  ['LC_COLLATE', 'any'],
  ['LC_MESSAGES', 'any'],
  ['LC_NUMERIC', 'any'],
  ['LC_TIME', 'any'],
  ['DEBUG', 'any'],
  ['VERBOSE', 'any'],
  ['LOG_LEVEL', 'any'],
  ['PORT', 'any'],
  ['HUSKY', 'any'],
  ['PAGER', PAGERS],
  ['GIT_PAGER', PAGERS],
  ['MANPAGER', PAGERS],
  ['GIT_TERMINAL_PROMPT', SWITCH],
  ['GIT_OPTIONAL_LOCKS', SWITCH],
  ['GIT_ADVICE', SWITCH],
  ['GIT_AUTHOR_NAME', 'any'],
  ['GIT_AUTHOR_EMAIL', 'any'],
  ['GIT_AUTHOR_DATE', 'any'],
  ['GIT_COMMITTER_NAME', 'any'],
  ['GIT_COMMITTER_EMAIL', 'any'],
  ['GIT_COMMITTER_DATE', 'any'],
  ['NODE_NO_WARNINGS', 'any'],
  ['NODE_OPTIONS', 'special'],
  ['TS_NODE_TRANSPILE_ONLY', SWITCH],
  ['TS_NODE_PROJECT', 'path'],
  ['PYTHONPATH', 'special'],
  ['PYTHONDONTWRITEBYTECODE', 'any'],
  ['PYTHONUNBUFFERED', 'any'],
  ['PYTHONHASHSEED', 'any'],
  ['PYTHONIOENCODING', 'any'],
  ['PYTHONUTF8', 'any'],
  ['PYTHONFAULTHANDLER', 'any'],
  ['PY_COLORS', 'any'],
  ['PYTEST_DISABLE_PLUGIN_AUTOLOAD', 'any'],
  ['COVERAGE_FILE', 'path'],
  ['MPLBACKEND', 'any'],
  ['RUST_BACKTRACE', 'any'],
  ['RUST_LOG', 'any'],
  ['RUST_TEST_THREADS', 'any'],
  ['CARGO_TERM_COLOR', 'any'],
  ['CARGO_TERM_VERBOSE', 'any'],
  ['CARGO_TERM_QUIET', 'any'],
  ['CARGO_INCREMENTAL', SWITCH],
  ['CARGO_TARGET_DIR', 'path'],
  ['GOFLAGS', 'special'],
  ['GOOS', 'any'],
  ['GOARCH', 'any'],
  ['CGO_ENABLED', SWITCH],
  ['GO111MODULE', ['on', 'off', 'auto']],
  ['GOWORK', ['off']],
  ['IFS', 'special'],
]);

/** The names allowed by default, for documentation and tests. */
export const defaultAllowedEnvironment: readonly string[] = [...DEFAULT_ALLOWED.keys()];

/** The allowlist of one compiled policy: the defaults plus the config's `allowedEnvironment`. */
export interface EnvironmentAllowlist {
  /** Names added by the config, exact. */
  readonly names: ReadonlySet<string>;
  /** Prefixes of `NAME_*` patterns added by the config. */
  readonly prefixes: readonly string[];
}

/** Builds the allowlist from the config's extra names (`MY_FLAG`, `APP_*`). */
export function environmentAllowlist(extra: readonly string[]): EnvironmentAllowlist {
  const names = new Set<string>();
  const prefixes: string[] = [];
  for (const entry of extra) {
    if (entry.endsWith('*')) prefixes.push(entry.slice(0, -1));
    else names.add(entry);
  }
  return { names, prefixes };
}

/** The allowlist with only the defaults. */
export const DEFAULT_ENVIRONMENT: EnvironmentAllowlist = environmentAllowlist([]);

/**
 * Why putting `name` with `values` (undefined when unknown) into the environment of `command`
 * (its literal name, if known) is refused (`how` prefixes the reason: `env `, `export `, or empty), or undefined when it is allowed. `inside` says whether a
 * relative path stays in the worktree.
 */
export function exportProblem(
  how: string,
  name: string,
  values: readonly string[] | undefined,
  command: string | undefined,
  inside: (path: string) => boolean,
  allowlist: EnvironmentAllowlist,
): Denial | undefined {
  // Names the config adds are the user's decision; their values are not checked.
  if (allowlist.names.has(name) || allowlist.prefixes.some((prefix) => name.startsWith(prefix))) {
    return undefined;
  }
  const check = DEFAULT_ALLOWED.get(name);
  if (check === undefined) {
    return {
      ruleId: 'builtin:dangerous-variable',
      reason: `${how}${name}=...: ${name} is not on the environment allowlist (programs honour variables that name binaries, paths and flags); set it in the policy file's \`allowedEnvironment\` (--policy FILE) if it is harmless`,
    };
  }
  if (check === 'any') return undefined;
  if (check === 'special') {
    if (isHarmlessAssignment(name, values, command, inside)) return undefined;
    return {
      ruleId: 'builtin:dangerous-variable',
      reason: `${how}${name}=...: only ${SPECIAL_FORMS[name] ?? 'a known harmless form'} is allowed`,
    };
  }
  if (values === undefined) {
    return {
      ruleId: 'builtin:expansion',
      reason: `${how}${name}: the value depends on expansion; write it literally`,
    };
  }
  for (const value of values) {
    if (check === 'path') {
      if (value === '' || /^[/~]/.test(value) || /(^|\/)\.git(\/|$)/i.test(value) || !inside(value)) {
        return {
          ruleId: 'builtin:outside-worktree',
          reason: `${how}${name}=${value}: ${name} names a path; use a relative path inside the worktree (not .git)`,
        };
      }
    } else if (!check.includes(value)) {
      return {
        ruleId: 'builtin:dangerous-variable',
        reason: `${how}${name}=${value}: only ${check.map((item) => (item === '' ? "''" : item)).join(', ')} are allowed`,
      };
    }
  }
  return undefined;
}

const SPECIAL_FORMS: Readonly<Record<string, string>> = {
  IFS: '`IFS=... read` (or mapfile)',
  PYTHONPATH: 'worktree directories for pytest or python',
  NODE_OPTIONS: 'memory, warning and diagnostics flags',
  GOFLAGS: 'flags that select or report (-count=1, -race, -tags=...)',
};
