import { createHash } from 'node:crypto';
import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { RunRepoCommandStatus } from '../types.js';
import { createRedactor, type Redactor } from './redact-secrets.js';

/** One run_repo_command call as written to the audit log (one JSON object per line). */
export interface AuditEntry {
  /** ISO 8601 time the call started. */
  time: string;
  callId?: string;
  taskId?: string;
  worktree: string;
  /**
   * The command as run or refused, secrets redacted. One longer than the log's
   * `maxCommandLength` keeps only its head and tail around a `…[N characters cut]…` marker, with
   * `commandLength` and `commandSha256` describing the whole.
   */
  command: string;
  /** Length of the whole command in characters (UTF-16 code units), when `command` was cut. */
  commandLength?: number;
  /** SHA-256 (hex) of the whole command as logged (secrets redacted), when `command` was cut. */
  commandSha256?: string;
  /** The policy verdict; `deny` also for a refused worktree. */
  decision: 'allow' | 'deny';
  ruleId?: string;
  reason?: string;
  status: RunRepoCommandStatus;
  exitCode: number | null;
  durationMs: number;
  truncated: boolean;
  dryRun: boolean;
  /** The command handler that executed the command in-process, if any. */
  handler?: string;
  /** `'off'` on every line of a run with the explicit sandbox opt-out (commands ran unconfined). */
  sandbox?: 'off';
}

/** Where audit entries go. `createAuditLog` writes a file; any object with `append` works. */
export interface AuditLog {
  /** Absolute path of the file, for file-backed logs. */
  readonly path?: string;
  /** Appends one entry. Resolves once the line is written. */
  append(entry: AuditEntry): Promise<void>;
}

/** Options of `createAuditLog`. */
export interface AuditLogOptions {
  /** Redacts secrets from every string of an entry (default `createRedactor()`). */
  redactor?: Redactor;
  /**
   * Longest command stored whole (default 4096 characters). A longer one (a refused 1 MB heredoc)
   * keeps its first half and last quarter of this many characters, its length and its hash.
   */
  maxCommandLength?: number;
}

/** Cuts an oversized command to head + marker + tail, with its length and hash. */
export function capAuditCommand(entry: AuditEntry, maxCommandLength: number): AuditEntry {
  const { command } = entry;
  if (command.length <= maxCommandLength) return entry;
  const headLength = Math.floor(maxCommandLength / 2);
  const tailLength = Math.floor(maxCommandLength / 4);
  const cut = command.length - headLength - tailLength;
  return {
    ...entry,
    command: `${safeSlice(command, 0, headLength)}…[${cut} characters cut]…${safeSlice(command, command.length - tailLength, command.length)}`,
    commandLength: command.length,
    commandSha256: createHash('sha256').update(command, 'utf8').digest('hex'),
  };
}

/** `text.slice(start, end)` without a lone half of a surrogate pair at either end. */
function safeSlice(text: string, start: number, end: number): string {
  const isLow = (index: number) => {
    const code = text.charCodeAt(index);
    return code >= 0xdc00 && code <= 0xdfff;
  };
  let from = start;
  let to = end;
  if (from > 0 && isLow(from)) from += 1;
  if (to < text.length && isLow(to)) to -= 1;
  return text.slice(from, to);
}

function appendLine(path: string, line: string): void {
  try {
    appendFileSync(path, line, { mode: 0o600 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    mkdirSync(dirname(path), { recursive: true });
    appendFileSync(path, line, { mode: 0o600 });
  }
}

/**
 * Creates an append-only JSON-lines audit log at `path` (created with mode 0600, and its folder,
 * if missing). Each `append` writes exactly one line, synchronously, as one write on an O_APPEND
 * descriptor: calls of this process are serialised by construction and lines of other processes
 * writing the same file do not interleave either. (A line is a few hundred bytes going to the
 * page cache, which costs microseconds; it also avoids two thread-pool round trips per call.)
 * Secrets are redacted from every field, and an oversized command keeps only its head and tail
 * with its length and hash (see `maxCommandLength`).
 *
 * @example
 * const audit = createAuditLog('/srv/orchestrator/run_repo_command.log');
 * await audit.append({ time: new Date().toISOString(), worktree: 'main', command: 'git status', ... });
 */
export function createAuditLog(path: string, options: AuditLogOptions = {}): AuditLog {
  const absolutePath = resolve(path);
  const redactor = options.redactor ?? createRedactor();
  const maxCommandLength = Math.max(64, options.maxCommandLength ?? 4096);
  return {
    path: absolutePath,
    async append(entry) {
      const redacted = redactor.redactValue(entry);
      appendLine(absolutePath, `${JSON.stringify(capAuditCommand(redacted, maxCommandLength))}\n`);
    },
  };
}
