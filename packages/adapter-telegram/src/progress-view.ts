import {
  type BranchState,
  createRunState,
  type OrchestratorEvent,
  type RunState,
  reduceRunState,
  type SubtaskState,
  type TaskOutcome,
} from '@codex-orchestrator/core';
import { telegramMessageLimit } from './split-telegram-text.js';

/**
 * The state behind one task's progress message: core's run state (`reduceRunState`, the same
 * fold the CLI and the report use) plus what only the chat knows (its label, the task text, the
 * outcome the dispatcher reported).
 */
export interface ProgressView {
  label: string;
  text: string;
  state: RunState;
  /** Set by `finishProgressView` when the dispatcher reports the task's end. */
  outcome?: TaskOutcome;
  detail?: string;
}

/** The icon of each task outcome: in the progress message and in the final report message. */
export const outcomeIcons: Record<TaskOutcome, string> = {
  completed: '✅',
  'partly-merged': '🟡',
  'nothing-merged': '⭕',
  failed: '❌',
  cancelled: '🛑',
  'budget-exceeded': '💸',
};

const phaseIcons: Record<string, string> = { queued: '🕐', running: '⏳', ...outcomeIcons };
const stepIcons: Record<string, string> = { done: '✓', 'in-progress': '▸', blocked: '✗', pending: '·' };
const mergeTexts: Record<string, string> = {
  merging: 'merging',
  merged: 'merged ✓',
  'already-merged': 'already merged ✓',
  conflict: 'conflict ✗',
  refused: 'merge refused',
  reverted: 'reverted (smoke test failed)',
  failed: 'merge failed',
};
const approvalTexts: Record<string, string> = {
  pending: 'awaiting approval',
  approved: 'approved',
  declined: 'not approved',
};
const maxWorktreesShown = 10;
const maxPlanStepsShown = 12;

/** A fresh view for a task (`label` is how the chat refers to it, e.g. `#42`). */
export function createProgressView(label: string, text: string): ProgressView {
  return { label, text, state: createRunState() };
}

/**
 * Folds one event into the view. Unknown event types (newer cores add events) and events the
 * reducer cannot read (data from another process may be partial) leave it as it was.
 */
export function applyProgressEvent(view: ProgressView, event: OrchestratorEvent | { type: string }): void {
  view.state = reduceRunState(view.state, event as OrchestratorEvent);
}

/** Marks the end of the task in the view. */
export function finishProgressView(view: ProgressView, outcome: TaskOutcome, detail?: string): void {
  view.outcome = outcome;
  if (detail !== undefined && detail.trim().length > 0) view.detail = oneLine(detail, 300);
}

/** The progress message text: plain text (no parse mode, so hostile text cannot inject markup). */
export function renderProgressView(view: ProgressView): string {
  const { state } = view;
  const phase = view.outcome ?? state.status;
  const attempt = state.attempt > 1 ? ` (attempt ${state.attempt})` : '';
  const lines = [`${phaseIcons[phase] ?? '•'} Task ${view.label} · ${phase}${attempt}`];
  lines.push(`“${oneLine(view.text, 160)}”`);
  if (view.detail) lines.push(view.detail);
  if (state.plan.length > 0) {
    lines.push('', 'Plan:');
    for (const step of state.plan.slice(0, maxPlanStepsShown)) {
      const where = step.worktree ? ` [${step.worktree}]` : '';
      lines.push(` ${stepIcons[step.status] ?? '·'} ${oneLine(step.title ?? '', 100)}${where}`);
    }
    if (state.plan.length > maxPlanStepsShown)
      lines.push(` … and ${state.plan.length - maxPlanStepsShown} more`);
  }
  // Worktree rows come from worktree and worker events only (commands in main are not subtasks).
  const worktrees = state.subtasks.filter((subtask) => subtask.materialized);
  if (worktrees.length > 0) lines.push('');
  for (const worktree of worktrees.slice(0, maxWorktreesShown)) {
    const branch = worktree.branch && worktree.branch !== worktree.worktree ? ` [${worktree.branch}]` : '';
    const files = worktree.changedFiles.length > 0 ? ` · ${worktree.changedFiles.length} files` : '';
    lines.push(`▸ ${worktree.worktree}${branch}: ${worktreeStateText(state, worktree)}${files}`);
    const command = worktree.codexCommand;
    if (command !== undefined) {
      const exit = command.exitCode === undefined ? '' : ` → exit ${command.exitCode ?? '?'}`;
      lines.push(`   $ ${oneLine(unwrapShell(command.command))}${exit}`);
    }
  }
  if (worktrees.length > maxWorktreesShown)
    lines.push(`   … and ${worktrees.length - maxWorktreesShown} more`);
  const branches = state.branches.map((branch) => [branch.branch, branchTexts(branch)] as const);
  if (branches.some(([, texts]) => texts.length > 0)) {
    lines.push('', 'Branches:');
    for (const [branch, texts] of branches)
      if (texts.length > 0) lines.push(` ${branch}: ${texts.join(' · ')}`);
  }
  const summary = summaryLines(view);
  if (summary.length > 0) lines.push('', ...summary);
  if (phase === 'queued' || phase === 'running') {
    lines.push('', `Cancel: /cancel ${view.label.replace(/^#/, '')}`);
  }
  return lines.join('\n').slice(0, telegramMessageLimit);
}

