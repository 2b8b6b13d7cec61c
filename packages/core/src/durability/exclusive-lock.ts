/**
 * An exclusive lock across processes: a lock file created atomically (`link` of a complete temp
 * file, so it never exists half-written) naming its owner's pid, process start time and a token.
 *
 * Written here rather than taken from proper-lockfile on purpose: proper-lockfile judges a lock
 * stale by its mtime (a SIGKILLed owner blocks the next start for the whole stale period) and takes
 * a stale lock over by removing it and creating it again, the same remove-then-create race that
 * let two dispatchers both take a stale journal lock. Here a dead owner is known at once (pid and
 * start time), and a takeover replaces the lock file with `rename` (it never disappears) while
 * holding a second, short-lived guard directory, so of two processes taking over the same stale
 * lock exactly one wins.
 */
import { randomBytes } from 'node:crypto';
import { link, mkdir, readFile, rename, rmdir, stat, unlink, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { OrchestratorError } from '../errors.js';
import { errorMarkerPrefix, hasErrorMarker, markErrorClass } from '../shared/error-marker.js';
import { backoffDelay, retryWithBackoff } from '../shared/retry-with-backoff.js';
import { currentProcess, isProcessAlive, type ProcessIdentity } from './process-identity.js';

/** The content of a lock file. */
export interface LockOwner extends ProcessIdentity {
  token: string;
  /** What holds it (for messages): `merge of task-a`, `task journal`... */
  label: string;
  since: string;
}

/** Releases a held lock (idempotent; never removes a lock someone else holds now). */
export type ReleaseLock = () => Promise<void>;

/** The outcome of one attempt. */
export type LockAttempt = { acquired: true; release: ReleaseLock } | { acquired: false; owner: LockOwner };

/** A takeover guard older than this belongs to a process that died inside the takeover. */
const takeoverGuardStaleMs = 10_000;
/** A lock file that cannot be parsed and is older than this is treated as stale. */
const unreadableStaleMs = 5_000;

function parseOwner(text: string | undefined): LockOwner | undefined {
  if (text === undefined) return undefined;
  // Lock files of earlier versions hold only the owner's pid.
  if (/^\d+\s*$/.test(text)) {
    return {
      pid: Number(text.trim()),
      start: null,
      token: `pid-${text.trim()}`,
      label: 'an earlier version',
      since: '',
    };
  }
  try {
    const value = JSON.parse(text) as Partial<LockOwner>;
    if (typeof value.pid !== 'number' || typeof value.token !== 'string') return undefined;
    return {
      pid: value.pid,
      start: typeof value.start === 'string' ? value.start : null,
      token: value.token,
      label: typeof value.label === 'string' ? value.label : 'unknown',
      since: typeof value.since === 'string' ? value.since : '',
    };
  } catch {
    return undefined;
  }
}

async function ageMs(path: string): Promise<number | undefined> {
  const stats = await stat(path).catch(() => undefined);
  return stats === undefined ? undefined : Date.now() - stats.mtimeMs;
}

async function writeOwnerFile(path: string, owner: LockOwner): Promise<string> {
  const temp = `${path}.${owner.pid}.${owner.token}.tmp`;
  await writeFile(temp, `${JSON.stringify(owner)}\n`, { mode: 0o600 });
  return temp;
}

async function takeOver(path: string, staleText: string, owner: LockOwner): Promise<boolean> {
  const guard = `${path}.takeover`;
  try {
    await mkdir(guard);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    const age = await ageMs(guard);
    if (age !== undefined && age > takeoverGuardStaleMs) await rmdir(guard).catch(() => undefined);
    return false;
  }
  try {
    const now = await readFile(path, 'utf8').catch(() => undefined);
    if (now !== staleText) return false;
    const temp = await writeOwnerFile(path, owner);
    await rename(temp, path);
    return true;
  } finally {
    await rmdir(guard).catch(() => undefined);
  }
}

/**
 * One attempt to take the lock at `path` (its folder is created). A lock whose owner died is taken
 * over; a live owner (this process included) makes the attempt fail with that owner.
 */
export async function tryAcquireLock(path: string, label: string): Promise<LockAttempt> {
  await mkdir(dirname(path), { recursive: true });
  const owner: LockOwner = {
    ...currentProcess(),
    token: randomBytes(8).toString('hex'),
    label,
    since: new Date().toISOString(),
  };
  const release: ReleaseLock = async () => {
    const held = parseOwner(await readFile(path, 'utf8').catch(() => undefined));
    if (held?.token === owner.token) await unlink(path).catch(() => undefined);
  };
  for (let round = 0; round < 5; round += 1) {
    const temp = await writeOwnerFile(path, owner);
    try {
      await link(temp, path);
      return { acquired: true, release };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    } finally {
      await unlink(temp).catch(() => undefined);
    }
    const text = await readFile(path, 'utf8').catch(() => undefined);
    if (text === undefined) continue; // released meanwhile: try again
    const current = parseOwner(text);
    if (current !== undefined && isProcessAlive(current)) return { acquired: false, owner: current };
    if (current === undefined && ((await ageMs(path)) ?? 0) < unreadableStaleMs) {
      return {
        acquired: false,
        owner: { pid: 0, start: null, token: '', label: 'an unreadable lock file', since: '' },
      };
    }
    if (await takeOver(path, text, owner)) return { acquired: true, release };
  }
  const text = await readFile(path, 'utf8').catch(() => undefined);
  return {
    acquired: false,
    owner: parseOwner(text) ?? { pid: 0, start: null, token: '', label: 'a contended lock', since: '' },
  };
}

/** Options of `acquireLock`. */
export interface AcquireLockOptions {
  label: string;
  signal?: AbortSignal;
  /** Longest wait for a live owner (default: as long as it takes). */
  timeoutMs?: number;
  /** Called once when the lock is busy and the call starts waiting. */
  onWait?: (owner: LockOwner) => void;
}

/** Thrown inside the polling loop while another live process holds the lock. */
class LockBusy extends Error {
  constructor(readonly owner: LockOwner) {
    super('the lock is busy');
  }
}

/**
 * Waits for the lock at `path` (polling with a growing, jittered delay: the shared
 * `retryWithBackoff`, 10 ms doubling up to 250 ms) and returns its release.
 */
export async function acquireLock(path: string, options: AcquireLockOptions): Promise<ReleaseLock> {
  const deadline =
    options.timeoutMs === undefined ? Number.POSITIVE_INFINITY : Date.now() + options.timeoutMs;
  const backoff = { initialDelayMs: 10, maxDelayMs: 250 };
  let waited = false;
  return retryWithBackoff(
    async () => {
      const attempt = await tryAcquireLock(path, options.label);
      if (attempt.acquired) return attempt.release;
      if (!waited) options.onWait?.(attempt.owner);
      waited = true;
      throw new LockBusy(attempt.owner);
    },
    {
      retries: Number.POSITIVE_INFINITY,
      ...backoff,
      ...(options.signal ? { signal: options.signal } : {}),
      shouldRetry: (error, attempt) => {
        if (!(error instanceof LockBusy)) return false;
        const delayMs = backoffDelay(attempt, backoff);
        if (Date.now() + delayMs > deadline) {
          const { owner } = error;
          throw new LockTimeoutError(
            `Timed out waiting for ${path}, held by process ${owner.pid} (${owner.label}) since ${owner.since || 'an unknown time'}`,
          );
        }
        return { retry: true, delayMs };
      },
    },
  );
}

const lockTimeoutMarker = Symbol.for(`${errorMarkerPrefix}.LockTimeoutError`);

/** Waiting for a lock took longer than allowed (code `lock-timeout`). */
export class LockTimeoutError extends OrchestratorError<'lock-timeout'> {
  static {
    markErrorClass(LockTimeoutError, lockTimeoutMarker);
  }

  constructor(message: string) {
    super(message, { code: 'lock-timeout' });
  }

  /** True for a `LockTimeoutError` from any copy of the package. */
  static override isInstance(value: unknown): value is LockTimeoutError {
    return hasErrorMarker(value, lockTimeoutMarker);
  }
}
