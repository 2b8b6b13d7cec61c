/**
 * Options of `runOrchestrator` and their validation. Everything that can be checked before the
 * run starts is checked here, synchronously, with a `ConfigurationError` that names the option,
 * the offending value and the fix.
 */
import { realpathSync, statSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { createPolicy, type Policy } from '@codex-orchestrator/policy';
import type { ModelProvider } from '@openai/agents';
import { ConfigurationError, type ConfigurationErrorCode } from '../errors.js';
import type { EventStream } from '../events/event-stream.js';
import {
  type ModelRequestOptions,
  type ResolvedModelRequestOptions,
  resolveModelRequestOptions,
} from '../model/model-request-options.js';
import { runGitSync } from '../process/run-git.js';
import type { SandboxSetting } from '../sandbox/sandbox-options.js';
import type { MergeApprover, SandboxMode, Worker } from '../types.js';
import type { CodexConfigValue } from '../worker/codex-argv.js';
import type { WorktreeBootstrapOptions } from '../worktree/bootstrap-worktree.js';
import { defaultPriceTable, type PriceTable } from './price-table.js';
import type { BudgetOptions } from './usage-meter.js';

/** Review before each merge: off, a review agent, or codex in the branch's worktree. */
export type ReviewMode = 'off' | 'agent' | 'codex';

/** Codex worker settings (used unless `worker` is given). */
export interface CodexOptions {
  /** Path of the codex executable (default: the installed package, then PATH). */
  path?: string;
  /** Sandbox (default `workspace-write`). */
  sandbox?: SandboxMode;
  /** `CODEX_HOME` (config.toml, auth); default the user's. */
  codexHome?: string;
  /** `-c key=value` overrides (e.g. a model provider). */
  configOverrides?: Record<string, CodexConfigValue>;
  /** Model slug for codex (default: codex's config). Also prices worker tokens. */
  model?: string;
  /** Extra environment for codex. */
  env?: NodeJS.ProcessEnv;
  /** Wall-clock limit of one codex run (default 30 minutes). */
  timeoutMs?: number;
}

/** Options of `runOrchestrator`. Only `baseDir` (or `ORCHESTRATOR_BASE_DIR`) and a model endpoint are required. */
export interface RunOrchestratorOptions {
  /** Folder holding the worktrees; `<baseDir>/main` must be a git worktree. Default `ORCHESTRATOR_BASE_DIR`. */
  baseDir?: string;
  /** Directory name of the main worktree (default `main`). */
  mainWorktree?: string;
  /** Id written to events, the audit log and the report (default: the run id). */
  taskId?: string;
  /** Aborts the run (same as `run.cancel()`). */
  signal?: AbortSignal;
  /** Orchestrator model (default `gpt-5`). */
  model?: string;
  /** Default `OPENAI_API_KEY`. Not needed with `baseURL` pointing at an endpoint without keys, or with `modelProvider`. */
  apiKey?: string;
  /** OpenAI-compatible Responses API base URL. Default `OPENAI_BASE_URL`, else OpenAI. */
  baseURL?: string;
  /**
   * Any Agents SDK model provider, instead of the per-run OpenAI client built from apiKey/baseURL.
   * It is wrapped with the timeouts and retries of `modelRequests`; give its client
   * `maxRetries: 0` so retries are not multiplied:
   * `new OpenAIProvider({ openAIClient: new OpenAI({ baseURL, apiKey, maxRetries: 0 }) })`.
   */
  modelProvider?: ModelProvider;
  /**
   * Timeouts and retries of the requests to the model endpoint (orchestrator and reviewer): a
   * deadline per attempt (10 min), a stream idle timeout (2 min), 4 retries with backoff for
   * dropped connections, cut or malformed bodies, timeouts and HTTP 408/409/429/5xx, and
   * `retry-after` honoured up to 2 min (longer fails at once, saying so).
   */
  modelRequests?: ModelRequestOptions;
  /** Most orchestrator turns (default 80). */
  maxTurns?: number;
  /** Most codex runs at once; the others wait in a queue (default 2). */
  maxParallel?: number;
  /** Review before each merge (default `agent`). */
  review?: ReviewMode;
  /** Model of the review agent (default: `model`). */
  reviewModel?: string;
  /** Asked before each merge; resolve `false` to keep the branch unmerged. */
  approveMerge?: MergeApprover;
  /** Command run in main after each merge (e.g. `npm test`); failure puts main back. */
  smokeTest?: string;
  /** Limit of the smoke test (default 10 minutes). */
  smokeTestTimeoutMs?: number;
  /** Token and/or cost caps. */
  budget?: BudgetOptions;
  /** Prices per model, merged over `defaultPriceTable` (estimates). */
  prices?: PriceTable;
  /** Command policy (default `createPolicy()` of `@codex-orchestrator/policy`). */
  policy?: Policy;
  /** The coding worker (default: the Codex CLI with `codex` options). */
  worker?: Worker;
  codex?: CodexOptions;
  /** Command run in each new worktree (with ROOT and WORKTREE set), e.g. `npm ci`. */
  worktreeSetup?: string;
  /**
   * Prepare each new worktree before `worktreeSetup`, without the model: copy main's gitignored
   * files listed in `.worktreeinclude`, reuse main's node_modules, give it a port range.
   * Off unless given (`{}` turns it on with the defaults); see `bootstrapWorktree`.
   */
  worktreeBootstrap?: WorktreeBootstrapOptions;
  /** Prune stale worktrees (directory gone, or merged and clean) at start (default true). */
  pruneWorktrees?: boolean;
  /** Check and log commands without running them. Default `ORCHESTRATOR_DRY_RUN=1`. */
  dryRun?: boolean;
  /** One trace line per command on stderr (or to a function). Default `ORCHESTRATOR_TRACE=1`. */
  trace?: boolean | ((line: string) => void);
  /** Audit log path (default `run_repo_command.log` in the current directory). */
  auditLogPath?: string;
  /**
   * Confinement of every process started in a worktree: run_repo_command executions (git
   * included), the smoke test, the worktree setup hook, and codex's access to secret paths.
   * Default `{}`: bubblewrap, network off, secrets hidden (see `SandboxOptions`). When it cannot
   * start, the run refuses to start (`SandboxUnavailableError`). `'off'` is the explicit opt-out
   * (CLI `--unsafe-no-sandbox`); the report, the events and every audit line then say so.
   */
  sandbox?: SandboxSetting;
  /** Limit of one non-codex command (default 10 minutes). */
  commandTimeoutMs?: number;
  /** Cap of each stream of a command result given to the model, head and tail kept (default 8 KiB). */
  maxOutputBytes?: number;
  /** This run resumes an interrupted one: branches already in main are not merged again. */
  resume?: boolean;
  /** Send Agents SDK traces to the OpenAI traces endpoint (default false: nothing is uploaded). */
  tracing?: boolean;
  /** Text appended to the orchestrator's instructions (house rules of the target project). */
  extraInstructions?: string;
  /** Use this event stream (e.g. a dispatcher's) instead of a new one; it is not closed at the end. */
  events?: EventStream;
}

/** Validated options with defaults applied. */
export interface ResolvedOrchestratorOptions {
  task: string;
  baseDir: string;
  mainWorktree: string;
  mainPath: string;
  model: string;
  apiKey: string | undefined;
  baseURL: string | undefined;
  maxTurns: number;
  maxParallel: number;
  review: ReviewMode;
  reviewModel: string;
  prices: PriceTable;
  workerModel: string;
  pruneWorktrees: boolean;
  tracing: boolean;
  modelRequests: ResolvedModelRequestOptions;
  // What the wiring (`assembleOrchestrator`) reads: every key present, `undefined` when the option
  // was not given and has no default, so the wiring reads this one object, never the raw options.
  modelProvider: ModelProvider | undefined;
  worker: Worker | undefined;
  codex: CodexOptions;
  approveMerge: MergeApprover | undefined;
  smokeTest: string | undefined;
  smokeTestTimeoutMs: number | undefined;
  policy: Policy;
  auditLogPath: string | undefined;
  dryRun: boolean | undefined;
  trace: boolean | ((line: string) => void) | undefined;
  commandTimeoutMs: number | undefined;
  /** Cap of each stream of a command result (default 8 KiB: every byte is re-sent on later turns). */
  maxOutputBytes: number;
  extraInstructions: string | undefined;
}

const maxTaskLength = 100_000;

function fail(message: string, code: ConfigurationErrorCode): never {
  throw new ConfigurationError(message, { code });
}

function positiveInteger(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 1)
    fail(`${name} must be a positive integer, got ${String(value)}`, 'invalid-option');
  return value;
}