/** `created`, `codex running`, `codex failed`, `removed`...: the worktree's lifecycle in words. */
function worktreeStateText(state: RunState, subtask: SubtaskState): string {
  if (subtask.phase === 'removed') return 'removed';
  const run = state.workerRuns.findLast((known) => known.worktree === subtask.worktree);
  if (run !== undefined) return `codex ${run.status}`;
  const record = state.worktrees.find((known) => known.name === subtask.worktree);
  if (record !== undefined) return record.reused ? 'reused' : 'created';
  return 'seen';
}

function branchTexts(branch: BranchState): string[] {
  const texts: string[] = [];
  if (branch.review !== undefined) texts.push(`review: ${branch.review}`);
  if (branch.approval !== undefined) texts.push(approvalTexts[branch.approval] ?? branch.approval);
  if (branch.merge === 'conflict-found')
    texts.push(`conflict ✗ (${branch.conflictFiles?.length ?? 0} files)`);
  else if (branch.merge !== undefined) texts.push(mergeTexts[branch.merge] ?? branch.merge);
  if (branch.smokeTest === 'passed') texts.push('smoke test ✓');
  if (branch.smokeTest === 'failed') texts.push('smoke test ✗');
  return texts;
}

function notesOf(state: RunState): string[] {
  const notes = [
    ...state.interrupts.map((interrupt) => `Interrupted (attempt ${interrupt.attempt}): ${interrupt.action}`),
    ...(state.budget === undefined
      ? []
      : [`Budget reached: ${state.budget.limit} cap ${state.budget.cap} (used ${state.budget.used})`]),
    ...state.restores.map(
      (restore) =>
        `Main restored to ${String(restore.to).slice(0, 8)}: ${oneLine(restore.reason ?? '', 120)}`,
    ),
  ];
  return [...new Set(notes)].slice(-3);
}

function summaryLines(view: ProgressView): string[] {
  const { state } = view;
  const summary: string[] = [];
  const lastCommand = state.commands.findLast((command) => command.decision === 'allow');
  if (lastCommand)
    summary.push(`Orchestrator: $ ${oneLine(lastCommand.command ?? '')} (${lastCommand.worktree ?? '?'})`);
  const denied = state.commands.filter((command) => command.decision === 'deny').length;
  if (denied > 0) summary.push(`Denied commands: ${denied}`);
  const lastError = state.errors.at(-1);
  if (lastError) summary.push(`Last error: ${oneLine(lastError.message ?? lastError.code ?? 'error')}`);
  summary.push(...notesOf(state));
  const format = (count: number) => count.toLocaleString('en-US');
  if (state.usage !== undefined) {
    const orchestrator = state.usage.orchestrator?.totalTokens ?? 0;
    const workers = state.usage.workers?.totalTokens ?? 0;
    const costUsd = state.usage.costUsd ?? 0;
    const cost = costUsd > 0 ? ` · ~$${costUsd.toFixed(2)}` : '';
    summary.push(
      `Tokens: ${format(orchestrator + workers)} (orchestrator ${format(orchestrator)}, codex ${format(workers)})${cost}`,
    );
  } else {
    // Per-turn worker-usage, added up per run by the reducer.
    const codex = state.workerRuns.reduce((sum, run) => sum + run.usage.totalTokens, 0);
    if (codex > 0) summary.push(`Codex tokens: ${format(codex)}`);
  }
  return summary;
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
