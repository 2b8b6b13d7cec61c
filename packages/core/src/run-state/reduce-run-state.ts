import type { OrchestratorEvent } from '../events.js';
import { isTestCommand } from '../orchestrator/test-log-tracker.js';
import { addTokenUsage, emptyTokenUsage } from '../orchestrator/token-usage.js';
import type {
  BranchState,
  CommandRecord,
  RunState,
  SubtaskPhase,
  SubtaskState,
  WorkerRunState,
} from './run-state.js';

/**
 * Folds one event into a run's state and returns the new state: a pure function, so the same
 * events always give the same state, whoever replays them. The state is never changed in place;
 * when an event changes nothing (an unknown type from a newer core, a usage-free reasoning
 * message) the same object comes back, so `next !== previous` tells a view to redraw.
 *
 * Events may come from another process and be partial: an event this reducer cannot read leaves
 * the state as it was.
 *
 * Adding an event: one `case` here (and its interface in `events.ts`); every view follows.
 *
 * @example
 * let state = createRunState();
 * events.onAny((event) => { state = reduceRunState(state, event); });
 */
export function reduceRunState(state: RunState, event: OrchestratorEvent): RunState {
  try {
    return reduce(state, event);
  } catch {
    return state;
  }
}

const codexCommandPattern = /^\s*(?:\S*\/)?codex\s/;

