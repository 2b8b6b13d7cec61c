import type { TaskRunner } from '@codex-orchestrator/core';
import type { ResolvedCliIo } from '../cli-io.js';
import { toTerminalLine } from '../output/terminal-text.js';
import type { RunSettings } from '../run-settings.js';
import { toOrchestratorOptions } from './orchestrator-options.js';

type Core = typeof import('@codex-orchestrator/core');

/**
 * Adapts `runOrchestrator` to the dispatcher's `TaskRunner`: each task runs in its own base dir
 * (the task's, else the CLI's), its events go to the dispatcher's sinks, merge approvals to a sink
 * that can give them, and an interrupted earlier attempt is resumed (branches already in main are
 * not merged again).
 */
export function createOrchestratorTaskRunner(input: {
  core: Core;
  settings: RunSettings;
  baseDir: string;
  io: ResolvedCliIo;
}): TaskRunner {
  const { core, settings } = input;
  return async (task, { signal, emit, approveMerge, resume }) => {
    const options = toOrchestratorOptions(settings, task.baseDir ?? input.baseDir, signal, {
      taskId: task.id,
      resume,
      ...(approveMerge === undefined ? {} : { approveMerge }),
      trace: (line) => input.io.stderr.write(`${toTerminalLine(line, 400)}\n`),
    });
    const run = core.runOrchestrator(task.text, options);
    run.events.onAny((event) => emit(event));
    const report = await run.report;
    return { outcome: report.status, reportMarkdown: core.renderReportMarkdown(report), report };
  };
}
