/**
 * `runOrchestrator`: one call takes a big task and returns merged, tested work plus a report.
 * It wires the orchestrator agent (Agents SDK) to the execution layer: run_repo_command with the
 * policy, the worktree manager, the codex worker behind a concurrency cap and the budget, and the
 * merge queue with review, approval and smoke test. Whatever happens, main is secured at the end.
 */
import { randomBytes } from 'node:crypto';
import { createMainLedgerStore } from '../durability/main-ledger.js';
import { repositoryStateDir, withWriterLock } from '../durability/repository-state.js';
import { reapDeadRunOwners, recordRunOwner } from '../durability/run-owners.js';
import { registerLiveTask } from '../durability/worktree-owners.js';
import { createEventStream, type EventStream } from '../events/event-stream.js';
import type { TaskOutcome } from '../types.js';
import { restorePersistedGitMetadata } from '../worker/git-metadata-guard.js';
import { createWorktreeManager } from '../worktree/worktree-manager.js';
import { assembleOrchestrator } from './assemble-orchestrator.js';
import { filesChangedPerBranch } from './files-changed-per-branch.js';
import { guardMain } from './guard-main.js';
import type { MergeQueue } from './merge-queue.js';
import { RunCancelledError } from './orchestrator-errors.js';
import {
  type ResolvedOrchestratorOptions,
  type RunOrchestratorOptions,
  resolveOrchestratorOptions,
} from './orchestrator-options.js';
import { recoverMain } from './recover-main.js';
import { createReportBuilder } from './report-builder.js';
import type { OrchestratorReport } from './report-schema.js';
import { createRepositoryGit } from './repository-git.js';
import { createRepositoryInvariants, type RepositoryInvariants } from './repository-invariants.js';
import { budgetText, classifyRunFailure, mergeOutcome, reasonText, settleWithin } from './run-outcome.js';
import { runAuditLogPath, startRunSandbox, unconfinedWarning } from './run-sandbox.js';
import { createTestLogTracker } from './test-log-tracker.js';
import { createUsageMeter } from './usage-meter.js';

/** A running orchestration: its events, its report to come, and a way to stop it. */
export interface OrchestratorRun {
  readonly runId: string;
  /** The task id written to events, the audit log and the report. */
  readonly taskId: string;
  /** Every event of the run (typed `on(type, fn)` and `for await`); closed after `run-end` unless it was passed in. */
  readonly events: EventStream;
  /** Resolves once the run ended and main was secured. Never rejects: failures are in `status` and `error`. */
  readonly report: Promise<OrchestratorReport>;
  /** Stops the run: the agent stops, codex processes are killed, worktrees and commits stay. */
  cancel(reason?: string): void;
}

/** Time given to tool calls to settle (processes killed, results in) after the agent stopped. */
const settleTimeoutMs = 20_000;

/**
 * Runs the orchestrator agent on `task`. Validation errors (no API key, no baseDir, no `main`
 * worktree, bad option values) throw a `ConfigurationError` right away; everything after that is
 * reported through `events` and the `report` promise.
 *
 * @example
 * const run = runOrchestrator('Add a users search endpoint with tests', {
 *   baseDir: '/srv/project', // holds main/ and the task-* worktrees
 *   smokeTest: 'npm test',
 *   budget: { costUsd: 5 },
 * });
 * run.events.on('merge-end', (event) => console.log(event.branch, event.outcome));
 * const report = await run.report;
 * console.log(renderReportMarkdown(report));
 */
