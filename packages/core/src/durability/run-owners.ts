/**
 * Which orchestrator processes ran on a repository, so that the next start there kills what a
 * crashed one left running (`reapOrphans`) before a resumed run continues beside it.
 */
import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { type ReapedOrphans, reapOrphans } from '../process/reap-orphans.js';
import { readDurableJson, writeDurableJson } from './durable-json.js';
import { currentProcess, isProcessAlive, type ProcessIdentity } from './process-identity.js';

const folder = (stateDir: string) => join(stateDir, 'owners');
const recordName = (owner: ProcessIdentity) => `${owner.pid}-${owner.start ?? 'unknown'}.json`;

/** Records this process as one that starts processes for runs on the repository of `stateDir`. */
export async function recordRunOwner(stateDir: string): Promise<void> {
  const self = currentProcess();
  await writeDurableJson(join(folder(stateDir), recordName(self)), self);
}

/**
 * Kills the processes that recorded owners of `stateDir`'s repository left running when they
 * died (SIGKILL, a crash), then forgets those owners. Records of live owners stay.
 */
export async function reapDeadRunOwners(stateDir: string): Promise<ReapedOrphans> {
  const names = await readdir(folder(stateDir)).catch(() => [] as string[]);
  const owners: Array<{ owner: ProcessIdentity; path: string }> = [];
  for (const name of names) {
    if (!name.endsWith('.json')) continue;
    const path = join(folder(stateDir), name);
    const owner = await readDurableJson<ProcessIdentity>(path).catch(() => undefined);
    if (owner === undefined || typeof owner.pid !== 'number') await rm(path, { force: true });
    else owners.push({ owner, path });
  }
  const dead = owners.filter(({ owner }) => !isProcessAlive(owner));
  const reaped = reapOrphans(dead.map(({ owner }) => owner));
  for (const { path } of dead) await rm(path, { force: true });
  return reaped;
}
