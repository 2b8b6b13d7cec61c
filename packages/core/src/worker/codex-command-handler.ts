/**
 * Runs `codex exec ...` commands that the orchestrator model sends through run_repo_command with a
 * `Worker`: the model gets a compact summary, the event stream gets every detail.
 */
import { realpath } from 'node:fs/promises';
import { resolve } from 'node:path';
import { errorMessage } from '../shared/error-message.js';
import type {
  CommandHandler,
  RunRepoCommandResult,
  RunRepoCommandStatus,
  Worker,
  WorkerRequest,
  WorkerResult,
  WorkerStatus,
} from '../types.js';
import { readWorktreePorts } from '../worktree/worktree-ports.js';
import { parseCodexExecArgs } from './codex-exec-args.js';
import { formatWorkerSummary, type WorkerSummaryOptions } from './format-worker-summary.js';

/** Options of `createCodexCommandHandler`. */
export interface CodexCommandHandlerOptions extends Omit<WorkerSummaryOptions, 'cwd'> {
  /** Handler name reported in results (default `codex`). */
  name?: string;
  /** Wall-clock limit per run, passed to the worker (default: the worker's own). */
  timeoutMs?: number;
}

const statusOf: Record<WorkerStatus, RunRepoCommandStatus> = {
  completed: 'ok',
  failed: 'failed',
  'sandbox-failure': 'failed',
  'timed-out': 'timed-out',
  cancelled: 'cancelled',
};

async function sameDirectory(first: string, second: string): Promise<boolean> {
  const [a, b] = await Promise.all([
    realpath(first).catch(() => first),
    realpath(second).catch(() => second),
  ]);
  return a === b;
}

/**
 * A `CommandHandler` for `codex exec ...` (and old forms such as `codex exec --full-auto "..."`).
 * The worker runs in the invocation's worktree; `-C` must name that worktree. A requested
 * `workspace-write`/`--full-auto` leaves the sandbox to the worker's configuration (so a
 * container set to `danger-full-access` keeps working); `read-only` is honoured;
 * `danger-full-access` is passed on and refused unless the worker allows it.
 *
 * @example
 * const handler = createCodexCommandHandler(createCodexWorker());
 * // run_repo_command calls handler.run(invocation, { signal, emit }) for `codex exec "Add a test"`
 */
export function createCodexCommandHandler(
  worker: Worker,
  options: CodexCommandHandlerOptions = {},
): CommandHandler {
  const name = options.name ?? 'codex';
  return {
    name,
    matches: (invocation) =>
      invocation.argv[0] === 'codex' && (invocation.argv[1] === 'exec' || invocation.argv[1] === 'e'),
    async run(invocation, { signal, emit }): Promise<RunRepoCommandResult> {
      const started = Date.now();
      const refused = (reason: string): RunRepoCommandResult => ({
        status: 'failed',
        exitCode: null,
        stdout: '',
        stderr: reason,
        truncated: false,
        durationMs: Date.now() - started,
        reason,
        handler: name,
      });
      let parsed: ReturnType<typeof parseCodexExecArgs>;
      try {
        parsed = parseCodexExecArgs(invocation.argv);
      } catch (error) {
        return refused(errorMessage(error));
      }
      if (
        parsed.cd !== undefined &&
        !(await sameDirectory(resolve(invocation.cwd, parsed.cd), invocation.cwd))
      ) {
        return refused(
          `codex exec: -C ${JSON.stringify(parsed.cd)} is not this worktree. Codex runs in the worktree the ` +
            `command was sent to (${invocation.worktree}); drop -C or send the command to the other worktree.`,
        );
      }
      const request: WorkerRequest = {
        worktree: invocation.worktree,
        cwd: invocation.cwd,
        prompt: parsed.prompt,
      };
      if (parsed.sandbox !== undefined && parsed.sandbox !== 'workspace-write')
        request.sandbox = parsed.sandbox;
      if (parsed.model !== undefined) request.model = parsed.model;
      if (parsed.resumeThreadId !== undefined) request.resumeThreadId = parsed.resumeThreadId;
      if (options.timeoutMs !== undefined) request.timeoutMs = options.timeoutMs;
      if (invocation.context.taskId !== undefined) request.taskId = invocation.context.taskId;
      const ports = await readWorktreePorts(invocation.context.baseDir, invocation.worktree);
      if (ports !== undefined) request.env = ports.env;
      let result: WorkerResult;
      try {
        result = await worker.run(request, { signal, onEvent: (event) => emit(event) });
      } catch (error) {
        return refused(errorMessage(error));
      }
      const summary = formatWorkerSummary(name, result, { ...options, cwd: invocation.cwd });
      const outcome: RunRepoCommandResult = {
        status: statusOf[result.status],
        exitCode: result.exitCode,
        stdout: summary,
        stderr: '',
        truncated: false,
        durationMs: Date.now() - started,
        handler: name,
        details: result,
      };
      if (result.status !== 'completed') outcome.reason = result.errors.at(-1) ?? `codex ${result.status}`;
      return outcome;
    },
  };
}
