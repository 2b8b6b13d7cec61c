/**
 * The part of a report that says where everything is and what really happened: full paths of the
 * base dir, the audit log and every worktree; the files each branch changed according to git; and
 * every command that ran tests or failed, with its worktree. Every medium renders the same data
 * (the CLI and file report in full, a chat message shortened).
 */
import { join } from 'node:path';
import type { OrchestratorReport } from './report-schema.js';

/** Options of `renderReportAppendix`. */
export interface RenderReportAppendixOptions {
  /** Most entries per section (the rest are counted). Default: all. */
  maxItems?: number;
  /** Most files listed per branch (the rest are counted). Default 50. */
  maxFilesPerBranch?: number;
}

/** A command that ran tests by its words (any runner: `npm run tests-only`, `node test/x.js`, `go test`). */
const testWords =
  /(^|[\s/'"=-])(tests?|spec|specs|jest|vitest|mocha|tape|ava|pytest|tox|nox)([\s/'".:_-]|$)|(^|\s)(go|cargo)\s+test\b|--test\b/;

const code = (text: string) => `\`${text.replace(/`/g, "'").replace(/\s+/g, ' ').slice(0, 200)}\``;

function capped(lines: string[], maxItems: number | undefined): string[] {
  if (maxItems === undefined || lines.length <= maxItems) return lines;
  return [...lines.slice(0, maxItems), `- (${lines.length - maxItems} more)`];
}

/** The commands of the report that ran tests (by their words) or failed. */
export function testOrFailedCommands(report: OrchestratorReport): OrchestratorReport['commands'] {
  return report.commands.filter(
    (command) =>
      command.status === 'failed' ||
      command.status === 'timed-out' ||
      (command.exitCode !== null && command.exitCode !== 0) ||
      testWords.test(command.command),
  );
}

/**
 * Renders the appendix as markdown sections (`## Where things are`, `## Files changed per branch
 * (from git)`, `## Commands that ran tests or failed`); empty sections are left out.
 *
 * @example
 * renderReportAppendix(report, { maxItems: 5 }); // for a chat message
 */
export function renderReportAppendix(
  report: OrchestratorReport,
  options: RenderReportAppendixOptions = {},
): string {
  const { maxItems } = options;
  const maxFiles = options.maxFilesPerBranch ?? 50;
  const mainPath = join(report.baseDir, 'main');
  const worktreePath = (name: string) =>
    report.worktrees.find((worktree) => worktree.name === name)?.path ?? join(report.baseDir, name);
  const sections: string[] = [];

  const where = [`- Base dir: ${code(report.baseDir)}`];
  if (report.auditLogPath !== undefined)
    where.push(`- Audit log (every command and the policy's decision): ${code(report.auditLogPath)}`);
  for (const worktree of report.worktrees) {
    where.push(
      `- Worktree ${code(worktree.name)}: ${code(worktreePath(worktree.name))}` +
        `${worktree.branch ? `, branch ${code(worktree.branch)}` : ''}${worktree.removed ? ' (removed)' : ''}`,
    );
  }
  sections.push(['## Where things are', '', ...capped(where, maxItems)].join('\n'));

  const merged = new Set(
    report.merges
      .filter((merge) => merge.outcome === 'merged' || merge.outcome === 'already-merged')
      .map((merge) => merge.branch),
  );
  const branchLines = (report.branchFiles ?? []).map(({ branch, worktree, files }) => {
    if (files.length === 0) return `- ${code(branch)}: no changes`;
    const removed = report.worktrees.find((entry) => entry.name === worktree)?.removed ?? true;
    // Full paths where the file is: main once merged, else the worktree while it exists.
    const root = merged.has(branch)
      ? mainPath
      : worktree !== undefined && !removed
        ? worktreePath(worktree)
        : undefined;
    const shown = files.slice(0, maxFiles).map((file) => code(root === undefined ? file : join(root, file)));
    const more = files.length > maxFiles ? `, and ${files.length - maxFiles} more` : '';
    return `- ${code(branch)}${merged.has(branch) ? ' (merged)' : ''}: ${files.length} file${files.length === 1 ? '' : 's'}: ${shown.join(', ')}${more}`;
  });
  if (branchLines.length > 0)
    sections.push(
      ['## Files changed per branch (from git)', '', ...capped(branchLines, maxItems)].join('\n'),
    );

  const commandLines = testOrFailedCommands(report).map((command) => {
    const outcome =
      command.status === 'denied'
        ? 'denied'
        : command.exitCode === null
          ? command.status
          : `exit ${command.exitCode}`;
    return `- ${code(command.worktree)} (${code(worktreePath(command.worktree))}): ${code(command.command)} → ${outcome}`;
  });
  // A smoke test runs after each merge that reached main, in merge order: the n-th belongs to the
  // n-th such merge (kept, or reverted because the smoke test failed).
  const tested = report.merges.filter((merge) => merge.outcome === 'merged' || merge.outcome === 'reverted');
  const smokeTests = report.tests.filter((test) => test.source === 'smoke-test');
  for (const [index, test] of smokeTests.entries()) {
    const after = tested[index];
    commandLines.push(
      `- smoke test in ${code('main')} (${code(mainPath)})${after ? ` after merging ${code(after.branch)}` : ''}: ${code(test.command)} → ${test.passed ? 'passed' : `failed (exit ${test.exitCode})`}`,
    );
  }
  if (commandLines.length > 0)
    sections.push(['## Commands that ran tests or failed', '', ...capped(commandLines, maxItems)].join('\n'));
  return `${sections.join('\n\n')}\n`;
}
