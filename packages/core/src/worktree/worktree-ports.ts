import { createHash } from 'node:crypto';
import { basename } from 'node:path';

/** A worktree's own port range. */
export interface WorktreePorts {
  /** First port of the range (also `PORT`, the port most dev servers read). */
  base: number;
  size: number;
  /** Environment entries: `PORT`, `ORCHESTRATOR_PORT_BASE`, `ORCHESTRATOR_PORT_COUNT`. */
  env: Record<string, string>;
}

/** Ports 20000-59999 are split into ranges; a worktree name picks one, the same on every call. */
const firstPort = 20_000;
const lastPort = 60_000;

/**
 * The port range of a worktree, derived from its directory name, so parallel dev servers of
 * different worktrees do not collide and every process started there (setup hook, codex,
 * commands) agrees without shared state.
 *
 * @example
 * worktreePorts('/srv/shop/task-search', 10).env; // { PORT: '43120', ORCHESTRATOR_PORT_BASE: '43120', ORCHESTRATOR_PORT_COUNT: '10' }
 */
export function worktreePorts(worktreePath: string, size = 10): WorktreePorts {
  const slots = Math.floor((lastPort - firstPort) / size);
  const hash = createHash('sha256').update(basename(worktreePath)).digest().readUInt32BE(0);
  const base = firstPort + (hash % slots) * size;
  return {
    base,
    size,
    env: { PORT: String(base), ORCHESTRATOR_PORT_BASE: String(base), ORCHESTRATOR_PORT_COUNT: String(size) },
  };
}