/**
 * Validates `task` and `options` (reading `ORCHESTRATOR_BASE_DIR`, `OPENAI_API_KEY` and
 * `OPENAI_BASE_URL` from `env`) and applies defaults. Throws `ConfigurationError`.
 */
export function resolveOrchestratorOptions(
  task: unknown,
  options: RunOrchestratorOptions,
  env: NodeJS.ProcessEnv = process.env,
): ResolvedOrchestratorOptions {
  if (typeof task !== 'string' || task.trim() === '')
    fail('The task is empty: pass the big task as a non-empty string.', 'task-empty');
  if (task.length > maxTaskLength)
    fail(
      `The task is ${task.length} characters long; at most ${maxTaskLength} are accepted.`,
      'task-too-long',
    );

  const baseDirValue = options.baseDir ?? env.ORCHESTRATOR_BASE_DIR;
  if (!baseDirValue) {
    fail(
      'No baseDir: pass { baseDir } or set ORCHESTRATOR_BASE_DIR to the folder that holds the "main" worktree and the task worktrees.',
      'base-dir-missing',
    );
  }
  if (!isAbsolute(baseDirValue))
    fail(
      `baseDir ${JSON.stringify(baseDirValue)} is not an absolute path: give the full path of the folder that holds the worktrees.`,
      'base-dir-invalid',
    );
  if (!statSync(baseDirValue, { throwIfNoEntry: false })?.isDirectory()) {
    fail(`baseDir ${JSON.stringify(baseDirValue)} does not exist or is not a directory.`, 'base-dir-missing');
  }
  const baseDir = realpathSync(baseDirValue);
  const mainWorktree = options.mainWorktree ?? 'main';
  if (!/^[A-Za-z0-9._-]+$/.test(mainWorktree) || mainWorktree === '.' || mainWorktree === '..') {
    fail(
      `mainWorktree ${JSON.stringify(mainWorktree)} must be a plain directory name such as "main".`,
      'invalid-option',
    );
  }
  const mainPath = join(baseDir, mainWorktree);
  let topLevel: string | undefined;
  try {
    const found = runGitSync(['rev-parse', '--show-toplevel'], { cwd: mainPath });
    topLevel = found.exitCode === 0 ? found.stdout.trim() : undefined;
  } catch {
    topLevel = undefined;
  }
  if (topLevel === undefined || realpathSync(topLevel) !== mainPath) {
    fail(
      `${mainPath} is not a git worktree: baseDir must contain the main worktree of the target repository as "${mainWorktree}" ` +
        `(e.g. git clone <repo> ${mainPath}), next to which task worktrees are created.`,
      'main-worktree-missing',
    );
  }
  let hasCommit = false;
  try {
    hasCommit =
      runGitSync(['rev-parse', '--verify', '--quiet', 'HEAD^{commit}'], { cwd: mainPath }).exitCode === 0;
  } catch {
    hasCommit = false;
  }
  if (!hasCommit) {
    fail(
      `${mainPath} has no commit yet: make an initial commit on main before running the orchestrator.`,
      'main-worktree-empty',
    );
  }

  const apiKey = options.apiKey ?? (env.OPENAI_API_KEY || undefined);
  const baseURL = options.baseURL ?? (env.OPENAI_BASE_URL || undefined);
  if (!options.modelProvider && apiKey === undefined && baseURL === undefined) {
    fail(
      'OPENAI_API_KEY is not set: export OPENAI_API_KEY=<your key> (or pass { apiKey }), or point { baseURL } / OPENAI_BASE_URL at an OpenAI-compatible Responses endpoint.',
      'api-key-missing',
    );
  }
  if (baseURL !== undefined) {
    try {
      new URL(baseURL);
    } catch {
      fail(
        `baseURL ${JSON.stringify(baseURL)} is not a URL (expected e.g. http://127.0.0.1:8080/v1).`,
        'invalid-option',
      );
    }
  }
  const model = options.model ?? 'gpt-5';
  const review = options.review ?? 'agent';
  if (!['off', 'agent', 'codex'].includes(review))
    fail(`review must be "off", "agent" or "codex", got ${JSON.stringify(review)}`, 'invalid-option');
  const budget = options.budget;
  if (budget) {
    if (budget.tokens !== undefined && !(Number.isFinite(budget.tokens) && budget.tokens > 0))
      fail(`budget.tokens must be a positive number, got ${String(budget.tokens)}`, 'invalid-option');
    if (budget.costUsd !== undefined && !(Number.isFinite(budget.costUsd) && budget.costUsd > 0))
      fail(
        `budget.costUsd must be a positive number of US dollars, got ${String(budget.costUsd)}`,
        'invalid-option',
      );
    if (
      budget.onExceeded !== undefined &&
      budget.onExceeded !== 'finish-running' &&
      budget.onExceeded !== 'cancel-running'
    ) {
      fail(
        `budget.onExceeded must be "finish-running" or "cancel-running", got ${JSON.stringify(budget.onExceeded)}`,
        'invalid-option',
      );
    }
  }
  if (options.smokeTest !== undefined && options.smokeTest.trim() === '')
    fail('smokeTest is an empty command: omit it or give a command such as "npm test".', 'invalid-option');
  const prices = { ...defaultPriceTable, ...options.prices };
  for (const [name, price] of Object.entries(prices)) {
    if (
      ![price.input, price.output, price.cachedInput ?? 0].every(
        (value) => Number.isFinite(value) && value >= 0,
      )
    ) {
      fail(
        `prices[${JSON.stringify(name)}] must have input, output (and cachedInput) as USD per 1M tokens >= 0.`,
        'invalid-option',
      );
    }
  }
  return {
    task,
    baseDir,
    mainWorktree,
    mainPath,
    model,
    apiKey,
    baseURL,
    maxTurns: positiveInteger('maxTurns', options.maxTurns, 80),
    maxParallel: positiveInteger('maxParallel', options.maxParallel, 2),
    review,
    reviewModel: options.reviewModel ?? model,
    prices,
    workerModel: options.codex?.model ?? 'gpt-5-codex',
    pruneWorktrees: options.pruneWorktrees ?? true,
    tracing: options.tracing ?? false,
    modelRequests: resolveModelRequestOptions(options.modelRequests),
    modelProvider: options.modelProvider,
    worker: options.worker,
    codex: options.codex ?? {},
    approveMerge: options.approveMerge,
    smokeTest: options.smokeTest,
    smokeTestTimeoutMs: options.smokeTestTimeoutMs,
    policy: options.policy ?? createPolicy(),
    auditLogPath: options.auditLogPath,
    dryRun: options.dryRun,
    trace: options.trace,
    commandTimeoutMs: options.commandTimeoutMs,
    maxOutputBytes: options.maxOutputBytes ?? 8 * 1024,
    extraInstructions: options.extraInstructions,
  };
}
