/** Renders an `OrchestratorReport` as markdown for people (CLI output, a chat message, a file). */
import { renderReportAppendix } from './render-report-appendix.js';
import type { OrchestratorReport } from './report-schema.js';

/** Options of `renderReportMarkdown`. */
export interface RenderReportOptions {
  /** Most commands listed (the rest are counted). Default 200. */
  maxCommands?: number;
}

const statusLabel: Record<OrchestratorReport['status'], string> = {
  completed: 'completed: every task branch is merged into main',
  'partly-merged': 'partly merged: some task branches are not in main',
  'nothing-merged': 'nothing merged: no task branch reached main',
  failed: 'failed',
  cancelled: 'cancelled',
  'budget-exceeded': 'stopped: budget exceeded',
};

const mainStateLabel: Record<OrchestratorReport['main']['state'], string> = {
  start: 'unchanged (at its start commit)',
  merged: 'at the last commit the merge queue merged (and smoke-tested, when a smoke test is set)',
  restored: 'restored by the end-of-run guard to the last commit the merge queue merged',
  unsafe: 'NOT VERIFIED: the end-of-run guard failed, inspect main by hand',
};

const short = (commit: string | undefined) => (commit ? commit.slice(0, 10) : '?');
const code = (text: string) => `\`${text.replace(/`/g, "'").replace(/\s+/g, ' ').slice(0, 200)}\``;
const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\s+/g, ' ').trim();
const seconds = (milliseconds: number | undefined) =>
  milliseconds === undefined ? '-' : `${(milliseconds / 1000).toFixed(1)} s`;
const number = (value: number) => value.toLocaleString('en-US');

/**
 * Renders the report. Every value from the model, codex or the task is shown as text in code
 * spans or table cells (pipes escaped), never as markdown structure of its own.
 *
 * @example
 * const report = await runOrchestrator(task, options).report;
 * console.log(renderReportMarkdown(report));
 */
