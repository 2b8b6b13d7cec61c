import { execFile } from 'node:child_process';
import { join } from 'node:path';
import type { OrchestratorReport } from '@codex-orchestrator/core';
import { toTerminalLine } from './terminal-text.js';

/** A command that ran tests by its words (broader than core's list: `npm run tests-only`, `node test/x.js`). */
const testWords =
  /(^|[\s/'"=-])(tests?|spec|specs|jest|vitest|mocha|tape|ava|pytest|tox|nox)([\s/'".:_-]|$)|(^|\s)(go|cargo)\s+test\b|--test\b/;

function gitLines(args: string[], cwd: string): Promise<string[]> {
  return new Promise((resolve) => {
    execFile('git', args, { cwd, maxBuffer: 8 * 1024 * 1024 }, (error, stdout) =>
      resolve(error ? [] : stdout.split('\n').filter((line) => line !== '')),
    );
  });
}

const code = (text: string) => `\`${toTerminalLine(text, 200).replace(/`/g, "'")}\``;

/**
 * The part of the CLI's report core's summary leaves out: where the base dir, the audit log and
 * every worktree are (full paths), the files each task branch changed according to git (not
 * codex's events: codex also writes through shell commands), and every command that ran tests or
 * failed, with its worktree, whatever the test runner.
 */
export async function renderReportAppendix(
  report: OrchestratorReport,
  auditLogPath: string,
): Promise<string> {
  const main = join(report.baseDir, 'main');
  const lines: string[] = ['', '## Where things are', ''];
  lines.push(`- Base dir: ${code(report.baseDir)}`);
  lines.push(`- Audit log (every command and the policy's decision): ${code(auditLogPath)}`);
  for (const worktree of report.worktrees) {
    const path = worktree.path ?? join(report.baseDir, worktree.name);
    lines.push(
      `- Worktree ${code(worktree.name)}: ${code(path)}${worktree.branch ? `, branch ${code(worktree.branch)}` : ''}${worktree.removed ? ' (removed)' : ''}`,
    );
  }
  const branches = [
    ...new Set(report.worktrees.map((worktree) => worktree.branch).filter((branch) => branch !== undefined)),
  ];
  if (branches.length > 0) {
    lines.push('', '## Files changed per branch (from git)', '');
    for (const branch of branches) {
      const files = await gitLines(
        ['diff', '--name-only', `${report.main.startCommit}...refs/heads/${branch}`, '--'],
        main,
      );
      lines.push(
        `- ${code(branch)}: ${files.length === 0 ? 'no changes' : `${files.length} file${files.length === 1 ? '' : 's'}: ${files.map((file) => code(join(report.baseDir, 'main', file))).join(', ')}`}`,
      );
    }
  }
  const relevant = report.commands.filter(
    (command) =>
      command.status === 'failed' ||
      command.status === 'timed-out' ||
      (command.exitCode !== null && command.exitCode !== 0) ||
      testWords.test(command.command),
  );
  const smokeTests = report.tests.filter((test) => test.source === 'smoke-test');
  if (relevant.length > 0 || smokeTests.length > 0) {
    lines.push('', '## Commands that ran tests or failed', '');
    for (const command of relevant) {
      const outcome = command.status === 'denied' ? 'denied' : `exit ${command.exitCode ?? command.status}`;
      lines.push(
        `- ${code(command.worktree)} (${code(join(report.baseDir, command.worktree))}): ${code(command.command)} → ${outcome}`,
      );
    }
    // A smoke test runs after each merge, in merge order: the n-th belongs to the n-th merge that
    // got as far as main (kept, or reverted because the smoke test failed).
    const tested = report.merges.filter(
      (merge) => merge.outcome === 'merged' || merge.outcome === 'reverted',
    );
    for (const [index, test] of smokeTests.entries()) {
      const after = tested[index];
      lines.push(
        `- smoke test in ${code('main')}${after ? ` after merging ${code(after.branch)}` : ''}: ${code(test.command)} → ${test.passed ? 'passed' : `failed (exit ${test.exitCode})`}`,
      );
    }
  }
  return `${lines.join('\n')}\n`;
}