function reduce(previous: RunState, event: OrchestratorEvent): RunState {
  const state = lifecycle(previous, event);
  switch (event.type) {
    case 'task-queue':
      return state;
    case 'task-start':
      return { ...state, attempt: event.attempt };
    case 'task-end':
      return { ...state, status: event.outcome };
    case 'task-interrupt':
      return {
        ...state,
        interrupts: [...state.interrupts, { attempt: event.attempt, action: event.action }],
      };
    case 'run-start':
      return {
        ...state,
        activity: { kind: 'planning' },
        start: {
          runId: event.runId,
          ...(event.taskId === undefined ? {} : { taskId: event.taskId }),
          task: event.task,
          model: event.model,
          baseDir: event.baseDir,
          startCommit: event.startCommit,
          time: event.time,
          resume: event.resume,
          ...(event.sandbox === undefined ? {} : { sandbox: event.sandbox }),
        },
        models: addOnce(state.models, event.model),
      };
    case 'run-end':
      return {
        ...state,
        status: event.status,
        activity: { kind: 'ended', status: event.status },
        end: {
          runId: event.runId,
          status: event.status,
          summary: event.summary,
          ...(event.error === undefined ? {} : { error: event.error }),
          mainCommit: event.mainCommit,
          mainState: event.mainState,
          mainRepairs: event.mainRepairs,
          durationMs: event.durationMs,
          time: event.time,
        },
      };
    case 'plan-update':
      return planUpdate({ ...state, plan: event.steps }, event.steps);
    case 'model-call-start':
      return { ...state, activity: { kind: 'model-call', agent: event.agent, turn: event.turn } };
    case 'model-call-end':
      return {
        ...state,
        activity:
          event.error === undefined
            ? { kind: 'tools', agent: event.agent }
            : { kind: 'model-error', agent: event.agent },
        modelCalls: state.modelCalls + 1,
        models: addOnce(state.models, event.model),
      };
    case 'usage-update':
      return {
        ...state,
        usage: { orchestrator: event.orchestrator, workers: event.workers, costUsd: event.costUsd },
      };
    case 'budget-exceed':
      return {
        ...state,
        budget: { limit: event.limit, cap: event.cap, used: event.used, action: event.action },
      };
    case 'error':
      return { ...state, errors: [...state.errors, { code: event.code, message: event.message }] };
    case 'main-restore':
      return {
        ...state,
        restores: [
          ...state.restores,
          {
            from: event.from,
            to: event.to,
            reason: event.reason,
            ...(event.rescueBranch ? { rescueBranch: event.rescueBranch } : {}),
          },
        ],
      };
    case 'worktree-create': {
      const next = updateSubtask(state, event.worktree, (subtask) => ({
        ...subtask,
        branch: event.branch,
        activity: event,
        materialized: true,
      }));
      return {
        ...next,
        worktrees: upsert(
          next.worktrees,
          (known) => known.name === event.worktree,
          () => ({
            name: event.worktree,
            path: event.path,
            branch: event.branch,
            reused: event.reused,
            removed: false,
          }),
        ),
      };
    }
    case 'worktree-remove': {
      const next = updateSubtask(state, event.worktree, (subtask) => ({
        ...subtask,
        phase: 'removed',
        activity: event,
        materialized: true,
      }));
      return {
        ...next,
        worktrees: upsert(
          next.worktrees,
          (known) => known.name === event.worktree,
          (known) => ({
            ...(known ?? { name: event.worktree, path: event.path, reused: true }),
            removed: true,
          }),
        ),
      };
    }
    case 'worker-start': {
      const run: WorkerRunState = {
        workerRunId: event.workerRunId,
        worker: event.worker,
        worktree: event.worktree,
        status: 'running',
        usage: emptyTokenUsage(),
        usageReported: false,
      };
      const next = {
        ...state,
        workerRuns: upsert(
          state.workerRuns,
          (known) => known.workerRunId === event.workerRunId,
          () => run,
        ),
      };
      return updateSubtask(next, event.worktree, (subtask) => ({
        ...subtask,
        phase: 'running',
        activity: event,
        materialized: true,
      }));
    }
    case 'worker-command-start':
      return updateSubtask(state, event.worktree, (subtask) => ({
        ...subtask,
        activity: event,
        running: [...subtask.running, { command: event.command, startedAt: event.time, source: 'codex' }],
        codexCommand: { command: event.command },
        materialized: true,
      }));
    case 'worker-command-end': {
      const next = isTestCommand(event.command)
        ? {
            ...state,
            tests: [
              ...state.tests,
              {
                worktree: event.worktree,
                command: event.command,
                source: 'worker' as const,
                exitCode: event.exitCode,
                passed: event.exitCode === 0,
              },
            ],
          }
        : state;
      return updateSubtask(next, event.worktree, (subtask) => ({
        ...subtask,
        activity: event,
        running: withoutFirst(
          subtask.running,
          (command) => command.source === 'codex' && command.command === event.command,
        ),
        codexCommand: { command: event.command, exitCode: event.exitCode },
        materialized: true,
      }));
    }
    case 'worker-file-change':
      return updateSubtask(state, event.worktree, (subtask) => ({
        ...subtask,
        activity: event,
        changedFiles: addAll(
          subtask.changedFiles,
          event.changes.map((change) => change.path),
        ),
        materialized: true,
      }));
    case 'worker-message':
      if (event.kind === 'reasoning') return state;
      return updateSubtask(state, event.worktree, (subtask) => ({
        ...subtask,
        activity: event,
        materialized: true,
      }));
    case 'worker-warning':
      return updateSubtask(state, event.worktree, (subtask) => ({ ...subtask, materialized: true }));
    case 'worker-usage': {
      // Per turn: added up (see `WorkerUsageEvent`).
      const next = updateRun(state, event.workerRunId, event.worktree, (run) => ({
        ...run,
        usage: addTokenUsage({ ...run.usage }, event.usage),
        usageReported: true,
      }));
      return recountTokens(next, event.worktree);
    }
    case 'worker-end': {
      const { result } = event;
      const next = updateRun(state, event.workerRunId, event.worktree, (run) => ({
        ...run,
        status: result.status,
        // The result's usage is the run's total; per-turn events, when there were any, add up to it.
        usage: run.usageReported ? run.usage : { ...result.usage },
        result,
      }));
      const phase: SubtaskPhase =
        result.status === 'completed' ? 'ready' : result.status === 'cancelled' ? 'cancelled' : 'failed';
      return updateSubtask(recountTokens(next, event.worktree), event.worktree, (subtask) => ({
        ...subtask,
        phase,
        activity: event,
        running: subtask.running.filter((command) => command.source !== 'codex'),
        changedFiles: addAll(
          subtask.changedFiles,
          result.filesChanged.map((file) => file.path),
        ),
        materialized: true,
      }));
    }
    case 'command-start': {
      const record: CommandRecord = {
        callId: event.callId,
        time: event.time,
        worktree: event.worktree,
        command: event.command,
        decision: 'allow',
        ...(event.ruleId === undefined ? {} : { ruleId: event.ruleId }),
        status: event.dryRun ? 'dry-run' : 'running',
        exitCode: null,
      };
      const next = {
        ...state,
        commands: upsert(
          state.commands,
          (known) => known.callId === event.callId,
          () => record,
        ),
      };
      const codex = codexCommandPattern.test(event.command);
      return updateSubtask(next, event.worktree, (subtask) => ({
        ...subtask,
        activity: event,
        phase: event.dryRun
          ? subtask.phase
          : codex
            ? subtask.phase === 'running'
              ? 'running'
              : 'queued'
            : isTestCommand(event.command)
              ? 'testing'
              : subtask.phase,
        running: event.dryRun
          ? subtask.running
          : [...subtask.running, { command: event.command, startedAt: event.time, source: 'orchestrator' }],
      }));
    }
    case 'command-end': {
      let next: RunState = {
        ...state,
        commands: upsert(
          state.commands,
          (known) => known.callId === event.callId,
          (known) => ({
            ...(known ?? {
              callId: event.callId,
              time: event.time,
              worktree: event.worktree,
              command: event.command,
              decision: 'allow' as const,
            }),
            status: event.status,
            exitCode: event.exitCode,
            durationMs: event.durationMs,
            ...(event.reason === undefined ? {} : { reason: event.reason }),
          }),
        ),
      };
      if (!event.dryRun && isTestCommand(event.command)) {
        next = {
          ...next,
          tests: [
            ...next.tests,
            {
              worktree: event.worktree,
              command: event.command,
              source: 'orchestrator',
              exitCode: event.exitCode,
              passed: event.exitCode === 0,
            },
          ],
        };
      }
      const codex = codexCommandPattern.test(event.command);
      return updateSubtask(next, event.worktree, (subtask) => {
        let phase = subtask.phase;
        if (phase === 'testing') phase = 'ready';
        // A codex run that never started (cancelled or refused while it waited for a slot).
        if (codex && phase === 'queued')
          phase = event.status === 'cancelled' ? 'cancelled' : event.status === 'ok' ? 'ready' : 'failed';
        return {
          ...subtask,
          phase,
          // A codex run is described by its worker-end; its command-end adds nothing.
          ...(codex ? {} : { activity: event }),
          running: withoutFirst(
            subtask.running,
            (command) => command.source === 'orchestrator' && command.command === event.command,
          ),
        };
      });
    }
    case 'command-denied': {
      const next = {
        ...state,
        commands: upsert(
          state.commands,
          (known) => known.callId === event.callId,
          () => ({
            callId: event.callId,
            time: event.time,
            worktree: event.worktree,
            command: event.command,
            decision: 'deny' as const,
            ...(event.ruleId === undefined ? {} : { ruleId: event.ruleId }),
            reason: event.reason,
            status: 'denied' as const,
            exitCode: null,
          }),
        ),
      };
      return updateSubtask(next, event.worktree, (subtask) => ({ ...subtask, activity: event }));
    }
    case 'review-start':
      return onBranch(state, event, {}, 'reviewing');
    case 'review-end':
      return onBranch(
        {
          ...state,
          reviews: [
            ...state.reviews,
            {
              branch: event.branch,
              ...(event.worktree === undefined ? {} : { worktree: event.worktree }),
              commit: event.commit,
              mode: event.mode,
              verdict: event.verdict,
              summary: event.summary,
              comments: event.comments,
              ...(event.error === undefined ? {} : { error: event.error }),
            },
          ],
        },
        event,
        { review: event.verdict },
        event.verdict === 'approve' ? 'ready' : 'failed',
      );
    case 'approval-start':
      return onBranch(state, event, { approval: 'pending' }, 'awaiting-approval');
    case 'approval-end': {
      const approval = { branch: event.branch, approved: event.approved, ...optional('error', event.error) };
      return onBranch(
        { ...state, approvals: [...state.approvals, approval] },
        event,
        { approval: event.approved ? 'approved' : 'declined' },
        event.approved ? 'ready' : 'failed',
      );
    }
    case 'merge-start':
      return onBranch(
        { ...state, activity: { kind: 'merging', branch: event.branch } },
        event,
        { merge: 'merging' },
        'merging',
      );
    case 'merge-conflict':
      return onBranch(state, event, { merge: 'conflict-found', conflictFiles: event.files }, 'conflict');
    case 'merge-end': {
      const conflictFiles =
        event.outcome === 'conflict'
          ? state.branches.find((branch) => branch.branch === event.branch)?.conflictFiles
          : undefined;
      const merge = {
        branch: event.branch,
        ...optional('worktree', event.worktree),
        outcome: event.outcome,
        ...optional('branchCommit', event.branchCommit),
        mainCommit: event.mainCommit,
        ...optional('reason', event.reason),
        ...optional('conflictFiles', conflictFiles),
      };
      const merged = event.outcome === 'merged' || event.outcome === 'already-merged';
      return onBranch(
        { ...state, merges: [...state.merges, merge] },
        event,
        { merge: event.outcome },
        merged ? 'merged' : event.outcome === 'conflict' ? 'conflict' : 'failed',
      );
    }
    case 'smoke-test-start':
      return onBranch(state, event, { smokeTest: 'running' }, 'merging');
    case 'smoke-test-end': {
      const test = {
        worktree: 'main',
        command: event.command,
        source: 'smoke-test' as const,
        exitCode: event.exitCode,
        passed: event.passed,
        branch: event.branch,
      };
      return onBranch({ ...state, tests: [...state.tests, test] }, event, {
        smokeTest: event.passed ? 'passed' : 'failed',
      });
    }
    default:
      return state;
  }
}

