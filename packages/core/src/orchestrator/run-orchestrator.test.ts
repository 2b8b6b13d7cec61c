/**
 * End-to-end: the real Agents SDK over HTTP to the scripted model server, the real codex binary,
 * real git. Scenarios 1 and 2 of the issue: parallel subtasks merged one after the other, and a
 * conflict sent back for rework.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { OrchestratorEvent } from '../events.js';
import type { OrchestratorScenario } from '../testing/orchestrator-scenario.js';
import {
  codexExec,
  codexWrites,
  finalSummary,
  orchestratorTurn,
  repoCommand,
  reviewVerdict,
  updatePlan,
} from '../testing/orchestrator-scenario.js';
import { useOrchestratorScenarios } from './orchestrator-scenarios.fixture.js';
import { renderReportMarkdown } from './render-report-markdown.js';
import { orchestratorReportSchema } from './report-schema.js';
import { runOrchestrator } from './run-orchestrator.js';

const newScenario = useOrchestratorScenarios();

async function expectMainClean(current: OrchestratorScenario) {
  expect(await current.git(['status', '--porcelain'])).toBe('');
  await expect(current.git(['rev-parse', '--verify', '--quiet', 'MERGE_HEAD'])).rejects.toThrow();
}

function collect(events: { onAny(listener: (event: OrchestratorEvent) => void): unknown }) {
  const seen: OrchestratorEvent[] = [];
  events.onAny((event) => void seen.push(event));
  return seen;
}

describe('runOrchestrator end to end', () => {
  it('runs two independent subtasks in parallel, reviews, merges them one after the other and reports both', async () => {
    const scenario = await newScenario();
    scenario.orchestrator([
      orchestratorTurn(
        updatePlan([
          { title: 'alpha module', worktree: 'task-alpha' },
          { title: 'beta module', worktree: 'task-beta' },
        ]),
        repoCommand('main', 'git worktree add ../task-alpha main'),
        repoCommand('main', 'git worktree add ../task-beta main'),
      ),
      orchestratorTurn(
        codexExec('task-alpha', 'ALPHA: add alpha.txt, run sh test.sh, commit.'),
        codexExec('task-beta', 'BETA: add beta.txt, run sh test.sh, commit.'),
      ),
      orchestratorTurn(
        repoCommand('task-alpha', 'sh test.sh'),
        repoCommand('task-beta', 'sh test.sh'),
        repoCommand('task-alpha', 'git diff main...HEAD --stat'),
      ),
      orchestratorTurn(
        repoCommand('main', 'git merge --no-ff task-alpha'),
        repoCommand('main', 'git merge --no-ff task-beta'),
      ),
      orchestratorTurn(finalSummary('Both subtasks are merged: alpha.txt and beta.txt.')),
    ]);
    scenario.codex(
      'ALPHA',
      codexWrites({ 'alpha.txt': 'alpha\n' }, { test: 'sh test.sh', commit: 'feat: alpha' }),
    );
    scenario.codex(
      'BETA',
      codexWrites({ 'beta.txt': 'beta\n' }, { test: 'sh test.sh', commit: 'feat: beta' }),
    );
    scenario.reviewer(() => reviewVerdict('approve', 'Small, focused, tests pass.'));
    const start = (await scenario.git(['rev-parse', 'HEAD'])).trim();

    const run = runOrchestrator('Add the alpha and beta modules.', {
      ...scenario.options,
      taskId: 'T-parallel',
      review: 'agent',
      smokeTest: 'sh test.sh',
      maxParallel: 2,
    });
    const events = collect(run.events);
    const report = await run.report;

    expect(report.error).toBeUndefined();
    expect(report.status).toBe('completed');
    expect(report.summary).toContain('Both subtasks are merged');
    expect(orchestratorReportSchema.parse(report)).toEqual(report);
    scenario.server.assertComplete();

    // The two codex runs overlapped: both started before either ended.
    const workerMarks = events
      .filter((event) => event.type === 'worker-start' || event.type === 'worker-end')
      .map((event) => event.type);
    expect(workerMarks).toEqual(['worker-start', 'worker-start', 'worker-end', 'worker-end']);
    // The merges, asked for in one turn, ran strictly one after the other.
    const mergeMarks = events
      .filter((event) => event.type === 'merge-start' || event.type === 'merge-end')
      .map((event) => event.type);
    expect(mergeMarks).toEqual(['merge-start', 'merge-end', 'merge-start', 'merge-end']);

    expect(report.codexRuns.map((codexRun) => [codexRun.worktree, codexRun.status]).sort()).toEqual([
      ['task-alpha', 'completed'],
      ['task-beta', 'completed'],
    ]);
    // Which of the two queued merges goes first is up to the queue; each is reviewed before it merges.
    expect(report.reviews.map((review) => [review.branch, review.verdict]).sort()).toEqual([
      ['task-alpha', 'approve'],
      ['task-beta', 'approve'],
    ]);
    expect(report.merges.map((merge) => [merge.branch, merge.outcome]).sort()).toEqual([
      ['task-alpha', 'merged'],
      ['task-beta', 'merged'],
    ]);
    expect(report.tests.filter((test) => test.source === 'smoke-test').map((test) => test.passed)).toEqual([
      true,
      true,
    ]);
    expect(report.plan.map((step) => step.worktree)).toEqual(['task-alpha', 'task-beta']);
    expect(report.worktrees.map((worktree) => worktree.name).sort()).toEqual(['task-alpha', 'task-beta']);
    expect(report.main).toMatchObject({ startCommit: start, state: 'merged', repairs: [] });
    expect(report.usage.orchestrator.totalTokens).toBeGreaterThan(0);
    expect(report.usage.workers.totalTokens).toBeGreaterThan(0);
    expect(report.usage.costUsd).toBeGreaterThan(0);

    // main holds both files through two --no-ff merge commits, and is clean.
    expect(
      (await scenario.git(['log', '--merges', '--format=%s', `${start}..HEAD`])).split('\n').sort(),
    ).toEqual(["Merge branch 'task-alpha'", "Merge branch 'task-beta'"]);
    expect(report.main.endCommit).toBe((await scenario.git(['rev-parse', 'HEAD'])).trim());
    expect(await readFile(join(scenario.mainPath, 'alpha.txt'), 'utf8')).toBe('alpha\n');
    expect(await readFile(join(scenario.mainPath, 'beta.txt'), 'utf8')).toBe('beta\n');
    await expectMainClean(scenario);

    const markdown = renderReportMarkdown(report);
    expect(markdown).toContain('| task-alpha | merged |');
    expect(markdown).toContain('| task-beta | merged |');
    // The true report: where things are, and the files of each branch from git, as full paths.
    expect(report.auditLogPath).toBe(scenario.auditLogPath);
    expect([...(report.branchFiles ?? [])].sort((a, b) => a.branch.localeCompare(b.branch))).toEqual([
      { branch: 'task-alpha', worktree: 'task-alpha', files: ['alpha.txt'] },
      { branch: 'task-beta', worktree: 'task-beta', files: ['beta.txt'] },
    ]);
    expect(markdown).toContain(
      `- Audit log (every command and the policy's decision): \`${scenario.auditLogPath}\``,
    );
    expect(markdown).toContain(
      `- \`task-alpha\` (merged): 1 file: \`${join(scenario.mainPath, 'alpha.txt')}\``,
    );
    const auditLines = (await readFile(scenario.auditLogPath, 'utf8')).trim().split('\n');
    expect(auditLines).toHaveLength(report.commands.length);
    expect(auditLines.every((line) => JSON.parse(line).taskId === 'T-parallel')).toBe(true);
  });

  it('aborts a conflicting merge, keeps main clean, reworks the branch and merges it', async () => {
    const scenario = await newScenario();
    scenario.orchestrator([
      orchestratorTurn(
        repoCommand('main', 'git worktree add ../task-alpha main'),
        repoCommand('main', 'git worktree add ../task-beta main'),
      ),
      orchestratorTurn(codexExec('task-alpha', 'ALPHA: title'), codexExec('task-beta', 'BETA: title')),
      orchestratorTurn(repoCommand('main', 'git merge --no-ff task-alpha')),
      orchestratorTurn(repoCommand('main', 'git merge --no-ff task-beta')),
      orchestratorTurn(repoCommand('task-beta', 'git merge main')),
      orchestratorTurn(codexExec('task-beta', 'BETA-RESOLVE: resolve the conflict in README.md')),
      orchestratorTurn(repoCommand('main', 'git merge --no-ff task-beta')),
      orchestratorTurn(finalSummary('Merged alpha, then beta after resolving the README conflict.')),
    ]);
    scenario.codex(
      'ALPHA:',
      codexWrites({ 'README.md': '# Alpha title\n' }, { commit: 'docs: alpha title' }),
    );
    scenario.codex('BETA:', codexWrites({ 'README.md': '# Beta title\n' }, { commit: 'docs: beta title' }));
    scenario.codex(
      'BETA-RESOLVE',
      codexWrites({ 'README.md': '# Alpha and beta title\n' }, { commit: 'merge main, resolve README' }),
    );

    const run = runOrchestrator('Retitle the README twice.', {
      ...scenario.options,
      smokeTest: 'sh test.sh',
    });
    const report = await run.report;
    expect(report.error).toBeUndefined();
    expect(report.status).toBe('completed');
    scenario.server.assertComplete();

    expect(report.merges.map((merge) => [merge.branch, merge.outcome])).toEqual([
      ['task-alpha', 'merged'],
      ['task-beta', 'conflict'],
      ['task-beta', 'merged'],
    ]);
    expect(report.merges[1]?.conflictFiles).toEqual(['README.md']);
    // The model was told which branch and files conflicted, and how to rework it.
    const afterConflict = scenario.orchestratorRequests()[4];
    const conflictOutput = afterConflict?.toolOutputs.at(-1)?.output ?? '';
    expect(conflictOutput).toContain('conflicts in: README.md');
    expect(conflictOutput).toContain('main is clean');
    expect(conflictOutput).toContain('git merge main');

    expect(await readFile(join(scenario.mainPath, 'README.md'), 'utf8')).toBe('# Alpha and beta title\n');
    expect(report.main.state).toBe('merged');
    await expectMainClean(scenario);
  });
});