export function renderReportMarkdown(report: OrchestratorReport, options: RenderReportOptions = {}): string {
  const maxCommands = options.maxCommands ?? 200;
  const lines: string[] = [];
  const push = (...added: string[]) => lines.push(...added);
  const total = report.usage.total;

  push(`# Orchestrator report: ${statusLabel[report.status]}`, '');
  push(`- Task: ${cell(report.task.split('\n')[0] ?? '').slice(0, 300)}`);
  push(`- Run: ${report.runId}${report.taskId ? ` (task ${report.taskId})` : ''}, model ${report.model}`);
  push(`- Duration: ${seconds(report.durationMs)} (${report.startedAt} to ${report.endedAt})`);
  if (report.sandbox === 'off') {
    push(
      "- Sandbox: OFF (sandbox: 'off' / --unsafe-no-sandbox): code from the worktrees ran with your full rights",
    );
  }
  push(
    `- Main: ${mainStateLabel[report.main.state]}: ${short(report.main.endCommit)} (started at ${short(report.main.startCommit)})`,
  );
  push(
    `- Tokens: ${number(total.totalTokens)} (orchestrator ${number(report.usage.orchestrator.totalTokens)} in ${report.usage.modelCalls} model calls, workers ${number(report.usage.workers.totalTokens)}); estimated cost $${report.usage.costUsd.toFixed(4)}` +
      (report.usage.unpricedModels.length > 0
        ? ` (no price for ${report.usage.unpricedModels.join(', ')})`
        : ''),
  );
  if (report.error) push(`- Error: ${cell(report.error)}`);
  if (report.budget.exceeded) {
    push(
      `- Budget: exceeded (${report.budget.limit} cap ${report.budget.cap}, used ${report.budget.limit === 'cost-usd' ? `$${report.budget.used?.toFixed(4)}` : report.budget.used}); running codex runs were ${report.budget.action === 'cancel-running' ? 'cancelled' : 'allowed to finish'}`,
    );
  }
  push('');

  if (report.summary.trim() !== '') push('## Summary', '', report.summary.trim(), '');

  if (report.plan.length > 0) {
    push('## Plan', '');
    for (const step of report.plan) {
      const mark = step.status === 'done' ? 'x' : ' ';
      push(
        `- [${mark}] ${cell(step.title)}${step.worktree ? ` (${step.worktree})` : ''}${step.status === 'done' || step.status === 'pending' ? '' : `: ${step.status}`}`,
      );
    }
    push('');
  }

  if (report.merges.length > 0) {
    push('## Merges', '', '| Branch | Outcome | Main after | Notes |', '|---|---|---|---|');
    for (const merge of report.merges) {
      const note = merge.conflictFiles
        ? `conflicts in ${merge.conflictFiles.join(', ')}`
        : (merge.reason ?? '');
      push(
        `| ${merge.branch} | ${merge.outcome} | ${short(merge.mainCommit)} | ${cell(note).slice(0, 200)} |`,
      );
    }
    push('');
  }
  if (report.main.repairs.length > 0 || report.main.restores.length > 0) {
    push('## Main repairs', '');
    for (const restore of report.main.restores) {
      push(
        `- moved back from ${short(restore.from)} to ${short(restore.to)}: ${cell(restore.reason)}${restore.rescueBranch ? ` (commits kept on ${restore.rescueBranch})` : ''}`,
      );
    }
    for (const repair of report.main.repairs) push(`- ${cell(repair)}`);
    push('');
  }

  if (report.worktrees.length > 0) {
    push('## Worktrees and branches', '');
    for (const worktree of report.worktrees) {
      push(
        `- ${worktree.name}${worktree.branch ? ` on branch ${worktree.branch}` : ''}${worktree.reused ? ' (reused)' : ''}${worktree.removed ? ' (removed)' : ''}`,
      );
    }
    push('');
  }

  if (report.codexRuns.length > 0) {
    push(
      '## Codex runs',
      '',
      '| Worktree | Status | Files changed | Tokens | Time |',
      '|---|---|---|---|---|',
    );
    for (const run of report.codexRuns) {
      const files =
        run.filesChanged.length === 0
          ? '-'
          : cell(run.filesChanged.map((file) => file.split('/').slice(-2).join('/')).join(', ')).slice(
              0,
              200,
            );
      push(
        `| ${run.worktree} | ${run.status}${run.error ? `: ${cell(run.error).slice(0, 80)}` : ''}${run.refusals?.length ? ` (refused: ${cell(run.refusals.join('; ')).slice(0, 160)})` : ''} | ${files} | ${number(run.tokens.totalTokens)} | ${seconds(run.durationMs)} |`,
      );
    }
    push('');
  }

  if (report.tests.length > 0) {
    push('## Tests', '');
    for (const test of report.tests) {
      push(
        `- ${test.passed ? 'passed' : 'FAILED'}: ${code(test.command)} in ${test.worktree} (${test.source}${test.exitCode === null ? '' : `, exit ${test.exitCode}`})`,
      );
    }
    push('');
  }

  if (report.reviews.length > 0 || report.approvals.length > 0) {
    push('## Reviews and approvals', '');
    for (const review of report.reviews) {
      push(
        `- ${review.branch} @ ${short(review.commit)}: ${review.verdict} (${review.mode}) - ${cell(review.summary).slice(0, 300)}`,
      );
      for (const comment of review.comments.slice(0, 10)) {
        push(
          `  - ${comment.file ? `${comment.file}${comment.line === undefined ? '' : `:${comment.line}`}: ` : ''}${cell(comment.comment).slice(0, 300)}`,
        );
      }
    }
    for (const approval of report.approvals) {
      push(
        `- merge of ${approval.branch}: ${approval.approved ? 'approved' : 'declined'}${approval.error ? ` (${cell(approval.error)})` : ''}`,
      );
    }
    push('');
  }

  if (report.commands.length > 0) {
    const denied = report.commands.filter((command) => command.decision === 'deny').length;
    push(`## Commands (${report.commands.length}, ${denied} denied)`, '');
    push('| Worktree | Command | Decision | Result |', '|---|---|---|---|');
    for (const command of report.commands.slice(0, maxCommands)) {
      const decision =
        command.decision === 'deny' ? `denied${command.ruleId ? ` (${command.ruleId})` : ''}` : 'allowed';
      const result =
        command.decision === 'deny'
          ? cell(command.reason ?? '').slice(0, 160)
          : `${command.status}${command.exitCode === null ? '' : `, exit ${command.exitCode}`}${command.durationMs === undefined ? '' : `, ${seconds(command.durationMs)}`}`;
      push(`| ${cell(command.worktree)} | ${cell(code(command.command))} | ${decision} | ${result} |`);
    }
    if (report.commands.length > maxCommands)
      push('', `(${report.commands.length - maxCommands} more commands not shown)`);
    push('');
  }

  if (report.errors.length > 0) {
    push('## Errors', '');
    for (const error of report.errors) push(`- ${error.code}: ${cell(error.message)}`);
    push('');
  }
  push(renderReportAppendix(report));
  push('Costs are estimates from a price table, not a bill.');
  return `${lines.join('\n')}\n`;
}
