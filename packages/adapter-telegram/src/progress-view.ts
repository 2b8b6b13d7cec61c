import type { OrchestratorEvent, PlanStep, TaskOutcome } from '@codex-orchestrator/core';
import { telegramMessageLimit } from './split-telegram-text.js';

/** What one subtask worktree is doing, as far as the events tell. */
export interface WorktreeProgress {
  name: string;
  branch?: string;
  state: string;
  lastAction?: string;
  changedFiles: Set<string>;
}

/** The state behind one task's progress message, folded from its events. */
export interface ProgressView {
  label: string;
  text: string;
  phase: 'queued' | 'running' | TaskOutcome | 'interrupted';
  attempt: number;
  plan: PlanStep[];
  worktrees: Map<string, WorktreeProgress>;
  /** Per branch: review verdict, approval, merge and smoke-test results, in the order they came. */
  branches: Map<string, Map<'review' | 'approval' | 'merge' | 'smoke', string>>;
  lastCommand?: string;
  deniedCount: number;
  lastError?: string;
  notes: string[];
  codexTokensByRun: Map<string, number>;
  usage?: { orchestrator: number; workers: number; costUsd: number };
  detail?: string;
}

const phaseIcons: Record<string, string> = {
  queued: '🕐',
  running: '⏳',
  completed: '✅',
  'partly-merged': '🟡',
  'nothing-merged': '⭕',
  failed: '❌',
  cancelled: '🛑',
  'budget-exceeded': '💸',
  interrupted: '⚠️',
};
const stepIcons: Record<string, string> = { done: '✓', 'in-progress': '▸', blocked: '✗', pending: '·' };
const mergeTexts: Record<string, string> = {
  merged: 'merged ✓',
  'already-merged': 'already merged ✓',
  conflict: 'conflict ✗',
  refused: 'merge refused',
  reverted: 'reverted (smoke test failed)',
  failed: 'merge failed',
};
const maxWorktreesShown = 10;
const maxPlanStepsShown = 12;

/** A fresh view for a task (`label` is how the chat refers to it, e.g. `#42`). */
export function createProgressView(label: string, text: string): ProgressView {
  return {
    label,
    text,
    phase: 'queued',
    attempt: 1,
    plan: [],
    worktrees: new Map(),
    branches: new Map(),
    deniedCount: 0,
    notes: [],
    codexTokensByRun: new Map(),
  };
}

/**
 * Folds one event into the view. Unknown event types (newer cores add events) are ignored, and
 * missing fields are tolerated: events are data from another process and may be partial.
 */
export function applyProgressEvent(view: ProgressView, event: OrchestratorEvent | { type: string }): void {
  if (view.phase === 'queued') view.phase = 'running';
  const known = event as OrchestratorEvent;
  switch (known.type) {
    case 'task-start':
      view.attempt = known.attempt ?? view.attempt;
      return;
    case 'task-interrupt':
      addNote(view, `Interrupted (attempt ${known.attempt}): ${known.action}`);
      return;
    case 'plan-update':
      if (Array.isArray(known.steps)) view.plan = known.steps;
      return;
    case 'command-start':
      view.lastCommand = `$ ${oneLine(known.command ?? '')} (${known.worktree ?? '?'})`;
      return;
    case 'command-denied':
      view.deniedCount += 1;
      return;
    case 'error':
      view.lastError = oneLine(known.message ?? known.code ?? 'error');
      return;
    case 'usage-update':
      view.usage = {
        orchestrator: known.orchestrator?.totalTokens ?? 0,
        workers: known.workers?.totalTokens ?? 0,
        costUsd: known.costUsd ?? 0,
      };
      return;
    case 'worker-usage':
      if (known.workerRunId) {
        const previous = view.codexTokensByRun.get(known.workerRunId) ?? 0;
        view.codexTokensByRun.set(known.workerRunId, previous + (known.usage?.totalTokens ?? 0));
      }
      return;
    case 'budget-exceed':
      addNote(view, `Budget reached: ${known.limit} cap ${known.cap} (used ${known.used})`);
      return;
    case 'main-restore':
      addNote(view, `Main restored to ${String(known.to).slice(0, 8)}: ${oneLine(known.reason ?? '', 120)}`);
      return;
    case 'review-end':
      setBranch(view, known.branch, 'review', `review: ${known.verdict}`);
      return;
    case 'approval-start':
      setBranch(view, known.branch, 'approval', 'awaiting approval');
      return;
    case 'approval-end':
      setBranch(view, known.branch, 'approval', known.approved ? 'approved' : 'not approved');
      return;
    case 'merge-start':
      setBranch(view, known.branch, 'merge', 'merging');
      return;
    case 'merge-end':
      setBranch(view, known.branch, 'merge', mergeTexts[known.outcome] ?? String(known.outcome));
      return;
    case 'merge-conflict':
      setBranch(view, known.branch, 'merge', `conflict ✗ (${(known.files ?? []).length} files)`);
      return;
    case 'smoke-test-end':
      setBranch(view, known.branch, 'smoke', known.passed ? 'smoke test ✓' : 'smoke test ✗');
      return;
  }
  // Worktree rows come from worktree and worker events only (commands in main are not subtasks).
  if (!/^(worker|worktree)-/.test(known.type) || !('worktree' in known) || typeof known.worktree !== 'string')
    return;
  applyWorktreeEvent(view, worktreeOf(view, known.worktree), known);
}

