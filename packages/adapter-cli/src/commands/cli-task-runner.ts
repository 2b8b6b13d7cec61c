import type { TaskRunner } from '@codex-orchestrator/core';
import type { Policy } from '@codex-orchestrator/policy';
import type { ResolvedCliIo } from '../cli-io.js';
import { toTerminalLine } from '../output/terminal-text.js';
import type { RunSettings } from '../run-settings.js';
import { toOrchestratorOptions } from './orchestrator-options.js';

type Core = typeof import('@codex-orchestrator/core');

/**
 * The dispatcher's `TaskRunner` for the CLI: core's `createOrchestratorTaskRunner` with the CLI's
 * settings. Each task runs in its own base dir (the task's, else the CLI's) with its audit log
 * there; events, approvals and resumption are handled by core's runner.
 */
export function createCliTaskRunner(input: {
  core: Core;
  settings: RunSettings;
  baseDir: string;
  io: ResolvedCliIo;
  policy?: Policy;
}): TaskRunner {
  const trace = (line: string) => input.io.stderr.write(`${toTerminalLine(line, 400)}\n`);
  return input.core.createOrchestratorTaskRunner((task) =>
    toOrchestratorOptions(input.settings, task.baseDir ?? input.baseDir, undefined, {
      trace,
      ...(input.policy === undefined ? {} : { policy: input.policy }),
    }),
  );
}
