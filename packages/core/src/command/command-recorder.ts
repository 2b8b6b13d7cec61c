import type { AuditLog } from '../audit/audit-log.js';
import type { Redactor } from '../audit/redact-secrets.js';
import type { EventStream } from '../events/event-stream.js';
import type { OrchestratorEventInput } from '../events.js';
import { errorMessage } from '../shared/error-message.js';
import type { RunRepoCommandResult } from '../types.js';
import { formatTraceLine } from './trace-line.js';

/** The identity of one run_repo_command call, as events and the audit log name it. */
export interface CommandCall {
  callId: string;
  /** ISO 8601 start time. */
  time: string;
  taskId?: string;
  worktree: string;
  /** The command with secrets redacted. */
  command: string;
}

/** Writes what happens to a call: events, the trace line and the audit line. */
export interface CommandRecorder {
  /** Emits an event with secrets redacted and the call's task id filled in. */
  emit(event: OrchestratorEventInput): void;
  start(call: CommandCall, ruleId: string | undefined): void;
  /** Emits command-end or command-denied, traces, and appends the audit line (`result` already redacted). */
  finish(call: CommandCall, result: RunRepoCommandResult): Promise<void>;
}

/** Creates the recorder of a command runner. */
export function createCommandRecorder(options: {
  events: EventStream;
  redactor: Redactor;
  auditLog: AuditLog;
  dryRun: boolean;
  trace: ((line: string) => void) | undefined;
  /** The sandbox was turned off (`sandbox: 'off'`): every audit line says so. */
  unconfined?: boolean;
}): CommandRecorder {
  const { events, redactor, auditLog, dryRun, trace } = options;
  const sandboxField = options.unconfined ? { sandbox: 'off' as const } : {};
  // Events of handlers are redacted here; the runner's own events carry fields redacted already.
  const emit = (event: OrchestratorEventInput) => void events.emit(redactor.redactValue(event));
  const emitRedacted = (event: OrchestratorEventInput) => void events.emit(event);
  const identity = (call: CommandCall) => ({
    callId: call.callId,
    worktree: redactor.redact(call.worktree), // hostile input, possibly not a real worktree name
    command: call.command,
    ...(call.taskId === undefined ? {} : { taskId: call.taskId }),
  });

  return {
    emit,
    start(call, ruleId) {
      emitRedacted({ type: 'command-start', ...identity(call), dryRun, ...(ruleId ? { ruleId } : {}) });
    },
    async finish(call, result) {
      const ruleId = result.ruleId ? { ruleId: result.ruleId } : {};
      if (result.status === 'denied') {
        emitRedacted({
          type: 'command-denied',
          ...identity(call),
          reason: result.reason ?? 'denied',
          ...ruleId,
        });
      } else {
        emitRedacted({
          type: 'command-end',
          ...identity(call),
          exitCode: result.exitCode,
          durationMs: Math.round(result.durationMs),
          timedOut: result.status === 'timed-out',
          cancelled: result.status === 'cancelled',
          truncated: result.truncated,
          dryRun,
          status: result.status,
          ...(result.handler ? { handler: result.handler } : {}),
          ...(result.reason ? { reason: result.reason } : {}),
        });
      }
      trace?.(formatTraceLine({ ...identity(call), result, dryRun }));
      try {
        await auditLog.append({
          time: call.time,
          ...identity(call),
          decision: result.status === 'denied' ? 'deny' : 'allow',
          ...ruleId,
          ...(result.reason ? { reason: result.reason } : {}),
          status: result.status,
          exitCode: result.exitCode,
          durationMs: Math.round(result.durationMs),
          truncated: result.truncated,
          dryRun,
          ...(result.handler ? { handler: result.handler } : {}),
          ...sandboxField,
        });
      } catch (error) {
        emit({
          type: 'error',
          code: 'audit-log-failed',
          message: `Could not write the audit log: ${errorMessage(error)}`,
          ...(call.taskId === undefined ? {} : { taskId: call.taskId }),
        });
      }
    },
  };
}
