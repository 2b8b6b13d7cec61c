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
  command: string;
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
 * Secrets are redacted from every field.
 *
 * @example
 * const audit = createAuditLog('/srv/orchestrator/run_repo_command.log');
 * await audit.append({ time: new Date().toISOString(), worktree: 'main', command: 'git status', ... });
 */
export function createAuditLog(path: string, options: AuditLogOptions = {}): AuditLog {
  const absolutePath = resolve(path);
  const redactor = options.redactor ?? createRedactor();
  return {
    path: absolutePath,
    async append(entry) {
      appendLine(absolutePath, `${JSON.stringify(redactor.redactValue(entry))}\n`);
    },
  };
}
