import { describe, expect, it } from 'vitest';
import { renderReportAppendix } from './render-report-appendix.js';
import { renderReportMarkdown } from './render-report-markdown.js';
import type { OrchestratorReport } from './report-schema.js';
import { emptyTokenUsage } from './token-usage.js';

const command = (
  worktree: string,
  text: string,
  status: OrchestratorReport['commands'][number]['status'],
  exitCode: number | null,
): OrchestratorReport['commands'][number] => ({
  callId: `${worktree}-${text}`,
  time: '2026-01-01T00:00:00.000Z',
  worktree,
  command: text,
  decision: status === 'denied' ? 'deny' : 'allow',
  status,
  exitCode,
});

function report(): OrchestratorReport {
  return {
    version: 1,
    runId: 'run-1',
    task: 'fix it',
    status: 'partly-merged',
    summary: '',
    model: 'gpt-5',
    baseDir: '/srv/shop',
    startedAt: '2026-01-01T00:00:00.000Z',
    endedAt: '2026-01-01T00:01:00.000Z',
    durationMs: 60_000,
    plan: [],
    worktrees: [
      { name: 'task-a', path: '/srv/shop/task-a', branch: 'task-a', reused: false, removed: false },
      { name: 'task-b', path: '/srv/shop/task-b', branch: 'task-b', reused: false, removed: true },
    ],
    commands: [
      command('task-a', 'npm run tests-only', 'ok', 0),
      command('task-a', 'node test/x.js', 'ok', 0),
      command('task-a', 'ls -la', 'ok', 0),
      command('task-b', 'npm run build', 'failed', 2),
      command('task-b', 'git push', 'denied', null),
    ],
    codexRuns: [],
    tests: [{ worktree: 'main', command: 'npm test', source: 'smoke-test', exitCode: 0, passed: true }],
    reviews: [],
    approvals: [],
    merges: [{ branch: 'task-a', worktree: 'task-a', outcome: 'merged', mainCommit: 'bbbb' }],
    main: { startCommit: 'aaaa', endCommit: 'bbbb', state: 'merged', repairs: [], restores: [] },
    budget: { exceeded: false },
    usage: {
      orchestrator: emptyTokenUsage(),
      workers: emptyTokenUsage(),
      total: emptyTokenUsage(),
      costUsd: 0,
      unpricedModels: [],
      modelCalls: 1,
    },
    errors: [],
    auditLogPath: '/srv/shop/run_repo_command.log',
    branchFiles: [
      { branch: 'task-a', worktree: 'task-a', files: ['src/a.js', 'test/a.test.js'] },
      { branch: 'task-b', worktree: 'task-b', files: ['src/b.js'] },
    ],
  };
}

describe('renderReportAppendix', () => {
  it('lists where things are, the files of each branch from git and every test or failed command', () => {
    const text = renderReportAppendix(report());
    expect(text).toContain('- Base dir: `/srv/shop`');
    expect(text).toContain(
      "- Audit log (every command and the policy's decision): `/srv/shop/run_repo_command.log`",
    );
    expect(text).toContain('- Worktree `task-b`: `/srv/shop/task-b`, branch `task-b` (removed)');
    expect(text).toContain(
      '- `task-a` (merged): 2 files: `/srv/shop/main/src/a.js`, `/srv/shop/main/test/a.test.js`',
    );
    // Not merged and its worktree removed: the path inside the branch.
    expect(text).toContain('- `task-b`: 1 file: `src/b.js`');
    expect(text).toContain('- `task-a` (`/srv/shop/task-a`): `npm run tests-only` → exit 0');
    expect(text).toContain('- `task-a` (`/srv/shop/task-a`): `node test/x.js` → exit 0');
    expect(text).toContain('- `task-b` (`/srv/shop/task-b`): `npm run build` → exit 2');
    expect(text).not.toContain('ls -la');
    expect(text).toContain(
      '- smoke test in `main` (`/srv/shop/main`) after merging `task-a`: `npm test` → passed',
    );
  });

  it('caps each section for short media and says how many were left out', () => {
    const text = renderReportAppendix(report(), { maxItems: 1, maxFilesPerBranch: 1 });
    expect(text).toContain('- `task-a` (merged): 2 files: `/srv/shop/main/src/a.js`, and 1 more');
    expect(text).toContain('- (3 more)'); // where: base dir shown, audit log and two worktrees left out
    expect(text).not.toContain('task-b` (`/srv/shop/task-b`)');
  });

  it('is part of the markdown report', () => {
    const markdown = renderReportMarkdown(report());
    expect(markdown).toContain('## Where things are');
    expect(markdown).toContain('## Files changed per branch (from git)');
    expect(markdown).toContain('## Commands that ran tests or failed');
  });
});