function applyWorktreeEvent(view: ProgressView, worktree: WorktreeProgress, event: OrchestratorEvent): void {
  switch (event.type) {
    case 'worktree-create':
      if (event.branch) worktree.branch = event.branch;
      worktree.state = event.reused ? 'reused' : 'created';
      break;
    case 'worktree-remove':
      worktree.state = 'removed';
      break;
    case 'worker-start':
      worktree.state = 'codex running';
      break;
    case 'worker-command-start':
      worktree.lastAction = `$ ${oneLine(unwrapShell(event.command ?? ''))}`;
      break;
    case 'worker-command-end':
      worktree.lastAction = `$ ${oneLine(unwrapShell(event.command ?? ''))} → exit ${event.exitCode ?? '?'}`;
      break;
    case 'worker-file-change':
      for (const change of event.changes ?? []) worktree.changedFiles.add(change.path);
      break;
    case 'worker-end':
      worktree.state = `codex ${event.result?.status ?? 'ended'}`;
      if (event.result?.usage && event.workerRunId) {
        view.codexTokensByRun.set(event.workerRunId, event.result.usage.totalTokens ?? 0);
      }
      for (const change of event.result?.filesChanged ?? []) worktree.changedFiles.add(change.path);
      break;
    default:
      break;
  }
}

/** Marks the end of the task in the view. */
export function finishProgressView(view: ProgressView, outcome: TaskOutcome, detail?: string): void {
  view.phase = outcome;
  if (detail !== undefined && detail.trim().length > 0) view.detail = oneLine(detail, 300);
}

/** The progress message text: plain text (no parse mode, so hostile text cannot inject markup). */
export function renderProgressView(view: ProgressView): string {
  const attempt = view.attempt > 1 ? ` (attempt ${view.attempt})` : '';
  const lines = [`${phaseIcons[view.phase] ?? '•'} Task ${view.label} · ${view.phase}${attempt}`];
  lines.push(`“${oneLine(view.text, 160)}”`);
  if (view.detail) lines.push(view.detail);
  if (view.plan.length > 0) {
    lines.push('', 'Plan:');
    for (const step of view.plan.slice(0, maxPlanStepsShown)) {
      const where = step.worktree ? ` [${step.worktree}]` : '';
      lines.push(` ${stepIcons[step.status] ?? '·'} ${oneLine(step.title ?? '', 100)}${where}`);
    }
    if (view.plan.length > maxPlanStepsShown)
      lines.push(` … and ${view.plan.length - maxPlanStepsShown} more`);
  }
  const worktrees = [...view.worktrees.values()];
  if (worktrees.length > 0) lines.push('');
  for (const worktree of worktrees.slice(0, maxWorktreesShown)) {
    const branch = worktree.branch && worktree.branch !== worktree.name ? ` [${worktree.branch}]` : '';
    const files = worktree.changedFiles.size > 0 ? ` · ${worktree.changedFiles.size} files` : '';
    lines.push(`▸ ${worktree.name}${branch}: ${worktree.state}${files}`);
    if (worktree.lastAction) lines.push(`   ${worktree.lastAction}`);
  }
  if (worktrees.length > maxWorktreesShown)
    lines.push(`   … and ${worktrees.length - maxWorktreesShown} more`);
  if (view.branches.size > 0) {
    lines.push('', 'Branches:');
    for (const [branch, states] of view.branches)
      lines.push(` ${branch}: ${[...states.values()].join(' · ')}`);
  }
  const summary = summaryLines(view);
  if (summary.length > 0) lines.push('', ...summary);
  if (view.phase === 'queued' || view.phase === 'running') {
    lines.push('', `Cancel: /cancel ${view.label.replace(/^#/, '')}`);
  }
  return lines.join('\n').slice(0, telegramMessageLimit);
}

function summaryLines(view: ProgressView): string[] {
  const summary: string[] = [];
  if (view.lastCommand) summary.push(`Orchestrator: ${view.lastCommand}`);
  if (view.deniedCount > 0) summary.push(`Denied commands: ${view.deniedCount}`);
  if (view.lastError) summary.push(`Last error: ${view.lastError}`);
  summary.push(...view.notes);
  const format = (count: number) => count.toLocaleString('en-US');
  if (view.usage !== undefined) {
    const { orchestrator, workers, costUsd } = view.usage;
    const cost = costUsd > 0 ? ` · ~$${costUsd.toFixed(2)}` : '';
    summary.push(
      `Tokens: ${format(orchestrator + workers)} (orchestrator ${format(orchestrator)}, codex ${format(workers)})${cost}`,
    );
  } else {
    const codex = [...view.codexTokensByRun.values()].reduce((sum, value) => sum + value, 0);
    if (codex > 0) summary.push(`Codex tokens: ${format(codex)}`);
  }
  return summary;
}

function setBranch(
  view: ProgressView,
  branch: string | undefined,
  key: 'review' | 'approval' | 'merge' | 'smoke',
  text: string,
) {
  if (typeof branch !== 'string' || branch.length === 0) return;
  let states = view.branches.get(branch);
  if (states === undefined) {
    states = new Map();
    view.branches.set(branch, states);
  }
  states.set(key, text);
}

function addNote(view: ProgressView, note: string) {
  view.notes = [...view.notes.filter((existing) => existing !== note), note].slice(-3);
}

function worktreeOf(view: ProgressView, name: string): WorktreeProgress {
  let worktree = view.worktrees.get(name);
  if (worktree === undefined) {
    worktree = { name, state: 'seen', changedFiles: new Set() };
    view.worktrees.set(name, worktree);
  }
  return worktree;
}

/** Codex reports commands as `/bin/bash -lc "<script>"`; the script is what the user wants to see. */
function unwrapShell(command: string): string {
  const match = /^(?:\S*\/)?(?:ba|z)?sh -l?c (["'])([\s\S]*)\1$/.exec(command.trim());
  return match === null ? command : match[2]!;
}

function oneLine(text: string, limit = 80): string {
  const flat = String(text).replace(/\s+/g, ' ').trim();
  return flat.length > limit ? `${flat.slice(0, limit - 1)}…` : flat;
}
