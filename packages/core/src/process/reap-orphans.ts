import { readdirSync, readFileSync } from 'node:fs';
import { isProcessAlive, type ProcessIdentity } from '../durability/process-identity.js';
import { listProcesses } from './kill-process-tree.js';
import { ownerMarker, ownerMarkerName } from './owner-marker.js';

/** What `reapOrphans` found and killed. */
export interface ReapedOrphans {
  /** Pids sent SIGKILL. */
  killed: number[];
}

function markerOf(pid: number): string | undefined {
  let environ: string;
  try {
    environ = readFileSync(`/proc/${pid}/environ`, 'latin1');
  } catch {
    return undefined; // gone, or another user's process
  }
  const prefix = `${ownerMarkerName}=`;
  for (const entry of environ.split('\0')) if (entry.startsWith(prefix)) return entry.slice(prefix.length);
  return undefined;
}

/**
 * Kills (SIGKILL) every process that carries the owner marker of one of `owners` when that owner
 * is dead, plus the members of the process groups and sessions those processes lead (a child
 * that dropped its environment but stayed in its group). This process, its group and its session
 * are never touched, nor the processes of a live owner. Linux only (`/proc`); elsewhere a no-op.
 */
export function reapOrphans(owners: readonly ProcessIdentity[]): ReapedOrphans {
  if (process.platform !== 'linux') return { killed: [] };
  const dead = new Set(owners.filter((owner) => !isProcessAlive(owner)).map((owner) => ownerMarker(owner)));
  if (dead.size === 0) return { killed: [] };
  const orphans = new Set<number>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const pid = Number(name);
    if (pid === process.pid) continue;
    const marker = markerOf(pid);
    if (marker !== undefined && dead.has(marker)) orphans.add(pid);
  }
  const processes = listProcesses();
  const self = processes.find((entry) => entry.pid === process.pid);
  const leaders = new Set([...orphans]);
  for (const entry of processes) {
    if (entry.pid === process.pid || entry.groupId === self?.groupId || entry.sessionId === self?.sessionId)
      continue;
    if (leaders.has(entry.groupId) || (entry.sessionId !== undefined && leaders.has(entry.sessionId))) {
      orphans.add(entry.pid);
    }
  }
  const killed: number[] = [];
  for (const pid of orphans) {
    try {
      process.kill(pid, 'SIGKILL');
      killed.push(pid);
    } catch {
      // gone meanwhile
    }
  }
  return { killed: killed.sort((a, b) => a - b) };
}