/**
 * A branch event: updates the branch's state and its subtask (the event becomes its activity,
 * `phase` its phase when given).
 */
function onBranch(
  state: RunState,
  event: OrchestratorEvent & { branch: string; worktree?: string },
  patch: Omit<BranchState, 'branch'>,
  phase?: SubtaskPhase,
): RunState {
  const next = updateBranch(state, event.branch, (branch) => ({ ...branch, ...patch }));
  return updateSubtask(next, worktreeOfBranch(state, event), (subtask) => ({
    ...subtask,
    ...(phase === undefined ? {} : { phase }),
    activity: event,
  }));
}

/** `{ [key]: value }`, or nothing when `value` is undefined (optional fields stay absent). */
function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

/** The run leaves `queued` at its first event other than `task-queue`. */
function lifecycle(state: RunState, event: OrchestratorEvent): RunState {
  if (state.status !== 'queued' || event.type === 'task-queue') return state;
  return { ...state, status: 'running' };
}

function planUpdate(state: RunState, steps: RunState['plan']): RunState {
  let next = state;
  for (const step of steps) {
    if (step.worktree === undefined) continue;
    next = updateSubtask(next, step.worktree, (subtask) => ({
      ...subtask,
      planTitle: subtask.planTitle ?? step.title,
      phase:
        subtask.phase === 'ready' &&
        step.status === 'pending' &&
        subtask.tokens === 0 &&
        subtask.running.length === 0
          ? 'planned'
          : subtask.phase,
    }));
  }
  return next;
}

