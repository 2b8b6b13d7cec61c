import { type ArgWord, possibleValues } from '../engine/arg-word.js';
import { expansionDenial } from '../engine/check-arguments.js';
import { findPathProblem, type RelativeDirectory, resolveDirectory } from '../engine/path-check.js';
import type { Denial } from '../engine/program-context.js';

/**
 * Where git runs. git finds its repository by looking at the directory it starts in: a directory
 * holding `HEAD`, `objects/` and `refs/` is taken as a (bare) repository, and its `config` is
 * obeyed (`core.fsmonitor`, `core.pager`, `uploadpack.packObjectsHook` run programs). Plain `mkdir`
 * and `echo >` make such a directory, in this command or an earlier one, so git may only start at
 * the worktree root, where the worktree's own `.git` decides, and may name only that repository
 * (`-C .`, `--git-dir=.git`, `--work-tree=.`). `GIT_DIR` and friends are not on the environment
 * allowlist.
 */

const SIBLING = /^(?:\.\/)*\.\.\/([A-Za-z0-9][A-Za-z0-9._-]*)\/?$/;

/** Why git may not run from `directories` (the shell's possible directories), or undefined. */
export function gitDirectoryDenial(directories: readonly RelativeDirectory[]): Denial | undefined {
  for (const directory of directories) {
    if (directory.length !== 0) {
      return {
        ruleId: 'builtin:git-location',
        reason: `git runs here in \`${directory.join('/')}\`, not at the worktree root: a directory that looks like a repository (HEAD, objects/, refs/, config) makes git run the programs its config names; run git from the worktree root and name paths instead (\`git log -- ${directory.join('/')}\`)`,
      };
    }
  }
  return undefined;
}

/**
 * Checks `-C dir`, `--git-dir=dir` or `--work-tree=dir`: only the worktree itself (`.`, or `.git`
 * for `--git-dir`). `../task-x` from another worktree gets a reason that names the way to run a
 * command there.
 */
export function gitLocationDenial(
  option: '-C' | '--git-dir' | '--work-tree',
  target: ArgWord,
  directories: readonly RelativeDirectory[],
): Denial | undefined {
  const values = possibleValues(target);
  if (!values || target.glob) return expansionDenial('git', target.text, 'a repository path');
  for (const value of values) {
    const sibling = SIBLING.exec(value);
    if (sibling) {
      return {
        ruleId: 'builtin:outside-worktree',
        reason: `git ${option} ${value}: to run a command in the worktree \`${sibling[1]}\`, send it with worktree: "${sibling[1]}" (and no ${option})`,
      };
    }
    const problem = findPathProblem(value, directories);
    if (problem) return { ruleId: 'builtin:outside-worktree', reason: `git ${option}: ${problem}` };
    for (const directory of directories) {
      const resolved = resolveDirectory(value, directory);
      const root = resolved !== undefined && resolved.length === 0;
      const ownGitDir = resolved !== undefined && resolved.length === 1 && resolved[0] === '.git';
      if (option === '--git-dir' ? ownGitDir : root) continue;
      return {
        ruleId: 'builtin:git-location',
        reason: `git ${option} ${value}: git may only name this worktree's own repository (${option === '--git-dir' ? '`--git-dir=.git`' : '`.`'}); a directory that looks like a repository makes git run the programs its config names; run git from the worktree root and name paths instead`,
      };
    }
  }
  return undefined;
}
