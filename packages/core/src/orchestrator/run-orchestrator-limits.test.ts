/**
 * End-to-end limits and failures: budget exceeded, a failing model endpoint, and a reviewer that
 * requests changes once.
 */
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import {
  codexExec,
  codexWrites,
  finalSummary,
  orchestratorTurn,
  repoCommand,
  reviewVerdict,
} from '../testing/orchestrator-scenario.js';
import { assistantMessage, failWithStatus } from '../testing/scripted-model-turns.js';
import { useOrchestratorScenarios } from './orchestrator-scenarios.fixture.js';
import { runOrchestrator } from './run-orchestrator.js';

const newScenario = useOrchestratorScenarios();

describe('runOrchestrator limits', () => {
  it('stops on the token budget: the running codex run finishes, no new one starts, the report says so', async () => {
    const scenario = await newScenario();
    scenario.orchestrator([
      orchestratorTurn(
        repoCommand('main', 'git worktree add ../task-a main'),
        repoCommand('main', 'git worktree add ../task-b main'),
      ),
      orchestratorTurn(
        codexExec('task-a', 'BUDGET-A: add a.txt'),
        codexExec('task-b', 'BUDGET-B: add b.txt'),
      ),
      orchestratorTurn(finalSummary('never reached: the budget stops the run first')),
    ]);
    // Whichever codex run gets the single slot first reports 50k tokens; the budget is 10k.
    for (const name of ['a', 'b']) {
      scenario.codex(
        `BUDGET-${name.toUpperCase()}`,
        codexWrites(
          { [`${name}.txt`]: `${name}\n` },
          { commit: `feat: ${name}`, usage: { inputTokens: 50_000, outputTokens: 1000 } },
        ),
      );
    }
    const run = runOrchestrator('Add a and b.', {
      ...scenario.options,
      maxParallel: 1,
      budget: { tokens: 10_000 },
    });
    const report = await run.report;

    expect(report.status).toBe('budget-exceeded');
    expect(report.budget).toMatchObject({
      exceeded: true,
      limit: 'tokens',
      cap: 10_000,
      action: 'finish-running',
    });
    expect(report.error).toContain('Budget exceeded');
    // One codex run finished; the other waited for the slot, then was refused: it never started.
    expect(report.codexRuns).toHaveLength(1);
    expect(report.codexRuns[0]?.status).toBe('completed');
    const ran = report.codexRuns[0]?.worktree ?? '';
    const other = ran === 'task-a' ? 'task-b' : 'task-a';
    expect(
      report.commands.find((command) => command.worktree === other && command.command.startsWith('codex')),
    ).toMatchObject({
      status: 'failed',
    });
    const audit = (await readFile(scenario.auditLogPath, 'utf8'))
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(
      audit.find((entry) => entry.worktree === other && entry.command.startsWith('codex'))?.reason,
    ).toContain('Budget exceeded');
    // The third model call was refused before it was sent.
    expect(scenario.orchestratorRequests()).toHaveLength(2);
    expect(await scenario.git(['log', '--format=%s', '-1', ran])).toBe(`feat: ${ran.slice(-1)}`);
    expect(report.main.state).toBe('start');
  });

  it('fails clearly when the model endpoint starts answering 500 mid-run; main stays at its merged, tested commit', async () => {
    const scenario = await newScenario();
    const failure = failWithStatus(500, 'upstream exploded');
    scenario.orchestrator([
      orchestratorTurn(
        repoCommand('main', 'git worktree add ../task-one main'),
        repoCommand('main', 'git worktree add ../task-two main'),
      ),
      orchestratorTurn(codexExec('task-one', 'ONE: add one.txt'), codexExec('task-two', 'TWO: add two.txt')),
      orchestratorTurn(repoCommand('main', 'git merge --no-ff task-one')),
      // The client retries a 500 twice (modelRequests.retries), then the run gives up.
      failure,
      failure,
      failure,
    ]);
    scenario.codex('ONE:', codexWrites({ 'one.txt': 'one\n' }, { commit: 'feat: one' }));
    scenario.codex('TWO:', codexWrites({ 'two.txt': 'two\n' }, { commit: 'feat: two' }));
    const report = await runOrchestrator('Add one and two.', {
      ...scenario.options,
      smokeTest: 'sh test.sh',
      modelRequests: { retries: 2, initialRetryDelayMs: 10 },
    }).report;
    expect(report.status).toBe('failed');
    expect(report.error).toContain(
      `The model endpoint ${scenario.server.baseURL} failed after 3 attempts: HTTP 500`,
    );
    expect(report.error).toContain('upstream exploded');
    expect(report.merges.map((merge) => [merge.branch, merge.outcome])).toEqual([['task-one', 'merged']]);
    expect(report.main).toMatchObject({
      state: 'merged',
      endCommit: report.merges[0]?.mainCommit,
      repairs: [],
    });
    expect((await scenario.git(['rev-parse', 'HEAD'])).trim()).toBe(report.main.endCommit);
    expect(await scenario.git(['status', '--porcelain'])).toBe('');
    // The unmerged branch keeps its commit.
    expect(await scenario.git(['log', '--format=%s', '-1', 'task-two'])).toBe('feat: two');
  });

  it('sends a branch back when the reviewer requests changes, then merges the fixed head', async () => {
    const scenario = await newScenario();
    scenario.orchestrator([
      orchestratorTurn(repoCommand('main', 'git worktree add ../task-greet main')),
      orchestratorTurn(codexExec('task-greet', 'GREET: add greet.txt')),
      orchestratorTurn(repoCommand('main', 'git merge --no-ff task-greet')),
      orchestratorTurn(codexExec('task-greet', 'GREET-FIX: say hello to the world in greet.txt')),
      orchestratorTurn(repoCommand('main', 'git merge --no-ff task-greet')),
      orchestratorTurn(finalSummary('Merged after one review round.')),
    ]);
    scenario.codex('GREET:', codexWrites({ 'greet.txt': 'hello\n' }, { commit: 'feat: greet' }));
    scenario.codex(
      'GREET-FIX',
      codexWrites({ 'greet.txt': 'hello, world\n' }, { commit: 'fix: greet the world' }),
    );
    let reviews = 0;
    scenario.reviewer(() => {
      reviews += 1;
      return reviews === 1
        ? reviewVerdict('request-changes', 'The greeting has no addressee.', [
            { file: 'greet.txt', line: 1, comment: 'Say hello to the world.' },
          ])
        : reviewVerdict('approve');
    });
    const report = await runOrchestrator('Add a greeting.', { ...scenario.options, review: 'agent' }).report;
    expect(report.error).toBeUndefined();
    expect(report.status).toBe('completed');
    scenario.server.assertComplete();
    expect(report.reviews.map((review) => review.verdict)).toEqual(['request-changes', 'approve']);
    expect(report.merges.map((merge) => merge.outcome)).toEqual(['refused', 'merged']);
    const refusal = scenario.orchestratorRequests()[3]?.toolOutputs.at(-1)?.output ?? '';
    expect(refusal).toContain('review requested changes');
    expect(refusal).toContain('greet.txt:1: Say hello to the world.');
    expect(await scenario.git(['show', 'HEAD:greet.txt'])).toBe('hello, world');
  });

  it('stops with a clear error when the orchestrator runs out of turns', async () => {
    const scenario = await newScenario();
    scenario.orchestrator([
      orchestratorTurn(repoCommand('main', 'git status')),
      orchestratorTurn(repoCommand('main', 'git log --oneline')),
    ]);
    const report = await runOrchestrator('Loop.', { ...scenario.options, maxTurns: 1 }).report;
    expect(report.status).toBe('failed');
    expect(report.error).toContain('used all 1 turns (maxTurns)');
    expect(report.main.state).toBe('start');
  });

  it('reviews with codex in the branch worktree when review is "codex"', async () => {
    const scenario = await newScenario();
    scenario.orchestrator([
      orchestratorTurn(repoCommand('main', 'git worktree add ../task-doc main')),
      orchestratorTurn(codexExec('task-doc', 'DOC: add doc.txt')),
      orchestratorTurn(repoCommand('main', 'git merge --no-ff task-doc')),
      orchestratorTurn(finalSummary('Merged after a codex review.')),
    ]);
    scenario.codex('DOC:', codexWrites({ 'doc.txt': 'doc\n' }, { commit: 'docs: add doc' }));
    scenario.codex('Branch: task-doc', [
      [assistantMessage('Checked the diff.\n{"verdict":"approve","summary":"Adds doc.txt.","comments":[]}')],
    ]);
    const report = await runOrchestrator('Add a doc.', { ...scenario.options, review: 'codex' }).report;
    expect(report.error).toBeUndefined();
    scenario.server.assertComplete();
    expect(report.reviews).toMatchObject([
      { branch: 'task-doc', mode: 'codex', verdict: 'approve', summary: 'Adds doc.txt.' },
    ]);
    expect(report.codexRuns).toHaveLength(2);
    expect(report.merges.map((merge) => merge.outcome)).toEqual(['merged']);
  });

  it('resumes an interrupted run without merging a branch twice', async () => {
    const scenario = await newScenario();
    // The interrupted attempt had created and merged task-done.
    await scenario.git(['worktree', 'add', '--quiet', '-b', 'task-done', '../task-done', 'main']);
    await scenario.git(['commit', '--quiet', '--allow-empty', '-m', 'work'], 'task-done');
    await scenario.git(['merge', '--quiet', '--no-ff', '--no-edit', 'task-done']);
    const head = (await scenario.git(['rev-parse', 'HEAD'])).trim();
    scenario.orchestrator([
      orchestratorTurn(repoCommand('main', 'git merge --no-ff task-done')),
      orchestratorTurn(finalSummary('Already merged.')),
    ]);
    const report = await runOrchestrator('Finish the task.', { ...scenario.options, resume: true }).report;
    expect(report.status).toBe('completed');
    expect(scenario.orchestratorRequests()[0]?.text).toContain('resumes an interrupted attempt');
    expect(report.merges).toMatchObject([{ branch: 'task-done', outcome: 'already-merged' }]);
    expect(report.merges[0]?.reason).toContain('already merged into main');
    expect(report.main).toMatchObject({ state: 'start', endCommit: head });
    expect(await scenario.git(['rev-list', '--count', '--merges', 'HEAD'])).toBe('1');
  });
});
