/**
 * Where the orchestrator keeps what must outlive a process for one repository: the writer lock,
 * the ledger of main (merge intents), worktree ownership and the git metadata snapshot. The folder
 * is `<baseDir>/.codex-orchestrator`, beside the worktrees: outside every git dir and worktree, so
 * neither codex nor a repository command can write it.
 */
import { realpathSync } from 'node:fs';
import { join } from 'node:path';
import { acquireLock } from './exclusive-lock.js';

/** The state folder of the repository whose worktrees live in `baseDir`. */
export function repositoryStateDir(baseDir: string): string {
  let real = baseDir;
  try {
    real = realpathSync(baseDir); // one folder for every spelling of the path (symlinks)
  } catch {}
  return join(real, '.codex-orchestrator');
}

// Holders in this process wait here, in order, rather than polling the lock file.
const chains = new Map<string, Promise<unknown>>();

/**
 * Runs `action` holding the repository's writer lock: the one lock, across processes and runs,
 * for everything that writes main (merges, recovery, the end-of-run check) or administers
 * worktrees (add, remove, prune). Not re-entrant: never call it from inside `action`.
 */
export function withWriterLock<T>(
  stateDir: string,
  label: string,
  action: () => Promise<T>,
  options: { signal?: AbortSignal; onWait?: (holder: string) => void } = {},
): Promise<T> {
  const path = join(stateDir, 'writer.lock');
  const previous = chains.get(path) ?? Promise.resolve();
  const run = previous.then(async () => {
    const release = await acquireLock(path, {
      label,
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.onWait
        ? { onWait: (owner) => options.onWait?.(`process ${owner.pid} (${owner.label})`) }
        : {}),
    });
    try {
      return await action();
    } finally {
      await release();
    }
  });
  const settled = run.then(
    () => undefined,
    () => undefined,
  );
  chains.set(path, settled);
  void settled.then(() => {
    if (chains.get(path) === settled) chains.delete(path);
  });
  return run;
}
