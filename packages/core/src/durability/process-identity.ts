/** Who owns a lock or a worktree: a process id plus its start time, so a reused pid is not mistaken for the owner. */
import { readFileSync } from 'node:fs';

/** A live process, as recorded in lock files and ownership records. */
export interface ProcessIdentity {
  pid: number;
  /** Start time of the process in clock ticks since boot (Linux `/proc/<pid>/stat` field 22); null elsewhere. */
  start: string | null;
}

/** The start time of `pid`, or null when it cannot be read (no `/proc`, or no such process). */
export function processStartTime(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) is in parentheses and may itself contain spaces or parentheses.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return fields[19] ?? null;
  } catch {
    return null;
  }
}

let self: ProcessIdentity | undefined;

/** This process. */
export function currentProcess(): ProcessIdentity {
  self ??= { pid: process.pid, start: processStartTime(process.pid) };
  return self;
}

/** True while the recorded process still runs (same pid and, where known, same start time). */
export function isProcessAlive(owner: ProcessIdentity): boolean {
  if (!Number.isInteger(owner.pid) || owner.pid <= 0) return false;
  try {
    process.kill(owner.pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  if (owner.start === null) return true;
  const start = processStartTime(owner.pid);
  return start === null || start === owner.start;
}
