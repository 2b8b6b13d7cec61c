import { describe, expect, it } from 'vitest';
import { createEventStream } from '../events/event-stream.js';
import type { WorkerResult } from '../types.js';
import { defaultPriceTable } from './price-table.js';
import { renderReportMarkdown } from './render-report-markdown.js';
import { createReportBuilder } from './report-builder.js';
import { orchestratorReportSchema } from './report-schema.js';
import { emptyTokenUsage } from './token-usage.js';

const workerResult: WorkerResult = {
  status: 'completed',
  finalMessage: 'Added search.',
  filesChanged: [{ path: '/base/task-a/src/search.ts', kind: 'add' }],
  commands: [],
  usage: { ...emptyTokenUsage(), inputTokens: 300, outputTokens: 20, totalTokens: 320 },
  exitCode: 0,
  durationMs: 1500,
  errors: [],
};

function playRun() {
  const events = createEventStream();
  const builder = createReportBuilder({ events, prices: defaultPriceTable, workerModel: 'gpt-5-codex' });
  const taskId = 'T-7';
  events.emit({
    type: 'run-start',
    runId: 'run-1',
    task: 'Add | search',
    baseDir: '/base',
    model: 'gpt-5',
    startCommit: 'aaaa000000',
    resume: false,
    taskId,
  });
  events.emit({
    type: 'plan-update',
    steps: [{ title: 'search', status: 'done', worktree: 'task-a' }],
    taskId,
  });
  events.emit({
    type: 'worktree-create',
    worktree: 'task-a',
    path: '/base/task-a',
    branch: 'task-a',
    base: 'main',
    reused: false,
  });
  events.emit({
    type: 'command-start',
    callId: 'c1',
    worktree: 'task-a',
    command: 'npm test',
    dryRun: false,
    ruleId: 'npm',
  });
  events.emit({
    type: 'command-end',
    callId: 'c1',
    worktree: 'task-a',
    command: 'npm test',
    exitCode: 0,
    durationMs: 900,
    timedOut: false,
    cancelled: false,
    truncated: false,
    dryRun: false,
    status: 'ok',
  });
  events.emit({
    type: 'command-denied',
    callId: 'c2',
    worktree: 'main',
    command: 'git push origin main',
    reason: 'git push is forbidden',
    ruleId: 'git.push',
  });
  events.emit({ type: 'worker-start', workerRunId: 'w1', worker: 'codex', worktree: 'task-a', prompt: 'p' });
  events.emit({
    type: 'worker-command-end',
    workerRunId: 'w1',
    worktree: 'task-a',
    itemId: 'i',
    command: "/bin/bash -c 'npx vitest run'",
    exitCode: 1,
    output: 'FAIL',
  });
  events.emit({ type: 'worker-end', workerRunId: 'w1', worktree: 'task-a', result: workerResult });
  events.emit({
    type: 'review-end',
    branch: 'task-a',
    worktree: 'task-a',
    commit: 'bbbb000000',
    mode: 'agent',
    verdict: 'approve',
    summary: 'ok',
    comments: [],
    durationMs: 10,
  });
  events.emit({ type: 'merge-conflict', branch: 'task-b', files: ['README.md'], mainCommit: 'aaaa000000' });
  events.emit({
    type: 'merge-end',
    branch: 'task-b',
    outcome: 'conflict',
    mainCommit: 'aaaa000000',
    reason: 'conflict',
    durationMs: 5,
  });
  events.emit({
    type: 'merge-end',
    branch: 'task-a',
    outcome: 'merged',
    mainCommit: 'cccc000000',
    branchCommit: 'bbbb000000',
    durationMs: 5,
  });
  events.emit({
    type: 'smoke-test-end',
    branch: 'task-a',
    command: 'npm test',
    mainCommit: 'cccc000000',
    passed: true,
    exitCode: 0,
    durationMs: 100,
    output: '',
  });
  events.emit({
    type: 'usage-update',
    orchestrator: { ...emptyTokenUsage(), inputTokens: 1000, outputTokens: 100, totalTokens: 1100 },
    workers: workerResult.usage,
    costUsd: 0.0123,
  });
  events.emit({
    type: 'model-call-end',
    agent: 'orchestrator',
    model: 'local-llama',
    turn: 1,
    durationMs: 3,
  });
  events.emit({
    type: 'run-end',
    runId: 'run-1',
    status: 'completed',
    summary: 'All merged.',
    mainCommit: 'cccc000000',
    mainState: 'merged',
    mainRepairs: [],
    durationMs: 4200,
    taskId,
  });
  return builder.build();
}

describe('report builder', () => {
  it('builds a schema-valid report from the events', () => {
    const report = playRun();
    expect(orchestratorReportSchema.parse(report)).toEqual(report);
    expect(report).toMatchObject({
      runId: 'run-1',
      taskId: 'T-7',
      status: 'completed',
      summary: 'All merged.',
      durationMs: 4200,
    });
    expect(report.commands).toMatchObject([
      { callId: 'c1', decision: 'allow', status: 'ok', exitCode: 0, ruleId: 'npm' },
      {
        callId: 'c2',
        decision: 'deny',
        status: 'denied',
        reason: 'git push is forbidden',
        ruleId: 'git.push',
      },
    ]);
    expect(report.codexRuns).toMatchObject([
      {
        worktree: 'task-a',
        status: 'completed',
        filesChanged: ['/base/task-a/src/search.ts'],
        tokens: { totalTokens: 320 },
      },
    ]);
    expect(report.tests.map((test) => [test.source, test.passed])).toEqual([
      ['orchestrator', true],
      ['worker', false],
      ['smoke-test', true],
    ]);
    expect(report.merges).toMatchObject([
      { branch: 'task-b', outcome: 'conflict', conflictFiles: ['README.md'] },
      { branch: 'task-a', outcome: 'merged', mainCommit: 'cccc000000' },
    ]);
    expect(report.main).toMatchObject({
      startCommit: 'aaaa000000',
      endCommit: 'cccc000000',
      state: 'merged',
    });
    expect(report.usage.total.totalTokens).toBe(1420);
    expect(report.usage.costUsd).toBe(0.0123);
    expect(report.usage.unpricedModels).toEqual(['local-llama']);
  });

  it('renders markdown with every section, escaping hostile text', () => {
    const markdown = renderReportMarkdown(playRun());
    expect(markdown).toContain('# Orchestrator report: completed');
    expect(markdown).toContain('Add \\| search');
    expect(markdown).toContain('## Merges');
    expect(markdown).toContain('| task-b | conflict | aaaa000000 | conflicts in README.md |');
    expect(markdown).toContain('## Codex runs');
    expect(markdown).toContain('## Commands (2, 1 denied)');
    expect(markdown).toContain('denied (git.push)');
    expect(markdown).toContain('estimated cost $0.0123');
    expect(markdown).toContain('no price for local-llama');
  });
});
