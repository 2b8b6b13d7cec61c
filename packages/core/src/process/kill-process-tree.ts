/**
 * Kills a process and everything it started. Killing the process group is not enough for codex:
 * it runs each shell command in a new session (its own process group), and under
 * `danger-full-access` those commands outlive a killed codex. So the tree is found by parent
 * links, and every process group and session seen in it is signalled as well.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

/** One row of the process table. `sessionId` is unknown off Linux. */
export interface ProcessEntry {
  pid: number;
  parentPid: number;
  groupId: number;
  sessionId: number | undefined;
}

function readLinuxProcesses(): ProcessEntry[] {
  const entries: ProcessEntry[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      // The command name may contain spaces and parentheses: fields start after the last ')'.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      entries.push({
        pid: Number(name),
        parentPid: Number(fields[1]),
        groupId: Number(fields[2]),
        sessionId: Number(fields[3]),
      });
    } catch {
      // the process ended while we read
    }
  }
  return entries;
}

function readPsProcesses(): ProcessEntry[] {
  const output = execFileSync('ps', ['-A', '-o', 'pid=,ppid=,pgid='], { encoding: 'utf8' });
  return output
    .split('\n')
    .map((line) => line.trim().split(/\s+/).map(Number))
    .filter((fields) => fields.length === 3 && fields.every(Number.isFinite))
    .map(([pid, parentPid, groupId]) => ({
      pid: pid as number,
      parentPid: parentPid as number,
      groupId: groupId as number,
      sessionId: undefined,
    }));
}

/** A snapshot of the process table. */
export function listProcesses(): ProcessEntry[] {
  try {
    return process.platform === 'linux' ? readLinuxProcesses() : readPsProcesses();
  } catch {
    return [];
  }
}

/** What to signal: the tree under `rootPid`, plus its process groups and sessions. */
interface KillSet {
  pids: Set<number>;
  groups: Set<number>;
  sessions: Set<number>;
}

function ownIds(processes: ProcessEntry[]): { group: number; session: number | undefined } {
  const self = processes.find((entry) => entry.pid === process.pid);
  return { group: self?.groupId ?? process.pid, session: self?.sessionId };
}

function collect(rootPid: number, processes: ProcessEntry[], into: KillSet): void {
  const own = ownIds(processes);
  const children = new Map<number, ProcessEntry[]>();
  for (const entry of processes) {
    const list = children.get(entry.parentPid) ?? [];
    list.push(entry);
    children.set(entry.parentPid, list);
  }
  const roots = processes.filter(
    (entry) =>
      entry.pid === rootPid ||
      into.pids.has(entry.pid) ||
      into.groups.has(entry.groupId) ||
      (entry.sessionId !== undefined && into.sessions.has(entry.sessionId)),
  );
  const queue = [...roots];
  while (queue.length > 0) {
    const entry = queue.pop() as ProcessEntry;
    if (entry.pid === process.pid) continue;
    into.pids.add(entry.pid);
    if (entry.groupId !== own.group) into.groups.add(entry.groupId);
    if (entry.sessionId !== undefined && entry.sessionId !== own.session && entry.sessionId !== 0) {
      into.sessions.add(entry.sessionId);
    }
    for (const child of children.get(entry.pid) ?? []) if (!into.pids.has(child.pid)) queue.push(child);
  }
  // Members of a seen group or session that were re-parented (orphans) are included too.
  for (const entry of processes) {
    if (entry.pid === process.pid) continue;
    if (
      into.groups.has(entry.groupId) ||
      (entry.sessionId !== undefined && into.sessions.has(entry.sessionId))
    ) {
      into.pids.add(entry.pid);
    }
  }
}

function signalAll(set: KillSet, signal: NodeJS.Signals): void {
  for (const group of set.groups) {
    try {
      process.kill(-group, signal);
    } catch {
      // already gone
    }
  }
  for (const pid of set.pids) {
    try {
      process.kill(pid, signal);
    } catch {
      // already gone
    }
  }
}

function isZombie(pid: number): boolean {
  if (process.platform !== 'linux') return false;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
  } catch {
    return false;
  }
}

/** True while `pid` runs (exists, may be signalled, and is not a zombie waiting to be reaped). */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  return !isZombie(pid);
}

/**
 * Sends SIGTERM to `rootPid`, its descendants, their process groups and sessions; after
 * `graceMs` (default 1500) sends SIGKILL to whatever of that set is still alive, descendants
 * that appeared meanwhile included. Resolves once the SIGKILL round was sent.
 */
export async function killProcessTree(rootPid: number, options: { graceMs?: number } = {}): Promise<void> {
  const set: KillSet = { pids: new Set(), groups: new Set(), sessions: new Set() };
  collect(rootPid, listProcesses(), set);
  set.pids.add(rootPid);
  signalAll(set, 'SIGTERM');
  const deadline = Date.now() + (options.graceMs ?? 1500);
  while (Date.now() < deadline && [...set.pids].some(isProcessAlive)) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    collect(rootPid, listProcesses(), set);
  }
  collect(rootPid, listProcesses(), set);
  signalAll(set, 'SIGKILL');
}
