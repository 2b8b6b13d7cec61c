/**
 * Task branches start from the local main branch: the orchestrator never pushes, so origin/main
 * lags behind local main (and behind every merge of the run).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createOrchestratorScenario,
  finalSummary,
  type OrchestratorScenario,
  orchestratorTurn,
  repoCommand,
} from '../testing/orchestrator-scenario.js';
import { runOrchestrator } from './run-orchestrator.js';

process.env.OPENAI_AGENTS_DISABLE_TRACING = '1';

let scenario: OrchestratorScenario | undefined;
let origin: string | undefined;
afterEach(async () => {
  await scenario?.close();
  if (origin) await rm(origin, { recursive: true, force: true });
  scenario = undefined;
  origin = undefined;
});

describe('runOrchestrator worktree base', () => {
  it('branches a task worktree from local main even when origin/main exists and lags behind', async () => {
    scenario = await createOrchestratorScenario();
    origin = await mkdtemp(join(tmpdir(), 'orchestrator-origin-'));
    await scenario.git(['init', '--quiet', '--bare', origin], 'main');
    await scenario.git(['remote', 'add', 'origin', origin]);
    await scenario.git(['push', '--quiet', 'origin', 'main']);
    await scenario.git(['fetch', '--quiet', 'origin']);
    await scenario.git(['commit', '--quiet', '--allow-empty', '-m', 'local only']);
    const localMain = (await scenario.git(['rev-parse', 'main'])).trim();
    expect((await scenario.git(['rev-parse', 'origin/main'])).trim()).not.toBe(localMain);

    scenario.orchestrator([
      orchestratorTurn(repoCommand('main', 'git worktree add ../task-fresh')),
      orchestratorTurn(finalSummary('Created the worktree.')),
    ]);
    const report = await runOrchestrator('Create a worktree', scenario.options).report;
    expect(report.status).toBe('completed');
    expect((await scenario.git(['rev-parse', 'HEAD'], 'task-fresh')).trim()).toBe(localMain);
  });
});
