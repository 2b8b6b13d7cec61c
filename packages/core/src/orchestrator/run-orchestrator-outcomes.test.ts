/**
 * Outcomes that match main, end to end (scripted model, real codex, real git): a dirty main is
 * refused before any model call and the user's edit stays where it is; a run that merged only
 * part of its work says `partly-merged`, not `completed`.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  codexExec,
  codexWrites,
  finalSummary,
  orchestratorTurn,
  repoCommand,
} from '../testing/orchestrator-scenario.js';
import { useOrchestratorScenarios } from './orchestrator-scenarios.fixture.js';
import { runOrchestrator } from './run-orchestrator.js';

const newScenario = useOrchestratorScenarios();

describe('run outcomes match main', () => {
  it('refuses a main with uncommitted edits up front, without a model call, and never stashes them', async () => {
    const scenario = await newScenario();
    scenario.orchestrator([orchestratorTurn(finalSummary('should not run'))]);
    await writeFile(join(scenario.baseDir, 'main', 'README.md'), 'my own edit\n');
    const report = await runOrchestrator('Do something.', scenario.options).report;
    expect(report.status).toBe('failed');
    expect(report.error).toMatch(/main .* has uncommitted changes: .*README\.md.*never moves your edits/);
    expect(scenario.orchestratorRequests()).toEqual([]);
    expect(await scenario.git(['status', '--porcelain'])).toContain('README.md');
    expect(await scenario.git(['stash', 'list'])).toBe('');
  });

  it('says partly-merged when one task branch with work stays outside main', async () => {
    const scenario = await newScenario();
    scenario.orchestrator([
      orchestratorTurn(
        repoCommand('main', 'git worktree add ../task-alpha main'),
        repoCommand('main', 'git worktree add ../task-beta main'),
      ),
      orchestratorTurn(
        codexExec('task-alpha', 'ALPHA: add alpha.txt, commit.'),
        codexExec('task-beta', 'BETA: add beta.txt, commit.'),
      ),
      orchestratorTurn(repoCommand('main', 'git merge --no-ff task-alpha')),
      orchestratorTurn(finalSummary('Merged alpha; beta can wait.')),
    ]);
    scenario.codex('ALPHA', codexWrites({ 'alpha.txt': 'alpha\n' }, { commit: 'feat: alpha' }));
    scenario.codex('BETA', codexWrites({ 'beta.txt': 'beta\n' }, { commit: 'feat: beta' }));
    const report = await runOrchestrator('Add alpha and beta.', scenario.options).report;
    expect(report.status).toBe('partly-merged');
    expect(report.error).toMatch(/Not merged into main: task-beta/);
    expect(report.merges).toMatchObject([{ branch: 'task-alpha', outcome: 'merged' }]);
  });
});
