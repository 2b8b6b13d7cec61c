import { join } from 'node:path';
import type { MergeApprover, RunOrchestratorOptions } from '@codex-orchestrator/core';
import type { Policy } from '@codex-orchestrator/policy';
import { planModels } from '../model-plan.js';
import type { RunSettings } from '../run-settings.js';

/** What a command adds to the settings for one run (the demo points codex at its scripted model). */
export interface RunExtras {
  codex?: RunOrchestratorOptions['codex'];
  /** Default `<baseDir>/run_repo_command.log`. */
  auditLogPath?: string;
  approveMerge?: MergeApprover;
  trace?: (line: string) => void;
  taskId?: string;
  resume?: boolean;
  /** The policy loaded from `settings.policyPath`. */
  policy?: Policy;
}

/**
 * Maps CLI settings onto `runOrchestrator` options. Everything is passed explicitly (no env
 * fallback inside core), so what the CLI printed about its settings is what runs. The audit log
 * lives at the orchestrator root, the base dir, whatever the current directory is.
 */
export function toOrchestratorOptions(
  settings: RunSettings,
  baseDir: string,
  signal: AbortSignal | undefined,
  extras: RunExtras = {},
): RunOrchestratorOptions {
  const options: RunOrchestratorOptions = {
    baseDir,
    ...(signal === undefined ? {} : { signal }),
    dryRun: settings.dryRun,
    trace: settings.trace ? (extras.trace ?? true) : false,
    auditLogPath: extras.auditLogPath ?? join(baseDir, 'run_repo_command.log'),
  };
  if (settings.model !== undefined) options.model = settings.model;
  if (settings.apiKey !== undefined) options.apiKey = settings.apiKey;
  if (settings.baseURL !== undefined) options.baseURL = settings.baseURL;
  if (settings.maxParallel !== undefined) options.maxParallel = settings.maxParallel;
  if (settings.review !== undefined) options.review = settings.review;
  if (settings.budget !== undefined) options.budget = settings.budget;
  if (settings.smokeTest !== undefined) options.smokeTest = settings.smokeTest;
  if (settings.worktreeSetup !== undefined) options.worktreeSetup = settings.worktreeSetup;
  options.worktreeBootstrap = {
    reuseDependencies: settings.bootstrap.reuseDependencies,
    portsPerWorktree: settings.bootstrap.portsPerWorktree,
    ...(settings.bootstrap.include === undefined ? {} : { include: settings.bootstrap.include }),
  };
  if (extras.policy !== undefined) options.policy = extras.policy;
  if (settings.unsafeNoSandbox) options.sandbox = 'off';
  const codex = {
    ...planModels(settings).codex,
    ...(settings.codexPath === undefined ? {} : { path: settings.codexPath }),
    ...extras.codex,
  };
  if (Object.keys(codex).length > 0) options.codex = codex;
  if (extras.approveMerge !== undefined) options.approveMerge = extras.approveMerge;
  if (extras.taskId !== undefined) options.taskId = extras.taskId;
  if (extras.resume !== undefined) options.resume = extras.resume;
  return options;
}
