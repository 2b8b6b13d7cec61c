import type { OrchestratorEvent } from '@codex-orchestrator/core';
import { pathInWorktree, toTerminalLine, unwrapShellCommand } from './terminal-text.js';

/** What a subtask is doing, as the live view shows it. */
export type SubtaskPhase =
  | 'planned'
  | 'ready'
  | 'codex'
  | 'testing'
  | 'reviewing'
  | 'waiting'
  | 'merging'
  | 'merged'
  | 'conflict'
  | 'failed'
  | 'done';

/** One row of the live view: a worktree and what happens in it. */
export interface SubtaskRow {
  worktree: string;
  branch?: string;
  phase: SubtaskPhase;
  /** The last thing codex or the orchestrator did there, one line. */
  lastAction: string;
  /** Worker tokens spent in this worktree. */
  tokens: number;
}

/** The state behind the live view, built from the event stream. */
export interface SubtaskBoard {
  /** Feeds one event; returns true when the board changed. */
  apply(event: OrchestratorEvent): boolean;
  rows(): SubtaskRow[];
  /** Total tokens: workers plus the orchestrator model, when reported. */
  totalTokens(): number;
  /** Estimated cost in USD so far (from `usage-update`), when reported. */
  costUsd(): number | undefined;
  /** What the orchestrator itself is doing (`thinking (turn 3)`, `merging task-x`), one line. */
  status(): string;
}

/**
 * Creates the board: one row per task worktree (main is not a subtask), in order of appearance.
 * Token totals are per worker run (the last usage a run reported), summed per worktree.
 */
