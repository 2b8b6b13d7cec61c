import { join, resolve } from 'node:path';
import { createSandbox, type Sandbox } from '../sandbox/create-sandbox.js';
import type { RunOrchestratorOptions } from './orchestrator-options.js';

/** The warning a run with `sandbox: 'off'` emits (as an `error` event with code `sandbox-off`). */
export const unconfinedWarning =
  "The sandbox is off (sandbox: 'off' / --unsafe-no-sandbox): tests, package scripts, git hooks, the smoke " +
  'test and the setup hook run with your full rights, and codex can read your secret files.';

/** The absolute path of a run's audit log (default `run_repo_command.log` in the current directory). */
export function runAuditLogPath(options: Pick<RunOrchestratorOptions, 'auditLogPath'>): string {
  return resolve(options.auditLogPath ?? join(process.cwd(), 'run_repo_command.log'));
}

/**
 * Creates the sandbox of a run and checks that it starts: rejects with `SandboxUnavailableError`
 * (one line: why, and the opt-out) before anything runs. The run's audit log is hidden from it.
 */
export async function startRunSandbox(options: RunOrchestratorOptions): Promise<Sandbox> {
  const auditLog = runAuditLogPath(options);
  const sandbox = createSandbox(options.sandbox ?? {}, { hiddenPaths: [auditLog] });
  await sandbox.check();
  return sandbox;
}
