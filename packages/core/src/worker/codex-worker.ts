/**
 * The Codex CLI as a `Worker`: runs `codex exec --json` in one worktree and turns its event
 * stream into typed events and a `WorkerResult`.
 */
import { randomUUID } from 'node:crypto';
import { createSandbox, isSandbox, type Sandbox } from '../sandbox/create-sandbox.js';
import type { SandboxSetting } from '../sandbox/sandbox-options.js';
import type { SandboxMode, Worker, WorkerRequest, WorkerResult } from '../types.js';
import type { CodexConfigValue } from './codex-argv.js';
import type { CodexConnectionWatchSettings } from './codex-connection-watch.js';
import { CodexSandboxError } from './codex-errors.js';
import { createCodexEventParser } from './codex-event-parser.js';
import { buildWorkerResult } from './codex-worker-result.js';
import { type CodexBinary, resolveCodexBinary } from './resolve-codex-binary.js';
import { runCodexProcess } from './run-codex-process.js';

/** Options of `createCodexWorker`. */
export interface CodexWorkerOptions {
  /** Path of the `codex` executable (or of `@openai/codex/bin/codex.js`). Default: the package, then PATH. */
  codexPath?: string;
  /**
   * Sandbox for every run, and the most permissive one a request may ask for. Default
   * `workspace-write`. Use `danger-full-access` only inside a container that isolates the run
   * (where user namespaces are not allowed, codex's own sandbox fails every command; the worker
   * then reports `sandbox-failure`).
   */
  sandbox?: SandboxMode;
  /** Model slug passed as `--model` unless the request names one. Default: codex's config. */
  model?: string;
  /** `CODEX_HOME` for codex (config.toml, auth, sessions). Default: the user's (`~/.codex`). */
  codexHome?: string;
  /** `-c key=value` overrides, e.g. `{ model_provider: 'local' }`. Values are written as TOML. */
  configOverrides?: Record<string, CodexConfigValue>;
  /**
   * Extra environment variables for codex, added to an allowlist of `process.env` (PATH, HOME,
   * locale, proxies, `CODEX_HOME`, the OpenAI key variables and the `env_key` of a provider in
   * `configOverrides`); push-blocking is added. The commands codex runs see no key, secret or token.
   */
  env?: NodeJS.ProcessEnv;
  /**
   * The orchestrator's sandbox: codex runs in a mount namespace where the secret paths are
   * invisible (to codex and its commands), in a PID namespace that dies with the orchestrator.
   * Default `{}` (on); `'off'` is the explicit opt-out.
   */
  confinement?: Sandbox | SandboxSetting;
  /** Wall-clock limit per run unless the request sets one. Default 30 minutes. */
  timeoutMs?: number;
  /**
   * Fail a run early, with the endpoint named, when codex cannot reach its model: after 3 of its
   * connection notices in a row, or when codex is silent for 20 s and a probe of the endpoint gets
   * no HTTP answer within 10 s (no probe when a proxy variable is set). `false` waits for the
   * timeout instead.
   */
  connectionWatch?: CodexConnectionWatchSettings | false;
  /** Time between SIGTERM and SIGKILL when a run is stopped. Default 1500 ms. */
  killGraceMs?: number;
  /**
   * Under `workspace-write`, add the worktree's git dirs as writable roots so codex can commit
   * (default true). They are outside a linked worktree, and codex mounts them read-only otherwise.
   */
  addGitDirs?: boolean;
  /** Cap of the command output carried by `worker-command-end` events (default 4000 characters). */
  maxEventOutputChars?: number;
}

const sandboxRank: Record<SandboxMode, number> = {
  'read-only': 0,
  'workspace-write': 1,
  'danger-full-access': 2,
};

/**
 * Creates the Codex worker. The binary is resolved on the first run (a missing binary rejects
 * that run with `CodexNotFoundError`); call `resolveCodexBinary()` to check earlier.
 *
 * @example
 * const worker = createCodexWorker({ sandbox: 'workspace-write' });
 * const result = await worker.run(
 *   { worktree: 'task-search', cwd: '/repos/task-search', prompt: 'Add a search endpoint. Commit when done.' },
 *   { onEvent: (event) => console.log(event.type) },
 * );
 */
export function createCodexWorker(options: CodexWorkerOptions = {}): Worker {
  const allowedSandbox = options.sandbox ?? 'workspace-write';
  const confinement = isSandbox(options.confinement)
    ? options.confinement
    : createSandbox(options.confinement ?? {});
  let binary: CodexBinary | undefined;

  return {
    name: 'codex',
    async run(request: WorkerRequest, runOptions = {}): Promise<WorkerResult> {
      binary ??= resolveCodexBinary(options.codexPath === undefined ? {} : { codexPath: options.codexPath });
      const sandbox = request.sandbox ?? allowedSandbox;
      if (sandboxRank[sandbox] > sandboxRank[allowedSandbox]) {
        throw new CodexSandboxError(
          `The request asks for sandbox "${sandbox}" but this worker allows at most "${allowedSandbox}". ` +
            `Create the worker with createCodexWorker({ sandbox: '${sandbox}' }) to allow it.`,
        );
      }
      const workerRunId = `codex-${randomUUID()}`;
      const parser = createCodexEventParser({
        workerRunId,
        worktree: request.worktree,
        ...(request.taskId === undefined ? {} : { taskId: request.taskId }),
        ...(runOptions.onEvent === undefined ? {} : { onEvent: runOptions.onEvent }),
        ...(options.maxEventOutputChars === undefined
          ? {}
          : { maxEventOutputChars: options.maxEventOutputChars }),
      });
      parser.emit({
        type: 'worker-start',
        workerRunId,
        worker: 'codex',
        worktree: request.worktree,
        prompt: request.prompt,
      });
      const started = Date.now();
      const outcome = await runCodexProcess(
        binary,
        request,
        sandbox,
        parser,
        { ...options, confinement },
        runOptions.signal,
      );
      const result = buildWorkerResult(parser.state(), outcome, Date.now() - started);
      parser.emit({ type: 'worker-end', workerRunId, worktree: request.worktree, result });
      return result;
    },
  };
}
