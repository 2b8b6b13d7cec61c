/**
 * The bridge between the dispatcher and the orchestrator: a `TaskRunner` that runs each task with
 * `runOrchestrator`, so an embedder does not write the same adapter again.
 */

import type { TaskRunner } from '../dispatcher/task-runner.js';
import type { Task } from '../types.js';
import type { RunOrchestratorOptions } from './orchestrator-options.js';
import { renderReportMarkdown } from './render-report-markdown.js';
import { runOrchestrator } from './run-orchestrator.js';

/** Options for every task, or a function that computes them per task (e.g. a base dir per chat). */
export type OrchestratorTaskRunnerOptions =
  | Omit<RunOrchestratorOptions, 'signal' | 'taskId' | 'resume' | 'events'>
  | ((task: Task) => Omit<RunOrchestratorOptions, 'signal' | 'taskId' | 'resume' | 'events'>);

/**
 * Creates a `TaskRunner` that runs each task with `runOrchestrator`: the task's own `baseDir`
 * wins over the options' one, events go to the dispatcher's sinks, merge approvals to a sink that
 * can give them (unless the options bring their own `approveMerge`), and a task interrupted by a
 * crash is resumed (branches already in main are not merged again).
 *
 * @example
 * const dispatcher = createTaskDispatcher({
 *   sources: [createEnvTaskSource()],
 *   sinks: [createConsoleTaskSink()],
 *   store: './dispatch-journal.jsonl',
 *   run: createOrchestratorTaskRunner({ baseDir: '/srv/project', smokeTest: 'npm test' }),
 * });
 */
export function createOrchestratorTaskRunner(options: OrchestratorTaskRunnerOptions = {}): TaskRunner {
  return async (task, { signal, emit, approveMerge, resume }) => {
    const base = typeof options === 'function' ? options(task) : options;
    const merged: RunOrchestratorOptions = {
      ...base,
      taskId: task.id,
      signal,
      resume,
      ...(task.baseDir === undefined ? {} : { baseDir: task.baseDir }),
      ...(base.approveMerge === undefined && approveMerge !== undefined ? { approveMerge } : {}),
    };
    const run = runOrchestrator(task.text, merged);
    run.events.onAny((event) => emit(event));
    const report = await run.report;
    return { outcome: report.status, reportMarkdown: renderReportMarkdown(report), report };
  };
}