export function createSubtaskBoard(): SubtaskBoard {
  const rows = new Map<string, SubtaskRow>();
  const runUsage = new Map<string, { worktree: string; tokens: number }>();
  const branches = new Map<string, string>();
  let reportedTotal: number | undefined;
  let cost: number | undefined;
  let status = 'starting';

  const row = (worktree: string): SubtaskRow | undefined => {
    if (worktree === 'main' || worktree === '') return undefined;
    let existing = rows.get(worktree);
    if (existing === undefined) {
      existing = { worktree, phase: 'ready', lastAction: '', tokens: 0 };
      rows.set(worktree, existing);
    }
    return existing;
  };
  const recountTokens = (worktree: string) => {
    const target = rows.get(worktree);
    if (target === undefined) return;
    let sum = 0;
    for (const usage of runUsage.values()) if (usage.worktree === worktree) sum += usage.tokens;
    target.tokens = sum;
  };
  const act = (worktree: string, text: string, phase?: SubtaskPhase): boolean => {
    const target = row(worktree);
    if (target === undefined) return false;
    target.lastAction = toTerminalLine(text, 200);
    if (phase !== undefined) target.phase = phase;
    return true;
  };

  /** The row of a branch event: its worktree when given, else the worktree created for the branch. */
  const worktreeOf = (event: { branch: string; worktree?: string }) =>
    event.worktree ?? branches.get(event.branch) ?? event.branch;
  const phase = (worktree: string, next: SubtaskPhase, text: string) => act(worktree, text, next);

  const apply = (event: OrchestratorEvent): boolean => {
    switch (event.type) {
      case 'run-start':
        status = 'planning';
        return true;
      case 'run-end':
        status = event.status;
        return true;
      case 'model-call-start':
        status = `${event.agent} thinking (turn ${event.turn})`;
        return true;
      case 'model-call-end':
        status =
          event.error === undefined ? `${event.agent} waiting for tools` : `${event.agent} model error`;
        return true;
      case 'usage-update':
        reportedTotal = event.orchestrator.totalTokens + event.workers.totalTokens;
        cost = event.costUsd;
        return true;
      case 'plan-update': {
        let changed = false;
        for (const step of event.steps) {
          if (step.worktree === undefined) continue;
          const target = row(step.worktree);
          if (target === undefined) continue;
          if (target.lastAction === '') target.lastAction = toTerminalLine(step.title, 200);
          if (target.phase === 'ready' && step.status === 'pending' && target.tokens === 0)
            target.phase = 'planned';
          changed = true;
        }
        return changed;
      }
      case 'review-start':
        return phase(worktreeOf(event), 'reviewing', `review (${event.mode}) of ${event.branch}`);
      case 'review-end':
        return phase(
          worktreeOf(event),
          event.verdict === 'approve' ? 'ready' : 'failed',
          `review: ${event.verdict}: ${event.summary}`,
        );
      case 'approval-start':
        return phase(worktreeOf(event), 'waiting', 'waiting for merge approval');
      case 'approval-end':
        return phase(
          worktreeOf(event),
          event.approved ? 'ready' : 'failed',
          event.approved ? 'merge approved' : 'merge declined',
        );
      case 'merge-start':
        status = `merging ${toTerminalLine(event.branch, 60)}`;
        return phase(worktreeOf(event), 'merging', `merging ${event.branch} into main`);
      case 'merge-end': {
        const merged = event.outcome === 'merged' || event.outcome === 'already-merged';
        const next: SubtaskPhase = merged ? 'merged' : event.outcome === 'conflict' ? 'conflict' : 'failed';
        return phase(
          worktreeOf(event),
          next,
          merged ? 'merged into main' : `merge ${event.outcome}: ${event.reason ?? ''}`,
        );
      }
      case 'merge-conflict':
        return phase(worktreeOf(event), 'conflict', `conflict in ${event.files.join(', ')}`);
      case 'smoke-test-start':
        return phase(worktreeOf(event), 'merging', `smoke test in main: ${event.command}`);
      case 'smoke-test-end':
        return act(
          worktreeOf(event),
          `smoke test ${event.passed ? 'passed' : `failed (exit ${event.exitCode ?? '?'})`}`,
        );
      case 'worktree-create': {
        const target = row(event.worktree);
        if (target === undefined) return false;
        branches.set(event.branch, event.worktree);
        target.branch = event.branch;
        target.lastAction = event.reused
          ? `reused worktree (${event.branch})`
          : `worktree from ${event.base}`;
        return true;
      }
      case 'worktree-remove':
        return act(event.worktree, `worktree ${event.reason}`, 'done');
      case 'worker-start':
        return act(event.worktree, `codex: ${event.prompt}`, 'codex');
      case 'worker-command-start':
        return act(event.worktree, `codex $ ${unwrapShellCommand(event.command)}`);
      case 'worker-command-end':
        return act(
          event.worktree,
          `codex $ ${unwrapShellCommand(event.command)} → exit ${event.exitCode ?? '?'}`,
        );
      case 'worker-file-change':
        return act(
          event.worktree,
          `codex edited ${event.changes.map((change) => pathInWorktree(change.path, event.worktree)).join(', ')}`,
        );
      case 'worker-message':
        return event.kind === 'reasoning' ? false : act(event.worktree, `codex: ${event.text}`);
      case 'worker-usage':
      case 'worker-end': {
        const usage = event.type === 'worker-usage' ? event.usage : event.result.usage;
        runUsage.set(event.workerRunId, { worktree: event.worktree, tokens: usage.totalTokens });
        row(event.worktree);
        recountTokens(event.worktree);
        if (event.type === 'worker-end') {
          const failed = event.result.status !== 'completed';
          act(
            event.worktree,
            `codex ${event.result.status}: ${event.result.finalMessage}`,
            failed ? 'failed' : 'ready',
          );
        }
        return true;
      }
      case 'command-start': {
        const testing =
          /\b(test|vitest|jest|pytest)\b/.test(event.command) && !/^\s*codex\b/.test(event.command);
        return act(event.worktree, `$ ${event.command}`, testing ? 'testing' : undefined);
      }
      case 'command-end': {
        const target = row(event.worktree);
        if (target === undefined) return false;
        if (target.phase === 'testing') target.phase = 'ready';
        if (/^\s*codex\b/.test(event.command)) return true; // worker-end already said how it went
        return act(event.worktree, `$ ${event.command} → exit ${event.exitCode ?? '?'}`);
      }
      case 'command-denied':
        return act(event.worktree, `denied: ${event.command}`);
      default:
        return false;
    }
  };

  return {
    apply,
    rows: () => [...rows.values()],
    totalTokens: () => reportedTotal ?? [...runUsage.values()].reduce((sum, usage) => sum + usage.tokens, 0),
    costUsd: () => cost,
    status: () => status,
  };
}
