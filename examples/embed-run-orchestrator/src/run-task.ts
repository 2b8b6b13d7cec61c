import {
  type OrchestratorEvent,
  type OrchestratorReport,
  type RunOrchestratorOptions,
  renderReportMarkdown,
  runOrchestrator,
} from '@codex-orchestrator/core';

/** What `runTask` hands back to your tooling. */
export interface TaskResult {
  report: OrchestratorReport;
  /** The report as markdown, e.g. for a PR description or a chat message. */
  markdown: string;
  /** Branches merged into main during the run. */
  mergedBranches: string[];
  /** One line per notable event, as printed while the run went on. */
  log: string[];
}

/**
 * Runs one task with `runOrchestrator` and follows it through its event stream: `for await`
 * gets every event in order until the run ends (the stream closes after `run-end`).
 *
 * @example
 * const result = await runTask('Add a /health endpoint with a test', { baseDir: '/srv/shop' });
 * if (result.report.status !== 'completed') process.exitCode = 1;
 */
export async function runTask(
  task: string,
  options: RunOrchestratorOptions & { onLine?: (line: string) => void },
): Promise<TaskResult> {
  const { onLine = (line) => console.log(line), ...orchestratorOptions } = options;
  const run = runOrchestrator(task, orchestratorOptions);
  const mergedBranches: string[] = [];
  const log: string[] = [];

  for await (const event of run.events) {
    if (event.type === 'merge-end' && event.outcome === 'merged') mergedBranches.push(event.branch);
    const line = describe(event);
    if (line !== undefined) {
      log.push(line);
      onLine(line);
    }
  }
  const report = await run.report;
  return { report, markdown: renderReportMarkdown(report), mergedBranches, log };
}

/** A line for the events worth a line; the union is discriminated on `type`, so this is type-safe. */
function describe(event: OrchestratorEvent): string | undefined {
  switch (event.type) {
    case 'run-start':
      return `run ${event.runId} started on main at ${event.startCommit.slice(0, 7)}`;
    case 'worktree-create':
      return `${event.worktree}: worktree on branch ${event.branch}`;
    case 'worker-end':
      return `${event.worktree}: codex ${event.result.status}, ${event.result.filesChanged.length} file(s) changed`;
    case 'command-denied':
      return `${event.worktree}: denied ${event.command} (${event.reason})`;
    case 'merge-end':
      return `main: ${event.branch} ${event.outcome}`;
    case 'run-end':
      return `run ${event.status}; main at ${event.mainCommit.slice(0, 7)}`;
    default:
      return undefined;
  }
}
