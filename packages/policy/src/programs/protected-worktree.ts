import type { ArgWord } from '../engine/arg-word.js';
import type { ScannedArgument } from '../engine/option-scan.js';
import type { Denial, ProgramContext } from '../engine/program-context.js';
import { positionalWords } from './git-option-words.js';
import { gitReadSubcommands } from './git-read-subcommands.js';

/**
 * A protected worktree (`main`) belongs to the merge queue: only inspection, the merge queue's
 * `git merge <branch>`, fetching and worktree administration run there. Everything that changes
 * tracked files, the index or HEAD (`commit`, `checkout`, `switch`, `pull`, `stash`, `restore`,
 * `reset`, file edits, writing redirections) is refused before it runs.
 */

/** git subcommands that only read (the `git-inspect` rule's list). */
const GIT_READS = new Set([
  ...gitReadSubcommands,
  // Administration that leaves main's files and HEAD alone (branch: its own checks and rules).
  'worktree',
  'branch',
  'fetch',
  'ls-remote',
  'tag',
]);

/** Whether `git <name>` may run a hook (anything but the reads; fetch and worktree add too). */
export function runsHooks(name: string): boolean {
  return !GIT_READS.has(name) || name === 'fetch' || name === 'worktree';
}

/** Whether `worktree` is one of the protected worktrees. */
export function isProtectedWorktree(context: ProgramContext): boolean {
  return context.settings.protectedWorktrees.includes(context.worktree);
}

function mainDenial(what: string, context: ProgramContext): Denial {
  return {
    ruleId: 'builtin:protected-worktree',
    reason: `${what} in \`${context.worktree}\`: this worktree is the merge queue's, where only inspection, \`git merge <branch>\` and worktree administration run; make the change in a task worktree (send the command with worktree: "task-...") and merge that branch`,
  };
}

/**
 * Why `git <name> ...` may not run in a protected worktree, or undefined. `plainMerge`: `merge` is
 * the first word after `git` (the merge queue's handler only takes that form; with global options
 * before it bash would run the merge itself).
 */
export function protectedGitDenial(
  name: string,
  scanned: readonly ScannedArgument[],
  context: ProgramContext,
  plainMerge: boolean,
): Denial | undefined {
  if (!isProtectedWorktree(context) || GIT_READS.has(name)) return undefined;
  const action = positionalWords(scanned)[0]?.word.value;
  switch (name) {
    case 'merge':
      if (plainMerge) return undefined;
      return {
        ruleId: 'builtin:protected-worktree',
        reason: `git ... merge in \`${context.worktree}\`: send \`git merge <branch>\` with nothing between git and merge, so the merge queue runs it`,
      };
    case 'stash':
      return action === 'list' || action === 'show' ? undefined : mainDenial('git stash', context);
    case 'submodule':
      return action === 'status' || action === 'summary' ? undefined : mainDenial('git submodule', context);
    case 'notes':
      return action === 'list' || action === 'show' ? undefined : mainDenial('git notes', context);
    case 'apply':
      // Only the reporting forms pass the patch check.
      return undefined;
    default:
      return mainDenial(`git ${name}`, context);
  }
}

/** Programs that change files by their nature. */
const FILE_EDITORS = new Set([
  'cp',
  'mv',
  'rm',
  'rmdir',
  'mkdir',
  'touch',
  'tee',
  'ln',
  'chmod',
  'truncate',
  'install',
  'patch',
]);

/**
 * Why a non-git command may not run in a protected worktree: it edits files (`cp`, `rm`, `tee`,
 * `sed -i`, anything whose check says it writes content) or a redirection writes a file.
 */
export function protectedEditDenial(
  argv: readonly ArgWord[],
  writesContent: boolean,
  context: ProgramContext,
): Denial | undefined {
  if (!isProtectedWorktree(context)) return undefined;
  const program = argv[0]?.value ?? '';
  if (FILE_EDITORS.has(program) || writesContent) return mainDenial(`\`${program}\` changes files`, context);
  // A Map, not an object: a program named `constructor` or `toString` must find nothing.
  const rewrites = REWRITERS.get(program);
  if (rewrites === undefined) return undefined;
  const values = argv.slice(1).map((word) => word.value);
  return rewrites(values) ? mainDenial(`\`${program}\` rewrites files`, context) : undefined;
}

const has = (values: readonly string[], ...flags: string[]) =>
  values.some((value) => flags.some((flag) => value === flag || value.startsWith(`${flag}=`)));

/** Formatters, fixers and agents that rewrite tracked files, by the arguments that make them do so. */
const REWRITERS: ReadonlyMap<string, (values: readonly string[]) => boolean> = new Map(
  Object.entries({
    prettier: (values) => has(values, '--write', '-w'),
    eslint: (values) => has(values, '--fix', '--fix-dry-run') && !has(values, '--fix-dry-run'),
    biome: (values) => has(values, '--write', '--apply', '--apply-unsafe', '--fix', '--unsafe'),
    ruff: (values) =>
      has(values, '--fix') || (values.includes('format') && !has(values, '--check', '--diff')),
    black: (values) => !has(values, '--check', '--diff', '--version', '--help'),
    isort: (values) => !has(values, '--check', '--check-only', '-c', '--diff', '--version', '--help'),
    gofmt: (values) => has(values, '-w'),
    go: (values) =>
      values[0] === 'fmt' || values[0] === 'generate' || (values[0] === 'mod' && values[1] === 'tidy'),
    cargo: (values) => (values[0] === 'fmt' && !has(values, '--check')) || values[0] === 'fix',
    // codex edits the worktree it runs in unless its sandbox is read-only.
    codex: (values) =>
      (values[0] === 'exec' || values[0] === 'e') &&
      !values.some(
        (value, index) => (value === '-s' || value === '--sandbox') && values[index + 1] === 'read-only',
      ) &&
      !has(values, '--sandbox=read-only'),
  } satisfies Record<string, (values: readonly string[]) => boolean>),
);

/** A redirection that writes a file in a protected worktree. */
export function protectedRedirectionDenial(context: ProgramContext): Denial | undefined {
  return isProtectedWorktree(context) ? mainDenial('a redirection writes a file', context) : undefined;
}
