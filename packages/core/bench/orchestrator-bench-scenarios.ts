/** Scenarios shared by the orchestrator benchmarks: N independent subtasks, each one codex run. */
import type { OrchestratorEvent } from '../src/events.js';
import type { OrchestratorReport } from '../src/orchestrator/report-schema.js';
import { runOrchestrator } from '../src/orchestrator/run-orchestrator.js';
import {
  codexWrites,
  createOrchestratorScenario,
  finalSummary,
  orchestratorTurn,
  repoCommand,
  reviewVerdict,
} from '../src/testing/orchestrator-scenario.js';
import type { RecordedModelRequest } from '../src/testing/scripted-model-request.js';

process.env.OPENAI_AGENTS_DISABLE_TRACING = '1';

/** Options of one benchmark run. */
export interface SubtaskRunOptions {
  subtasks: number;
  /** Delay of each codex run's first model turn (a fixed-length worker turn). */
  codexDelayMs?: number;
  maxParallel: number;
  review?: boolean;
  smokeTest?: string;
  /** Test command codex and the orchestrator run in each worktree (default `sh test.sh`). */
  testCommand?: string;
  /** Extra files of the initial commit. */
  files?: Record<string, string>;
}

/** What one run produced. */
export interface SubtaskRunResult {
  wallMs: number;
  report: OrchestratorReport;
  events: OrchestratorEvent[];
  orchestratorRequests: RecordedModelRequest[];
}

const names = ['alpha', 'beta', 'gamma', 'delta', 'epsilon', 'zeta', 'eta', 'theta'];

/** Plans, runs codex in parallel, tests, merges and summarises `subtasks` independent subtasks. */
export async function runSubtasks(options: SubtaskRunOptions): Promise<SubtaskRunResult> {
  const scenario = await createOrchestratorScenario({
    files: { 'README.md': '# bench\n', 'test.sh': 'echo "all tests passed"\n', ...options.files },
  });
  try {
    const slugs = names.slice(0, options.subtasks);
    const test = options.testCommand ?? 'sh test.sh';
    scenario.orchestrator([
      orchestratorTurn(...slugs.map((slug) => repoCommand('main', `git worktree add ../task-${slug} main`))),
      orchestratorTurn(
        ...slugs.map((slug) =>
          repoCommand(
            `task-${slug}`,
            `codex exec --sandbox workspace-write "SUBTASK-${slug.toUpperCase()}: add ${slug}.txt, run ${test}, commit."`,
          ),
        ),
      ),
      orchestratorTurn(...slugs.map((slug) => repoCommand(`task-${slug}`, test))),
      orchestratorTurn(...slugs.map((slug) => repoCommand('main', `git merge --no-ff task-${slug}`))),
      orchestratorTurn(finalSummary(`Merged ${slugs.join(', ')}.`)),
    ]);
    for (const slug of slugs) {
      const turns = codexWrites({ [`${slug}.txt`]: `${slug}\n` }, { test, commit: `feat: ${slug}` });
      if (options.codexDelayMs !== undefined)
        (turns[0] as { delayMs?: number }).delayMs = options.codexDelayMs;
      scenario.codex(`SUBTASK-${slug.toUpperCase()}:`, turns);
    }
    if (options.review) scenario.reviewer(() => reviewVerdict('approve'));
    const started = performance.now();
    const run = runOrchestrator(`Add ${slugs.length} independent modules.`, {
      ...scenario.options,
      maxParallel: options.maxParallel,
      review: options.review ? 'agent' : 'off',
      ...(options.smokeTest === undefined ? {} : { smokeTest: options.smokeTest }),
    });
    const events: OrchestratorEvent[] = [];
    run.events.onAny((event) => void events.push(event));
    const report = await run.report;
    const wallMs = performance.now() - started;
    if (
      report.status !== 'completed' ||
      report.merges.filter((merge) => merge.outcome === 'merged').length !== slugs.length
    ) {
      throw new Error(
        `benchmark run did not complete: ${report.status} ${report.error ?? ''} ${JSON.stringify(report.merges)}`,
      );
    }
    return { wallMs, report, events, orchestratorRequests: scenario.orchestratorRequests() };
  } finally {
    await scenario.close();
  }
}

/** Total length of the union of [start, end] intervals (overlapping codex runs count once). */
export function unionMs(intervals: Array<[number, number]>): number {
  const sorted = [...intervals].sort((a, b) => a[0] - b[0]);
  let total = 0;
  let current: [number, number] | undefined;
  for (const [start, end] of sorted) {
    if (!current || start > current[1]) {
      if (current) total += current[1] - current[0];
      current = [start, end];
    } else current[1] = Math.max(current[1], end);
  }
  if (current) total += current[1] - current[0];
  return total;
}

/** Worker run intervals (ms since epoch) from worker-start / worker-end events. */
export function workerIntervals(events: OrchestratorEvent[]): Array<[number, number]> {
  const starts = new Map<string, number>();
  const intervals: Array<[number, number]> = [];
  for (const event of events) {
    if (event.type === 'worker-start') starts.set(event.workerRunId, Date.parse(event.time));
    if (event.type === 'worker-end') {
      const start = starts.get(event.workerRunId);
      if (start !== undefined) intervals.push([start, Date.parse(event.time)]);
    }
  }
  return intervals;
}
