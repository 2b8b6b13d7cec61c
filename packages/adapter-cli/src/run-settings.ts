import { resolve } from 'node:path';
import type { ConfigFile } from './config-file.js';
import type { CliFlags } from './parse-arguments.js';

/** Everything a run needs, merged from flags, the config file and env vars (in that order). */
export interface RunSettings {
  baseDir?: string;
  model?: string;
  apiKey?: string;
  baseURL?: string;
  maxParallel?: number;
  review?: 'off' | 'agent' | 'codex';
  budget?: { tokens?: number; costUsd?: number };
  smokeTest?: string;
  /** Policy config file (absolute). */
  policyPath?: string;
  /** Command run in each new worktree after the bootstrap. */
  worktreeSetup?: string;
  /** The orchestrator's own preparation of new worktrees. */
  bootstrap: { include?: string[]; reuseDependencies: boolean; portsPerWorktree: number };
  /** How codex reaches its model: set apart, else the orchestrator's endpoint and model. */
  codex: {
    model?: string;
    baseURL?: string;
    ownConfig: boolean;
    home?: string;
    /** The CLI's environment when it is not the process's (runCli in-process): codex gets it too. */
    env?: Record<string, string>;
  };
  /** Skip the start-up probes of codex and the model endpoint. */
  skipPreflight: boolean;
  /** Run worktree code unconfined (`sandbox: 'off'`). */
  unsafeNoSandbox: boolean;
  /** Path of the codex executable (default: the installed `@openai/codex`, then PATH). */
  codexPath?: string;
  approve: boolean;
  dryRun: boolean;
  trace: boolean;
  json: boolean;
  dispatch: { inbox?: string; store?: string; concurrency?: number };
}

/** True for `1`, `true`, `yes`, `on` (any case), the usual spellings of a switched-on env flag. */
export function isEnvFlagOn(value: string | undefined): boolean {
  return value !== undefined && /^(1|true|yes|on)$/i.test(value.trim());
}

function nonEmptyEnv(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}

/**
 * Merges the sources of settings. Values: flag, then config file, then env var. Switches
 * (`dryRun`, `trace`, `approve`) are on when any source turns them on, so `ORCHESTRATOR_DRY_RUN=1`
 * can never be silently overridden into a real run. The API key comes from `OPENAI_API_KEY` only:
 * secrets do not belong in config files or shell history.
 *
 * @example
 * resolveRunSettings({ flags: { maxParallel: 2 }, config: {}, env: process.env, cwd: process.cwd() });
 */
export function resolveRunSettings(input: {
  flags: CliFlags;
  config: ConfigFile;
  env: Record<string, string | undefined>;
  cwd: string;
}): RunSettings {
  const { flags, config, env, cwd } = input;
  const baseDir = flags.baseDir ?? config.baseDir ?? nonEmptyEnv(env.ORCHESTRATOR_BASE_DIR);
  const budget = {
    ...config.budget,
    ...(flags.budgetTokens === undefined ? {} : { tokens: flags.budgetTokens }),
    ...(flags.budgetUsd === undefined ? {} : { costUsd: flags.budgetUsd }),
  };
  const settings: RunSettings = {
    approve: flags.approve === true || config.approve === true,
    dryRun: flags.dryRun === true || config.dryRun === true || isEnvFlagOn(env.ORCHESTRATOR_DRY_RUN),
    trace: flags.trace === true || config.trace === true || isEnvFlagOn(env.ORCHESTRATOR_TRACE),
    json: flags.json === true,
    dispatch: {},
    bootstrap: {
      reuseDependencies: flags.reuseDependencies ?? config.reuseDependencies ?? true,
      portsPerWorktree: flags.portsPerWorktree ?? config.portsPerWorktree ?? 10,
    },
    codex: { ownConfig: config.codex?.ownConfig === true },
    skipPreflight: flags.skipPreflight === true || config.skipPreflight === true,
    unsafeNoSandbox: flags.unsafeNoSandbox === true || config.unsafeNoSandbox === true,
  };
  const include = flags.copy ?? config.worktreeInclude;
  if (include !== undefined) settings.bootstrap.include = include;
  const policyPath = flags.policy ?? config.policy;
  if (policyPath !== undefined) settings.policyPath = resolve(cwd, policyPath);
  const worktreeSetup = flags.setup ?? config.worktreeSetup;
  if (worktreeSetup !== undefined) settings.worktreeSetup = worktreeSetup;
  const codexModel = flags.codexModel ?? config.codex?.model;
  if (codexModel !== undefined) settings.codex.model = codexModel;
  if (config.codex?.baseURL !== undefined) settings.codex.baseURL = config.codex.baseURL;
  // Passed on explicitly: codex must read the CODEX_HOME of the CLI's environment, which is not
  // always the process's (runCli in-process, or a dispatcher's env).
  const codexHome = nonEmptyEnv(env.CODEX_HOME);
  if (codexHome !== undefined) settings.codex.home = resolve(cwd, codexHome);
  if (env !== process.env) {
    settings.codex.env = Object.fromEntries(
      Object.entries(env).filter((entry): entry is [string, string] => entry[1] !== undefined),
    );
  }
  if (baseDir !== undefined) settings.baseDir = resolve(cwd, baseDir);
  const model = flags.model ?? config.model;
  if (model !== undefined) settings.model = model;
  const apiKey = nonEmptyEnv(env.OPENAI_API_KEY);
  if (apiKey !== undefined) settings.apiKey = apiKey;
  const baseURL = flags.baseURL ?? config.baseURL ?? nonEmptyEnv(env.OPENAI_BASE_URL);
  if (baseURL !== undefined) settings.baseURL = baseURL;
  const maxParallel = flags.maxParallel ?? config.maxParallel;
  if (maxParallel !== undefined) settings.maxParallel = maxParallel;
  const review = flags.review ?? config.review;
  if (review !== undefined) settings.review = review;
  if (Object.keys(budget).length > 0) settings.budget = budget;
  const smokeTest = flags.smokeTest ?? config.smokeTest;
  if (smokeTest !== undefined) settings.smokeTest = smokeTest;
  if (config.codexPath !== undefined) settings.codexPath = resolve(cwd, config.codexPath);
  const inbox = flags.inbox ?? config.dispatch?.inbox;
  if (inbox !== undefined) settings.dispatch.inbox = resolve(cwd, inbox);
  const store = flags.store ?? config.dispatch?.store;
  if (store !== undefined) settings.dispatch.store = resolve(cwd, store);
  const concurrency = flags.concurrency ?? config.dispatch?.concurrency;
  if (concurrency !== undefined) settings.dispatch.concurrency = concurrency;
  return settings;
}