export function runOrchestrator(task: string, options: RunOrchestratorOptions = {}): OrchestratorRun {
  const resolved = resolveOrchestratorOptions(task, options);
  const runId = `run-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
  const taskId = options.taskId ?? runId;
  const events = options.events ?? createEventStream();
  const controller = new AbortController();
  const onOuterAbort = () =>
    controller.abort(
      new RunCancelledError(reasonText(options.signal?.reason) ?? 'the caller aborted it', { taskId }),
    );
  if (options.signal?.aborted) onOuterAbort();
  else options.signal?.addEventListener('abort', onOuterAbort, { once: true });

  const report = executeRun({ resolved, options, runId, taskId, events, signal: controller.signal }).finally(
    () => {
      options.signal?.removeEventListener('abort', onOuterAbort);
      if (!options.events) events.close();
    },
  );
  return {
    runId,
    taskId,
    events,
    report,
    cancel(reason) {
      if (!controller.signal.aborted)
        controller.abort(new RunCancelledError(reason ?? 'cancel() was called', { taskId }));
    },
  };
}

interface RunSetup {
  resolved: ResolvedOrchestratorOptions;
  options: RunOrchestratorOptions;
  runId: string;
  taskId: string;
  events: EventStream;
  signal: AbortSignal;
}

async function executeRun(setup: RunSetup): Promise<OrchestratorReport> {
  const { resolved, options, runId, taskId, events, signal } = setup;
  const started = performance.now();
  const taskField = { taskId };
  const builder = createReportBuilder({ events, prices: resolved.prices, workerModel: resolved.workerModel });
  const meter = createUsageMeter({
    events,
    prices: resolved.prices,
    workerModel: resolved.workerModel,
    taskId,
    ...(options.budget ? { budget: options.budget } : {}),
  });
  const testLogs = createTestLogTracker(events);
  const mainGit = createRepositoryGit(resolved.mainPath);
  const inFlight = new Set<Promise<unknown>>();
  let queue: MergeQueue | undefined;
  let startCommit = '';
  let status: TaskOutcome = 'failed';
  let summary = '';
  let error: string | undefined;
  // Fail closed: when the sandbox cannot start, the run does not start (the report rejects).
  const sandbox = await startRunSandbox(options);
  const stateDir = repositoryStateDir(resolved.baseDir);
  // While this run lives, start-up clean-up of other runs leaves its worktrees alone.
  const unregister = registerLiveTask(taskId);
  const startRepairs: string[] = [];
  const branches = new Set<string>();
  const offCreate = events.on('worktree-create', (event) => {
    if (event.taskId === undefined || event.taskId === taskId) branches.add(event.branch);
  });
  const offMerge = events.on('merge-end', (event) => {
    if (event.taskId === undefined || event.taskId === taskId) branches.add(event.branch);
  });

  let invariants: RepositoryInvariants | undefined;
  try {
    // Before this run starts anything: what a crashed orchestrator left running on this
    // repository (codex, a smoke test, their daemons) is killed, sandbox on or off.
    const reaped = await reapDeadRunOwners(stateDir);
    await recordRunOwner(stateDir);
    if (reaped.killed.length > 0) {
      startRepairs.push(
        `at start: killed ${reaped.killed.length} process(es) a crashed run left running (pids ${reaped.killed.join(', ')})`,
      );
    }
    // Before the first git call: git config and hooks a crashed run's codex or command changed
    // are put back from the snapshot it wrote to disk, so git never runs what was planted.
    const restored = await restorePersistedGitMetadata(stateDir);
    if (restored.length > 0) {
      startRepairs.push(`at start: restored git metadata a crashed run left changed: ${restored.join(', ')}`);
      events.emit({
        type: 'error',
        code: 'git-metadata-restored',
        message: `Restored git metadata changed during a run that crashed: ${restored.join(', ')}`,
        ...taskField,
      });
    }
    // Under the writer lock, before anything else touches main: finish or undo a merge an earlier
    // process left unfinished, clear its git locks, and refuse a main with a user's edits in it.
    let startError: unknown;
    await withWriterLock(stateDir, `start of ${taskId}`, () =>
      recoverMain({
        git: mainGit,
        ledger: createMainLedgerStore(stateDir),
        moment: 'start',
        emit: (event) => events.emit(event),
        taskField,
        ...(options.smokeTestTimeoutMs === undefined
          ? {}
          : { smokeTestTimeoutMs: options.smokeTestTimeoutMs }),
      }),
    ).then(
      (recovery) => startRepairs.push(...recovery.repairs.map((repair) => `at start: ${repair}`)),
      (caught: unknown) => {
        startError = caught;
      },
    );
    startCommit = await mainGit.head();
    events.emit({
      type: 'run-start',
      runId,
      task: resolved.task,
      baseDir: resolved.baseDir,
      model: resolved.model,
      startCommit,
      resume: options.resume === true,
      sandbox: sandbox.enabled ? 'on' : 'off',
      ...taskField,
    });
    if (!sandbox.enabled)
      events.emit({ type: 'error', code: 'sandbox-off', message: unconfinedWarning, ...taskField });
    if (startError !== undefined) throw startError;
    invariants = await createRepositoryInvariants({
      mainGit,
      mainWorktree: resolved.mainWorktree,
      commonDir: (await mainGit.check(['rev-parse', '--path-format=absolute', '--git-common-dir'])).trim(),
      stateDir,
      ledger: createMainLedgerStore(stateDir),
      emit: (event) => events.emit(event),
      taskField,
    });
    // New task branches start from the local main branch, not origin/main: the orchestrator never
    // pushes, so origin/main lags behind every merge of this run.
    const mainBranch = await mainGit.run(['symbolic-ref', '--short', '-q', 'HEAD']);
    const worktrees = createWorktreeManager({
      baseDir: resolved.baseDir,
      mainWorktree: resolved.mainWorktree,
      ...(mainBranch.exitCode === 0 && mainBranch.stdout.trim() !== ''
        ? { base: mainBranch.stdout.trim() }
        : {}),
      events,
      ...(options.worktreeSetup === undefined ? {} : { setupCommand: options.worktreeSetup }),
      sandbox,
      ...(options.worktreeBootstrap === undefined ? {} : { bootstrap: options.worktreeBootstrap }),
    });
    if (resolved.pruneWorktrees) {
      await worktrees.prune({ taskId, signal }).catch((caught: unknown) => {
        const message = `Pruning stale worktrees failed: ${reasonText(caught) ?? 'unknown error'}`;
        events.emit({ type: 'error', code: 'worktree-prune-failed', message, ...taskField });
      });
    }
    const assembled = await assembleOrchestrator({
      resolved,
      taskId,
      events,
      meter,
      testLogs,
      mainGit,
      worktrees,
      inFlight,
      sandbox,
      invariants,
    });
    queue = assembled.queue;
    const resumeNote = options.resume
      ? '\n\n(This run resumes an interrupted attempt: task worktrees and branches from it may exist. Check `git worktree list` and `git log` in main and reuse them; branches already in main are not merged again.)'
      : '';
    const input = `Task ${taskId}:\n${resolved.task}${resumeNote}`;
    const result = await assembled.runner.run(assembled.agent, input, {
      maxTurns: resolved.maxTurns,
      signal,
      context: { baseDir: resolved.baseDir, taskId },
    });
    summary =
      typeof result.finalOutput === 'string' ? result.finalOutput : JSON.stringify(result.finalOutput ?? '');
    status = meter.exceeded ? 'budget-exceeded' : 'completed';
    if (meter.exceeded) error = budgetText(meter);
  } catch (caught) {
    ({ status, error } = classifyRunFailure(caught, {
      signal,
      meter,
      maxTurns: resolved.maxTurns,
      baseURL: resolved.baseURL,
    }));
  }

  // Tool calls still running (their processes being killed) settle before main is checked.
  await settleWithin(inFlight, settleTimeoutMs);
  // The run-long snapshot of config and hooks: a last check before the guard's git calls.
  const undoneAtEnd = (await invariants?.dispose().catch(() => [])) ?? [];
  if (undoneAtEnd.length > 0)
    startRepairs.push(`at the end: restored git metadata: ${undoneAtEnd.join(', ')}`);
  const guard = await guardMain({
    mainGit,
    queue,
    stateDir,
    startCommit,
    taskField,
    emit: (event) => events.emit(event),
  });
  offCreate();
  offMerge();
  unregister();
  if (status === 'completed') {
    ({ status, error } = await mergeOutcome({
      mainGit,
      guard,
      branches: [...branches],
      merged: queue?.merges ?? [],
    }));
  }
  events.emit({
    type: 'run-end',
    runId,
    status,
    summary,
    ...(error === undefined ? {} : { error }),
    mainCommit: guard.mainCommit,
    mainState: guard.state,
    mainRepairs: [...startRepairs, ...guard.repairs],
    durationMs: Math.round(performance.now() - started),
    ...taskField,
  });
  const report = builder.build();
  report.auditLogPath = runAuditLogPath(options);
  report.branchFiles = await filesChangedPerBranch(mainGit, report);
  builder.dispose();
  meter.dispose();
  testLogs.dispose();
  return report;
}
