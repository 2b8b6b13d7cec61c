import { realpathSync, statSync } from 'node:fs';
import { realpath } from 'node:fs/promises';
import { isAbsolute, join, relative } from 'node:path';
import { ConfigurationError } from '../errors.js';
import { runGit } from '../process/run-git.js';
import { createCommandEnv } from './command-env.js';

/** Longest worktree name accepted. */
export const maxWorktreeNameLength = 100;

const worktreeNamePattern = /^[A-Za-z0-9_][A-Za-z0-9._-]*$/;

/** The outcome of checking a worktree name: its real directory, or why it was refused. */
export type WorktreeCheck =
  | { ok: true; cwd: string }
  | { ok: false; reason: string; ruleId: `worktree.${string}` };

/**
 * Checks the form of a worktree name without touching the disk. A name is a plain directory name:
 * letters, digits, `.`, `_`, `-`, not starting with `.` or `-`, at most 100 characters. This
 * refuses `..`, `.`, absolute paths, separators, empty names and NUL.
 */
export function checkWorktreeName(name: unknown): string | undefined {
  if (typeof name !== 'string' || name === '') return 'the worktree name is empty';
  if (name.length > maxWorktreeNameLength) {
    return `the worktree name is ${name.length} characters long (at most ${maxWorktreeNameLength})`;
  }
  if (!worktreeNamePattern.test(name)) {
    return `the worktree name ${JSON.stringify(name)} is not a plain directory name (only letters, digits, ".", "_" and "-", not starting with "." or "-"; no paths)`;
  }
  return undefined;
}

function realDirectory(path: string): string | undefined {
  try {
    return realpathSync(path);
  } catch {
    return undefined;
  }
}

/** Checks worktree names against the disk and the repository; see `createWorktreeValidator`. */
export interface WorktreeValidator {
  check(name: unknown, options?: { signal?: AbortSignal }): Promise<WorktreeCheck>;
}

/**
 * Creates the validator run_repo_command uses before anything else. A name passes when its form
 * is plain (`checkWorktreeName`), `<baseDir>/<name>` exists and is a directory, not a symlink (one
 * pointing outside `baseDir` is refused as such, one pointing inside as an alias), and git agrees
 * that it is the top level of a worktree of the same repository as `<baseDir>/<mainWorktree>`.
 * Git is asked once per directory (keyed by device and inode, so a directory replaced under the
 * same name is checked again).
 * Throws `ConfigurationError` when the main worktree itself is not a git worktree.
 */
export function createWorktreeValidator(options: {
  baseDir: string;
  mainWorktree: string;
}): WorktreeValidator {
  const { baseDir, mainWorktree } = options;
  const verified = new Map<string, string>();
  const env = createCommandEnv();
  let repository: Promise<{ realBaseDir: string; commonDir: string }> | undefined;

  async function gitLocation(cwd: string, signal?: AbortSignal) {
    const result = await runGit(
      ['rev-parse', '--path-format=absolute', '--git-common-dir', '--show-toplevel'],
      { cwd, env, ...(signal ? { signal } : {}) },
    );
    if (result.exitCode !== 0) return undefined;
    const [commonDir, topLevel] = result.stdout.split('\n');
    if (!commonDir || !topLevel) return undefined;
    return { commonDir: await realpath(commonDir), topLevel: await realpath(topLevel) };
  }

  function loadRepository(signal?: AbortSignal) {
    repository ??= (async () => {
      const realBaseDir = await realpath(baseDir).catch((error: unknown) => {
        throw new ConfigurationError(
          `baseDir ${JSON.stringify(baseDir)} does not exist: set it (or ORCHESTRATOR_BASE_DIR) to the folder that holds the worktrees`,
          { code: 'base-dir-missing', cause: error },
        );
      });
      const mainPath = join(realBaseDir, mainWorktree);
      const location = await gitLocation(mainPath, signal).catch(() => undefined);
      if (!location) {
        throw new ConfigurationError(
          `${JSON.stringify(mainPath)} is not a git worktree: baseDir must hold the main worktree of the target repository as ${JSON.stringify(mainWorktree)}`,
          { code: 'main-worktree-missing' },
        );
      }
      return { realBaseDir, commonDir: location.commonDir };
    })();
    repository.catch(() => {
      repository = undefined;
    });
    return repository;
  }

  return {
    async check(name, checkOptions = {}) {
      const formProblem = checkWorktreeName(name);
      if (formProblem) return { ok: false, reason: formProblem, ruleId: 'worktree.invalid-name' };
      const worktree = name as string;
      const { realBaseDir, commonDir } = await loadRepository(checkOptions.signal);
      const path = join(realBaseDir, worktree);
      // Sync on purpose: two cached syscalls on a local folder, cheaper than thread-pool round trips.
      const real = realDirectory(path);
      const info = real ? statSync(real, { throwIfNoEntry: false }) : undefined;
      if (!real || !info?.isDirectory()) {
        return {
          ok: false,
          reason: `there is no worktree directory ${JSON.stringify(worktree)} in ${baseDir}; create it first (in worktree "${mainWorktree}": git worktree add ../task-<name> <base>)`,
          ruleId: 'worktree.not-found',
        };
      }
      const inside = relative(realBaseDir, real);
      if (inside === '' || inside.startsWith('..') || isAbsolute(inside)) {
        return {
          ok: false,
          reason: `the worktree ${JSON.stringify(worktree)} resolves outside ${baseDir} (a symlink); only directories inside baseDir are allowed`,
          ruleId: 'worktree.outside-base-dir',
        };
      }
      if (real !== path) {
        // A symlink to another worktree would make the policy judge "main" under another name.
        return {
          ok: false,
          reason: `the worktree ${JSON.stringify(worktree)} is a symlink to ${JSON.stringify(inside)}; use the real worktree name`,
          ruleId: 'worktree.symlink',
        };
      }
      const key = `${info.dev}:${info.ino}:${real}`;
      if (verified.has(key)) return { ok: true, cwd: real };
      const location = await gitLocation(real, checkOptions.signal);
      if (!location || location.topLevel !== real || location.commonDir !== commonDir) {
        return {
          ok: false,
          reason: `${JSON.stringify(worktree)} is not a worktree of the repository in "${mainWorktree}"; use "${mainWorktree}" or a worktree created from it`,
          ruleId: 'worktree.not-a-worktree',
        };
      }
      verified.set(key, real);
      return { ok: true, cwd: real };
    },
  };
}
