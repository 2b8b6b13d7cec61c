import type { RunState } from '../run-state/run-state.js';
import { cleanTrackerText } from './render-tracker-task-text.js';

/**
 * The hidden marker that ends every comment the state machine posts: it names the step the comment
 * belongs to, so after a crash between "posted" and "recorded" the comment is found again instead
 * of posted twice. Only our own comments count (a stranger could copy the marker).
 */
export function stepMarker(stepKey: string): string {
  return `<!-- codex-orchestrator:${stepKey.replace(/-->/g, '')} -->`;
}

/** Text from a model, codex or the repository, made safe for one markdown line. */
const inline = (text: string, max = 200) =>
  cleanTrackerText(text, max).replace(/[`\n]/g, ' ').replace(/@/g, '@\u200b');
const code = (text: string, max = 120) => `\`${inline(text, max)}\``;

/** The one progress comment, edited in place while the run goes. */
export function renderProgressComment(
  state: RunState | undefined,
  details: { project: string; phase: 'queued' | 'running' | 'ended' },
): string {
  const lines = [`**codex-orchestrator** is on it (project ${code(details.project, 40)}).`, ''];
  if (!state || details.phase === 'queued') {
    lines.push('Status: queued, waiting for a free slot.');
    return lines.join('\n');
  }
  lines.push(`Status: ${details.phase === 'ended' ? `ended (${state.status})` : state.activity.kind}`);
  if (state.plan.length > 0) {
    lines.push('', 'Plan:');
    for (const step of state.plan.slice(0, 20)) lines.push(`- ${inline(step.title)}`);
  }
  if (state.subtasks.length > 0) {
    lines.push('', 'Worktrees:');
    for (const subtask of state.subtasks.slice(0, 20))
      lines.push(`- ${code(subtask.worktree, 80)}: ${subtask.phase}`);
  }
  const usage = usageLine(state);
  if (usage) lines.push('', usage);
  return lines.join('\n');
}

function usageLine(state: RunState): string | undefined {
  if (!state.usage) return undefined;
  const tokens = state.usage.orchestrator.totalTokens + state.usage.workers.totalTokens;
  return `Tokens: ${tokens.toLocaleString('en-US')}, estimated cost: $${state.usage.costUsd.toFixed(state.usage.costUsd < 1 ? 4 : 2)}`;
}

const outcomeTitles: Record<string, string> = {
  completed: 'Done: every branch is merged.',
  'partly-merged': 'Needs review: some branches merged, some did not.',
  'nothing-merged': 'Needs review: work exists on branches, none merged.',
  failed: 'Failed.',
  cancelled: 'Cancelled.',
  'budget-exceeded': 'Stopped: the budget ran out.',
};

/** The comment posted once when the run ends: outcome, merged branches and commits, tests, cost. */
export function renderEndComment(
  state: RunState | undefined,
  result: { outcome: string; error?: string; reportMarkdown?: string },
): string {
  const lines = [`**codex-orchestrator**: ${outcomeTitles[result.outcome] ?? inline(result.outcome, 40)}`];
  if (result.error) lines.push('', `Reason: ${inline(result.error, 500)}`);
  if (state?.end?.summary) lines.push('', inline(state.end.summary, 1_000));
  const merges = state?.merges ?? [];
  if (merges.length > 0) {
    lines.push('', 'Branches:');
    for (const merge of merges.slice(0, 30))
      lines.push(
        `- ${code(merge.branch, 80)}: ${merge.outcome}${merge.branchCommit ? ` (${code(merge.branchCommit.slice(0, 12), 12)})` : ''}${merge.reason ? `: ${inline(merge.reason, 160)}` : ''}`,
      );
  }
  const tests = state?.tests ?? [];
  if (tests.length > 0) {
    const passed = tests.filter((test) => test.passed).length;
    lines.push('', `Tests: ${passed} of ${tests.length} passed`);
    for (const test of tests.filter((entry) => !entry.passed).slice(0, 10))
      lines.push(
        `- failed in ${code(test.worktree, 60)}: ${code(test.command, 120)} (exit ${test.exitCode ?? '?'})`,
      );
  }
  if (state?.end?.mainCommit) lines.push('', `Main is at ${code(state.end.mainCommit.slice(0, 12), 12)}.`);
  const usage = state ? usageLine(state) : undefined;
  if (usage) lines.push('', usage);
  if (result.reportMarkdown) {
    // The report quotes models and codex: cleaned, capped, and shown as code so it cannot mention
    // people, embed images or links.
    const report = cleanTrackerText(result.reportMarkdown, 20_000).replace(/~~~/g, '~ ~ ~');
    lines.push('', '<details><summary>Full report</summary>', '', '~~~text', report, '~~~', '', '</details>');
  }
  return lines.join('\n');
}

/** The comment that asks for a merge approval. */
export function renderApprovalComment(approval: {
  branch: string;
  commit: string;
  details?: unknown;
}): string {
  const diffStat = (approval.details as { diffStat?: unknown } | undefined)?.diffStat;
  const lines = [
    `**codex-orchestrator** waits for approval to merge ${code(approval.branch, 80)} at ${code(approval.commit.slice(0, 12), 12)} into main.`,
    '',
    `Reply \`/approve ${inline(approval.branch, 80)}\` to merge or \`/reject ${inline(approval.branch, 80)}\` to keep it unmerged (people with write access only).`,
  ];
  if (typeof diffStat === 'string' && diffStat.trim() !== '')
    lines.push('', '~~~text', cleanTrackerText(diffStat, 4_000).replace(/~~~/g, '~ ~ ~'), '~~~');
  return lines.join('\n');
}
