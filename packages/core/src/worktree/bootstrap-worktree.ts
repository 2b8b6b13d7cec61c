import { basename, dirname } from 'node:path';
import { performance } from 'node:perf_hooks';
import { copyIncludedFiles } from './copy-included-files.js';
import { reuseDependencies } from './reuse-dependencies.js';
import { allocateWorktreePorts, type WorktreePorts } from './worktree-ports.js';

/** What the orchestrator prepares in every new worktree before the setup hook runs. */
export interface WorktreeBootstrapOptions {
  /**
   * Gitignored files or folders of main to copy (gitignore patterns, like `.worktreeinclude`):
   * `.env.local`, `config/*.local.json`. Default: the lines of `<main>/.worktreeinclude`.
   * Only paths that git ignores in main are copied; tracked files come with the branch.
   */
  include?: readonly string[];
  /**
   * Reuse main's installed dependencies (every gitignored `node_modules` folder) as a
   * copy-on-write clone where the file system supports it, else as hard links, when the
   * worktree's lockfiles equal main's (default true). Hard links share file contents with main:
   * a tool that edits a file inside node_modules in place edits main's copy too.
   */
  reuseDependencies?: boolean;
  /** Size of the port range of each worktree, given as `PORT` and `ORCHESTRATOR_PORT_BASE` (default 10; 0: none). */
  portsPerWorktree?: number;
}

/** What `bootstrapWorktree` did. */
export interface WorktreeBootstrapResult {
  /** Paths copied from main, relative to the worktree. */
  copied: string[];
  /** `node_modules` folders reused, relative to the worktree, and how. */
  dependencies: { paths: string[]; method: 'reflink' | 'hardlink' | 'copy' | 'none'; skipped?: string };
  /** The worktree's port range, absent when disabled. */
  ports?: WorktreePorts;
  durationMs: number;
  /** Problems that did not stop the bootstrap (each one line). */
  warnings: string[];
}

/**
 * Prepares a new worktree fast, without the model: copies the gitignored files main lists,
 * reuses main's `node_modules` (copy-on-write or hard links; ~0.5 s where `npm ci` takes a
 * minute), and picks the worktree's port range. Never throws; problems become warnings and the
 * worktree stays usable (the setup hook, or the agent's own `npm ci`, can still install).
 *
 * @example
 * const result = await bootstrapWorktree({ mainPath: '/srv/shop/main', worktreePath: '/srv/shop/task-search' });
 * result.dependencies; // { paths: ['node_modules'], method: 'hardlink' }
 */
export async function bootstrapWorktree(
  input: { mainPath: string; worktreePath: string; signal?: AbortSignal } & WorktreeBootstrapOptions,
): Promise<WorktreeBootstrapResult> {
  const started = performance.now();
  const warnings: string[] = [];
  const copied = await copyIncludedFiles({
    mainPath: input.mainPath,
    worktreePath: input.worktreePath,
    ...(input.include === undefined ? {} : { patterns: input.include }),
  }).catch((error: unknown) => {
    warnings.push(`copying the included files failed: ${(error as Error).message}`);
    return [] as string[];
  });
  const dependencies =
    input.reuseDependencies === false
      ? { paths: [], method: 'none' as const, skipped: 'turned off' }
      : await reuseDependencies({ mainPath: input.mainPath, worktreePath: input.worktreePath }).catch(
          (error: unknown) => {
            warnings.push(`reusing main's node_modules failed: ${(error as Error).message}`);
            return { paths: [], method: 'none' as const, skipped: 'failed' };
          },
        );
  const size = input.portsPerWorktree ?? 10;
  let ports: WorktreePorts | undefined;
  if (size > 0) {
    // Main gets a range too (its smoke test), allocated like any worktree's.
    const baseDir = dirname(input.worktreePath);
    ports = await allocateWorktreePorts({ baseDir, worktree: basename(input.worktreePath), size })
      .then(async (own) => {
        await allocateWorktreePorts({ baseDir, worktree: basename(input.mainPath), size });
        return own;
      })
      .catch((error: unknown) => {
        warnings.push(`allocating the port range failed: ${(error as Error).message}`);
        return undefined;
      });
  }
  const result: WorktreeBootstrapResult = {
    copied,
    dependencies,
    durationMs: performance.now() - started,
    warnings,
  };
  if (ports !== undefined) result.ports = ports;
  return result;
}
