import { realpathSync, statSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { checkWorktreeName } from '../command/worktree-validator.js';
import { readWorktreeOwner, removeWorktreeOwner, writeWorktreeOwner } from '../durability/worktree-owners.js';
import { ConfigurationError } from '../errors.js';
import type { OrchestratorEventInput } from '../events.js';
import { runGit } from '../process/run-git.js';
import { bootstrapWorktree } from './bootstrap-worktree.js';
import { pruneWorktrees } from './prune-worktrees.js';
import { runWorktreeSetup } from './run-worktree-setup.js';
import { slugifyTaskName } from './slugify-task-name.js';
import { WorktreeError } from './worktree-error.js';
import type {
  CreatedWorktree,
  CreateWorktreeOptions,
  WorktreeManager,
  WorktreeManagerOptions,
} from './worktree-manager-types.js';
import { createWorktreeRepository } from './worktree-repository.js';

export type {
  CreatedWorktree,
  CreateWorktreeOptions,
  WorktreeManager,
  WorktreeManagerOptions,
} from './worktree-manager-types.js';

/** The worktree name for free text (`task-<slug>`), or the name itself when it is already `task-<slug>`. */
export function worktreeNameFor(nameOrText: string): string {
  const trimmed = nameOrText.trim();
  if (/^task-[a-z0-9]+(?:-[a-z0-9]+)*$/.test(trimmed) && trimmed.length <= 64) return trimmed;
  return `task-${slugifyTaskName(trimmed)}`;
}

const branchPattern =
  /^(?!.*\.\.)(?!.*\/\/)(?!.*@\{)(?!.*\.lock$)[A-Za-z0-9_][A-Za-z0-9._/-]{0,99}(?<![./])$/;
const revisionPattern = /^[A-Za-z0-9_][A-Za-z0-9._/^~@{}-]{0,199}$/;

/**
 * Creates a worktree manager for the repository whose main worktree is `<baseDir>/<mainWorktree>`.
 * Every mutation of repository metadata (worktree add/remove/prune, branch deletion) runs under an
 * in-process lock per repository and is retried with backoff while another process holds a git
 * lock file, so parallel creations never collide on `.git/config.lock` or `index.lock`. New
 * branches are created with `--no-track`, which writes no config. Every git process gets
 * `noPushEnv`. Throws `ConfigurationError` when `baseDir` is not an existing absolute directory.
 *
 * @example
 * const worktrees = createWorktreeManager({ baseDir: '/srv/project', setupCommand: 'npm ci' });
 * await worktrees.prune();
 * const { name, path } = await worktrees.create('Add users search'); // task-add-users-search
 */
export function createWorktreeManager(options: WorktreeManagerOptions): WorktreeManager {
  if (!isAbsolute(options.baseDir) || !statSync(options.baseDir, { throwIfNoEntry: false })?.isDirectory()) {
    throw new ConfigurationError(
      `baseDir ${JSON.stringify(options.baseDir)} is not an existing absolute directory`,
      {
        code: 'base-dir-missing',
      },
    );
  }
  const repository = createWorktreeRepository(realpathSync(options.baseDir), options.mainWorktree ?? 'main');
  const { baseDir, mainWorktree, mainPath } = repository;
  const emit = (event: OrchestratorEventInput) => void options.events?.emit(event);

  async function resolveBase(resolveOptions: { signal?: AbortSignal } = {}): Promise<string> {
    if (options.base) return options.base;
    for (const candidate of ['origin/main', 'main']) {
      if (await repository.revisionExists(candidate, resolveOptions.signal)) return candidate;
    }
    return 'HEAD';
  }

  async function create(
    nameOrText: string,
    createOptions: CreateWorktreeOptions = {},
  ): Promise<CreatedWorktree> {
    const { signal } = createOptions;
    const taskId = createOptions.taskId ? { taskId: createOptions.taskId } : {};
    const name = worktreeNameFor(nameOrText);
    const path = join(baseDir, name);
    const branch = createOptions.branch ?? name;
    if (!branchPattern.test(branch)) {
      throw new WorktreeError(
        `${JSON.stringify(branch)} is not an acceptable branch name (letters, digits, ".", "_", "/", "-")`,
        {
          code: 'worktree-invalid-branch',
          worktree: name,
        },
      );
    }
    const base = createOptions.base ?? (await resolveBase(signal ? { signal } : {}));
    const checked = createOptions.base === undefined && options.base === undefined; // resolveBase checked it
    if (!checked && (!revisionPattern.test(base) || !(await repository.revisionExists(base, signal)))) {
      throw new WorktreeError(
        `base ${JSON.stringify(base)} is not a commit of the repository in "${mainWorktree}"`,
        {
          code: 'worktree-invalid-base',
          worktree: name,
        },
      );
    }
    const created = await repository.locked(async () => {
      let existing = (await repository.list(signal)).find((worktree) => worktree.path === path);
      if (
        existing &&
        !existing.prunable &&
        (existing.lockReason === 'initializing' || !(await isCompleteWorktree(path, signal)))
      ) {
        // Git keeps this lock while `worktree add` fills the folder. Worktrees are added under the
        // writer lock this call holds, so the add that left it was killed: the folder holds a
        // partial checkout and no index (a commit there would delete every file not yet written).
        await repository.mutate(
          ['worktree', 'remove', '--force', '--force', path],
          { worktree: name, action: `remove the half-created worktree ${name}` },
          signal,
        );
        existing = undefined;
      }
      if (existing && !existing.prunable) {
        const record = await readWorktreeOwner(repository.stateDir, name);
        await writeWorktreeOwner(repository.stateDir, {
          worktree: name,
          branch: existing.branch ?? branch,
          createdBranch: record?.createdBranch === true && record.branch === (existing.branch ?? branch),
          ...(createOptions.taskId ? { taskId: createOptions.taskId } : {}),
        });
        return { name, path, branch: existing.branch ?? branch, base, reused: true };
      }
      if (existing)
        await repository.mutate(['worktree', 'prune'], { worktree: name, action: 'prune worktrees' }, signal);
      if (statSync(path, { throwIfNoEntry: false })) {
        throw new WorktreeError(
          `${path} exists but is not a worktree of this repository; remove or rename it first`,
          {
            code: 'worktree-path-taken',
            worktree: name,
          },
        );
      }
      const owner = { worktree: name, ...(createOptions.taskId ? { taskId: createOptions.taskId } : {}) };
      if (await repository.revisionExists(`refs/heads/${branch}`, signal)) {
        // An existing branch is reused only when the orchestrator created it for this worktree
        // (a resumed run whose worktree folder went away); a user's branch is never taken over.
        const record = await readWorktreeOwner(repository.stateDir, name);
        if (!(record?.createdBranch && record.branch === branch)) {
          throw new WorktreeError(
            `Branch ${branch} already exists and was not created by the orchestrator for worktree ${name}; ` +
              `it is left alone. Choose another worktree name (for example ${name}-2), or rename or delete that branch yourself.`,
            { code: 'worktree-branch-exists', worktree: name },
          );
        }
        await repository.mutate(
          ['worktree', 'add', path, branch],
          { worktree: name, action: `create worktree ${name}` },
          signal,
        );
      } else {
        // The record comes first: a crash right after `worktree add` still finds the branch ours.
        await writeWorktreeOwner(repository.stateDir, { ...owner, branch, createdBranch: true });
        await repository
          .mutate(
            ['worktree', 'add', '--no-track', '-b', branch, path, base],
            { worktree: name, action: `create worktree ${name}` },
            signal,
          )
          .catch(async (error: unknown) => {
            if (!(await repository.revisionExists(`refs/heads/${branch}`))) {
              await removeWorktreeOwner(repository.stateDir, name);
            }
            throw error;
          });
      }
      await writeWorktreeOwner(repository.stateDir, { ...owner, branch, createdBranch: true });
      return { name, path, branch, base, reused: false };
    });
    emit({
      type: 'worktree-create',
      worktree: name,
      path,
      branch: created.branch,
      base,
      reused: created.reused,
      ...taskId,
    });
    if (created.reused || createOptions.setup === false) return created;
    const bootstrap = options.bootstrap
      ? await bootstrapWorktree({
          mainPath,
          worktreePath: path,
          ...options.bootstrap,
          ...(signal ? { signal } : {}),
        })
      : undefined;
    if (bootstrap) {
      emit({
        type: 'worktree-bootstrap',
        worktree: name,
        path,
        copied: bootstrap.copied,
        dependencies: bootstrap.dependencies.paths,
        method: bootstrap.dependencies.method,
        ...(bootstrap.dependencies.skipped === undefined ? {} : { skipped: bootstrap.dependencies.skipped }),
        ...(bootstrap.ports === undefined ? {} : { portBase: bootstrap.ports.base }),
        durationMs: Math.round(bootstrap.durationMs),
        ...taskId,
      });
      for (const warning of bootstrap.warnings) {
        emit({
          type: 'error',
          code: 'worktree-bootstrap-failed',
          message: `Bootstrap of ${name}: ${warning}`,
          ...taskId,
        });
      }
    }
    const withBootstrap = bootstrap ? { ...created, bootstrap } : created;
    if (!options.setupCommand) return withBootstrap;
    const setup = await runWorktreeSetup({
      command: options.setupCommand,
      root: baseDir,
      worktreePath: path,
      ...(bootstrap?.ports ? { env: bootstrap.ports.env } : {}),
      timeoutMs: options.setupTimeoutMs ?? 10 * 60_000,
      ...(signal ? { signal } : {}),
      ...(options.sandbox ? { sandbox: options.sandbox } : {}),
    });
    if (!setup.ok) {
      const message = `Setup of worktree ${name} failed (the worktree is kept): ${setup.error}`;
      emit({ type: 'error', code: 'worktree-setup-failed', message, ...taskId });
    }
    return { ...withBootstrap, setup };
  }

  async function remove(
    name: string,
    removeOptions: { force?: boolean; taskId?: string; signal?: AbortSignal } = {},
  ) {
    const { signal } = removeOptions;
    const problem = checkWorktreeName(name);
    if (problem)
      throw new WorktreeError(`Cannot remove: ${problem}`, {
        code: 'worktree-invalid-name',
        worktree: String(name),
      });
    if (name === mainWorktree || !name.startsWith('task-')) {
      throw new WorktreeError(
        `Worktree ${JSON.stringify(name)} is not a temporary task-* worktree; only those can be removed`,
        {
          code: 'worktree-protected',
          worktree: name,
        },
      );
    }
    return repository.locked(async () => {
      const path = join(baseDir, name);
      const found = (await repository.list(signal)).find((worktree) => worktree.path === path);
      if (!found) {
        throw new WorktreeError(`There is no worktree ${JSON.stringify(name)} in ${baseDir}`, {
          code: 'worktree-not-found',
          worktree: name,
        });
      }
      if (found.locked) {
        throw new WorktreeError(`Worktree ${name} is locked; unlock it first (git worktree unlock)`, {
          code: 'worktree-locked',
          worktree: name,
        });
      }
      const dirty = removeOptions.force || found.prunable ? [] : await repository.changes(path, signal);
      if (dirty.length > 0) {
        const listed = `${dirty.slice(0, 5).join('; ')}${dirty.length > 5 ? '; ...' : ''}`;
        throw new WorktreeError(
          `Worktree ${name} has uncommitted changes (${listed}): commit or discard them, or remove it with force`,
          { code: 'worktree-dirty', worktree: name },
        );
      }
      const args = found.prunable
        ? ['worktree', 'prune']
        : ['worktree', 'remove', ...(removeOptions.force ? ['--force'] : []), path];
      await repository.mutate(args, { worktree: name, action: `remove worktree ${name}` }, signal);
      emit({
        type: 'worktree-remove',
        worktree: name,
        path,
        reason: 'removed',
        ...(removeOptions.taskId ? { taskId: removeOptions.taskId } : {}),
      });
      return found;
    });
  }

  return {
    baseDir,
    mainWorktree,
    mainPath,
    create,
    remove,
    resolveBase,
    list: (listOptions = {}) => repository.list(listOptions.signal),
    prune: (pruneOptions = {}) => pruneWorktrees(repository, { emit, ...pruneOptions }),
  };
}

/**
 * Whether a listed worktree was fully created: git answers in it with it as the top level, and
 * its index exists. A `worktree add` killed before it wrote its `initializing` lock (or before
 * its first index) leaves a folder git lists but cannot use; such a worktree is made again.
 */
async function isCompleteWorktree(path: string, signal?: AbortSignal): Promise<boolean> {
  const result = await runGit(['rev-parse', '--path-format=absolute', '--git-dir', '--show-toplevel'], {
    cwd: path,
    ...(signal ? { signal } : {}),
  }).catch(() => undefined);
  if (result === undefined || result.exitCode !== 0) return false;
  const [gitDir, topLevel] = result.stdout.split('\n');
  if (!gitDir || !topLevel) return false;
  try {
    return realpathSync(topLevel) === realpathSync(path) && statSync(join(gitDir, 'index')).isFile();
  } catch {
    return false;
  }
}