/** The subtask of a branch event: its worktree when given, else the worktree created for the branch. */
function worktreeOfBranch(state: RunState, event: { branch: string; worktree?: string }): string {
  return (
    event.worktree ??
    state.subtasks.find((subtask) => subtask.branch === event.branch)?.worktree ??
    event.branch
  );
}

/** Applies `update` to a subtask, created on first mention; `main` is not a subtask. */
function updateSubtask(
  state: RunState,
  worktree: string,
  update: (subtask: SubtaskState) => SubtaskState,
): RunState {
  if (typeof worktree !== 'string' || worktree === 'main' || worktree === '') return state;
  return {
    ...state,
    subtasks: upsert(
      state.subtasks,
      (known) => known.worktree === worktree,
      (known) =>
        update(
          known ?? {
            worktree,
            phase: 'ready',
            running: [],
            tokens: 0,
            changedFiles: [],
            materialized: false,
          },
        ),
    ),
  };
}

function updateRun(
  state: RunState,
  workerRunId: string,
  worktree: string,
  update: (run: WorkerRunState) => WorkerRunState,
): RunState {
  return {
    ...state,
    workerRuns: upsert(
      state.workerRuns,
      (known) => known.workerRunId === workerRunId,
      (known) =>
        update(
          known ?? {
            workerRunId,
            worker: 'worker',
            worktree,
            status: 'running',
            usage: emptyTokenUsage(),
            usageReported: false,
          },
        ),
    ),
  };
}

function updateBranch(state: RunState, name: string, update: (branch: BranchState) => BranchState): RunState {
  if (typeof name !== 'string' || name === '') return state;
  return {
    ...state,
    branches: upsert(
      state.branches,
      (known) => known.branch === name,
      (known) => update(known ?? { branch: name }),
    ),
  };
}

/** Sets a subtask's tokens to the sum of its worker runs. */
function recountTokens(state: RunState, worktree: string): RunState {
  const tokens = state.workerRuns
    .filter((run) => run.worktree === worktree)
    .reduce((sum, run) => sum + run.usage.totalTokens, 0);
  return updateSubtask(state, worktree, (subtask) => ({ ...subtask, tokens, materialized: true }));
}

/** A copy of `list` with the first match replaced by `make(match)`, or `make()` appended. */
function upsert<T>(
  list: readonly T[],
  matches: (item: T) => boolean,
  make: (known: T | undefined) => T,
): T[] {
  const index = list.findIndex(matches);
  if (index === -1) return [...list, make(undefined)];
  const copy = [...list];
  copy[index] = make(list[index]);
  return copy;
}

function withoutFirst<T>(list: readonly T[], matches: (item: T) => boolean): T[] {
  const index = list.findIndex(matches);
  return index === -1 ? [...list] : [...list.slice(0, index), ...list.slice(index + 1)];
}

function addOnce(list: readonly string[], value: string): readonly string[] {
  return list.includes(value) ? list : [...list, value];
}

function addAll(list: readonly string[], values: readonly string[]): readonly string[] {
  const fresh = values.filter((value, index) => !list.includes(value) && values.indexOf(value) === index);
  return fresh.length === 0 ? list : [...list, ...fresh];
}
