/**
 * Builds the `OrchestratorReport` from the run's events: the event stream is the one source of
 * truth, folded by the same reducer as every other view, so the report says exactly what
 * subscribers saw.
 */
import type { EventStream } from '../events/event-stream.js';
import { reduceRunState } from '../run-state/reduce-run-state.js';
import { createRunState, type RunState } from '../run-state/run-state.js';
import { findModelPrice, type PriceTable } from './price-table.js';
import type { OrchestratorReport } from './report-schema.js';
import { addTokenUsage, emptyTokenUsage } from './token-usage.js';

/** Options of `createReportBuilder`. */
export interface ReportBuilderOptions {
  events: EventStream;
  prices: PriceTable;
  /** Model used to price worker tokens (checked for a price). */
  workerModel: string;
}

/** See `createReportBuilder`. */
export interface ReportBuilder {
  /** The report of what was seen so far (complete after `run-end`). */
  build(): OrchestratorReport;
  dispose(): void;
}

const cut = (text: string, max: number) => (text.length <= max ? text : `${text.slice(0, max - 1)}…`);

/**
 * Starts collecting events of one run: they are folded by `reduceRunState`, and `build` formats
 * the state as the report.
 */
export function createReportBuilder(options: ReportBuilderOptions): ReportBuilder {
  let state = createRunState();
  const unsubscribe = options.events.onAny((event) => {
    state = reduceRunState(state, event);
  });
  return {
    build: () => buildReport(state, options),
    dispose: unsubscribe,
  };
}

/** Formats a run's state as its report (cutting long texts; `workerModel` is checked for a price). */
export function buildReport(
  state: RunState,
  options: Pick<ReportBuilderOptions, 'prices' | 'workerModel'>,
): OrchestratorReport {
  const { start, end } = state;
  const now = new Date().toISOString();
  const orchestrator = state.usage?.orchestrator ?? emptyTokenUsage();
  const workers = state.usage?.workers ?? emptyTokenUsage();
  const startedAt = start?.time ?? now;
  const endedAt = end?.time ?? now;
  const models = new Set<string>([options.workerModel, ...state.models]);
  return {
    version: 1,
    runId: start?.runId ?? end?.runId ?? 'unknown',
    ...(start?.taskId === undefined ? {} : { taskId: start.taskId }),
    task: start?.task ?? '',
    status: end?.status ?? 'failed',
    summary: end?.summary ?? '',
    ...(end?.error === undefined ? (end ? {} : { error: 'the run did not end' }) : { error: end.error }),
    model: start?.model ?? '',
    baseDir: start?.baseDir ?? '',
    ...(start?.sandbox === undefined ? {} : { sandbox: start.sandbox }),
    startedAt,
    endedAt,
    durationMs: end?.durationMs ?? Date.parse(endedAt) - Date.parse(startedAt),
    plan: state.plan.map((step) => ({ ...step })),
    worktrees: state.worktrees.map((worktree) => ({ ...worktree })),
    commands: state.commands.map((command) => ({
      ...command,
      ...(command.durationMs === undefined ? {} : { durationMs: Math.round(command.durationMs) }),
    })),
    codexRuns: state.workerRuns.map((run) => {
      const { result } = run;
      if (result === undefined)
        return {
          workerRunId: run.workerRunId,
          worker: run.worker,
          worktree: run.worktree,
          status: 'running' as const,
          filesChanged: [],
          tokens: emptyTokenUsage(),
          exitCode: null,
          finalMessage: '',
        };
      return {
        workerRunId: run.workerRunId,
        worker: run.worker,
        worktree: run.worktree,
        status: result.status,
        filesChanged: [...new Set(result.filesChanged.map((file) => file.path))],
        tokens: { ...result.usage },
        durationMs: result.durationMs,
        exitCode: result.exitCode,
        ...(result.threadId === undefined ? {} : { threadId: result.threadId }),
        ...(result.errors.length > 0 ? { error: cut(result.errors.at(-1) ?? '', 500) } : {}),
        ...(result.refusals?.length ? { refusals: result.refusals.map((line) => cut(line, 300)) } : {}),
        finalMessage: cut(result.finalMessage.trim(), 600),
      };
    }),
    tests: state.tests.map((test) => ({
      worktree: test.worktree,
      command: test.source === 'worker' ? cut(test.command, 300) : test.command,
      source: test.source,
      exitCode: test.exitCode,
      passed: test.passed,
    })),
    reviews: state.reviews.map((review) => ({ ...review, comments: [...review.comments] })),
    approvals: state.approvals.map((approval) => ({ ...approval })),
    merges: state.merges.map(({ conflictFiles, ...merge }) => ({
      ...merge,
      ...(merge.reason === undefined ? {} : { reason: cut(merge.reason, 1500) }),
      ...(conflictFiles === undefined ? {} : { conflictFiles: [...conflictFiles] }),
    })),
    main: {
      startCommit: start?.startCommit ?? '',
      endCommit: end?.mainCommit ?? '',
      state: end?.mainState ?? 'unsafe',
      repairs: [...(end?.mainRepairs ?? [])],
      restores: state.restores.map((restore) => ({ ...restore })),
    },
    budget: state.budget === undefined ? { exceeded: false } : { exceeded: true, ...state.budget },
    usage: {
      orchestrator,
      workers,
      total: addTokenUsage(addTokenUsage(emptyTokenUsage(), orchestrator), workers),
      costUsd: state.usage?.costUsd ?? 0,
      unpricedModels: [...models].filter((model) => model !== '' && !findModelPrice(model, options.prices)),
      modelCalls: state.modelCalls,
    },
    errors: state.errors.map((error) => ({ code: error.code, message: cut(error.message, 1000) })),
  };
}
