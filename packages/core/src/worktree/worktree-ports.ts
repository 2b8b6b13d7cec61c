import { createHash } from 'node:crypto';
import { readdir, rm, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { readDurableJson, writeDurableJson } from '../durability/durable-json.js';
import { acquireLock } from '../durability/exclusive-lock.js';
import { repositoryStateDir } from '../durability/repository-state.js';

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
 * The preferred port range of a worktree, derived from its directory name (the same on every
 * call). `allocateWorktreePorts` starts from it and moves on when another live worktree of the
 * repository holds it.
 *
 * @example
 * worktreePorts('/srv/shop/task-search', 10).env; // { PORT: '43120', ORCHESTRATOR_PORT_BASE: '43120', ORCHESTRATOR_PORT_COUNT: '10' }
 */
export function worktreePorts(worktreePath: string, size = 10): WorktreePorts {
  const slots = Math.floor((lastPort - firstPort) / size);
  const hash = createHash('sha256').update(basename(worktreePath)).digest().readUInt32BE(0);
  return portRange(firstPort + (hash % slots) * size, size);
}

function portRange(base: number, size: number): WorktreePorts {
  return {
    base,
    size,
    env: { PORT: String(base), ORCHESTRATOR_PORT_BASE: String(base), ORCHESTRATOR_PORT_COUNT: String(size) },
  };
}

const portsFolder = (baseDir: string) => join(repositoryStateDir(baseDir), 'ports');
const recordPath = (baseDir: string, worktree: string) => join(portsFolder(baseDir), `${worktree}.json`);

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

/** The recorded range of a worktree of the repository in `baseDir`, if one was allocated. */
export async function readWorktreePorts(
  baseDir: string,
  worktree: string,
): Promise<WorktreePorts | undefined> {
  const record = await readDurableJson<{ base?: unknown; size?: unknown }>(
    recordPath(baseDir, worktree),
  ).catch(() => undefined);
  if (typeof record?.base !== 'number' || typeof record.size !== 'number') return undefined;
  return portRange(record.base, record.size);
}

/**
 * Gives the worktree `<baseDir>/<worktree>` its own port range, recorded under the repository's
 * state folder: its preferred range (`worktreePorts`), or the next one no other live worktree of
 * the repository holds. Allocation runs under a cross-process lock, so concurrent subtasks (and
 * two orchestrator processes on one repository) never share a port; a worktree keeps its range
 * for its whole life (a resumed run gets the same one). Records of worktrees whose folder is gone
 * are dropped. Ranges of different repositories are only spread by the hash.
 *
 * @example
 * const ports = await allocateWorktreePorts({ baseDir: '/srv/shop', worktree: 'task-search', size: 10 });
 * ports.env; // { PORT: '43120', ORCHESTRATOR_PORT_BASE: '43120', ORCHESTRATOR_PORT_COUNT: '10' }
 */
export async function allocateWorktreePorts(input: {
  baseDir: string;
  worktree: string;
  size: number;
}): Promise<WorktreePorts> {
  const { baseDir, worktree, size } = input;
  const release = await acquireLock(join(repositoryStateDir(baseDir), 'ports.lock'), {
    label: `port allocation for ${worktree}`,
  });
  try {
    const own = await readWorktreePorts(baseDir, worktree);
    if (own !== undefined && own.size === size) return own;
    const taken: WorktreePorts[] = [];
    const names = await readdir(portsFolder(baseDir)).catch(() => [] as string[]);
    for (const name of names) {
      if (!name.endsWith('.json')) continue;
      const other = name.slice(0, -'.json'.length);
      if (other === worktree) continue;
      if (!(await exists(join(baseDir, other)))) {
        await rm(join(portsFolder(baseDir), name), { force: true });
        continue;
      }
      const range = await readWorktreePorts(baseDir, other);
      if (range !== undefined) taken.push(range);
    }
    const slots = Math.floor((lastPort - firstPort) / size);
    const preferred = (worktreePorts(join(baseDir, worktree), size).base - firstPort) / size;
    for (let step = 0; step < slots; step++) {
      const base = firstPort + ((preferred + step) % slots) * size;
      const overlaps = taken.some((range) => base < range.base + range.size && range.base < base + size);
      if (overlaps) continue;
      const ports = portRange(base, size);
      await writeDurableJson(recordPath(baseDir, worktree), { worktree, base, size });
      return ports;
    }
    throw new Error(`no free port range of ${size} ports is left between ${firstPort} and ${lastPort}`);
  } finally {
    await release();
  }
}
