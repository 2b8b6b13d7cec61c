/**
 * End-to-end safety: denied commands are refused, logged and explained to the model; an abort in
 * the middle kills codex and leaves worktrees, commits and main intact.
 */
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  codexWrites,
  finalSummary,
  orchestratorTurn,
  repoCommand,
} from '../testing/orchestrator-scenario.js';
import { assistantMessage, reply } from '../testing/scripted-model-turns.js';
import { processesMatching } from '../worker/codex-setup.fixture.js';
import { useOrchestratorScenarios } from './orchestrator-scenarios.fixture.js';
import { runOrchestrator } from './run-orchestrator.js';

const newScenario = useOrchestratorScenarios();

describe('runOrchestrator safety', () => {
  it('denies push, rebase and path escapes, logs them, and shows the reasons to the model', async () => {
    const scenario = await newScenario();
    scenario.orchestrator([
      orchestratorTurn(
        repoCommand('main', 'git push origin main'),
        repoCommand('main', 'git rebase HEAD~1'),
        repoCommand('../main', 'ls'),
        repoCommand('main', 'cat ../../../etc/passwd'),
        repoCommand('main', 'git worktree add ../task-x main && git merge task-x'),
      ),
      orchestratorTurn(finalSummary('Nothing allowed; stopping.')),
    ]);
    const report = await runOrchestrator('Try forbidden things.', scenario.options).report;
    expect(report.status).toBe('completed');
    scenario.server.assertComplete();

    expect(report.commands).toHaveLength(5);
    expect(
      report.commands.every((command) => command.decision === 'deny' && command.status === 'denied'),
    ).toBe(true);
    expect(report.commands.every((command) => (command.reason ?? '').length > 10)).toBe(true);

    // The model's next request carries every reason.
    const outputs = scenario.orchestratorRequests()[1]?.toolOutputs.map((output) => output.output) ?? [];
    expect(outputs).toHaveLength(5);
    for (const output of outputs) expect(output).toContain('status: denied');
    for (const command of report.commands) {
      expect(outputs.some((output) => output.includes(command.reason ?? 'missing'))).toBe(true);
    }
    expect(outputs[0]).toContain('git push');
    expect(outputs[2]).toContain('not a plain directory name');
    expect(outputs[4]).toContain('must be sent as a run_repo_command call of its own');

    const audit = (await readFile(scenario.auditLogPath, 'utf8'))
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { decision: string; command: string });
    expect(audit.map((entry) => entry.decision)).toEqual(['deny', 'deny', 'deny', 'deny', 'deny']);
    expect(audit.map((entry) => entry.command)).toContain('git push origin main');
    expect(report.main.state).toBe('start');
    await expect(stat(join(scenario.baseDir, 'task-x'))).rejects.toThrow();
  });

  it('cancels in the middle: codex is killed, worktrees and commits stay, the report says cancelled', async () => {
    const scenario = await newScenario();
    scenario.orchestrator([
      orchestratorTurn(repoCommand('main', 'git worktree add ../task-slow main')),
      orchestratorTurn(
        repoCommand(
          'task-slow',
          'codex exec --sandbox workspace-write "SLOW: commit a.txt, then think for long"',
        ),
      ),
      orchestratorTurn(finalSummary('never reached')),
    ]);
    const [first] = codexWrites({ 'a.txt': 'a\n' }, { commit: 'feat: a' });
    scenario.codex('SLOW', [first as never, reply(assistantMessage('late'), { delayMs: 60_000 })]);
    const start = (await scenario.git(['rev-parse', 'HEAD'])).trim();
    const worktreePath = join(scenario.baseDir, 'task-slow');

    const run = runOrchestrator('Do something slow.', scenario.options);
    let committed = false;
    run.events.on('worker-command-end', () => {
      committed = true;
      // Codex has committed and is now waiting on its model: cancel the run.
      setTimeout(() => run.cancel('the user pressed stop'), 300);
    });
    const began = Date.now();
    const report = await run.report;
    expect(committed).toBe(true);
    expect(Date.now() - began).toBeLessThan(20_000);
    expect(report.status).toBe('cancelled');
    expect(report.error).toContain('the user pressed stop');
    expect(report.codexRuns).toMatchObject([{ worktree: 'task-slow', status: 'cancelled' }]);
    expect(processesMatching(worktreePath)).toEqual([]);

    // The worktree and its commit are intact; main is untouched and clean.
    expect(await readFile(join(worktreePath, 'a.txt'), 'utf8')).toBe('a\n');
    expect(await scenario.git(['log', '--format=%s', '-1', 'task-slow'])).toBe('feat: a');
    expect(report.main).toMatchObject({ state: 'start', endCommit: start, repairs: [] });
    expect(await scenario.git(['status', '--porcelain'])).toBe('');
  });
});
