/**
 * End to end, offline and real: a grammY bot against the fake Bot API, the real TaskDispatcher,
 * runOrchestrator driving the real Agents SDK and the real codex binary against the scripted
 * model server, real git. Telegram /task -> progress edits -> approve button -> merged -> report.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  createOrchestratorTaskRunner,
  createTaskDispatcher,
  silentDispatcherLogger,
  type TaskDispatcher,
} from '@codex-orchestrator/core';
import {
  codexWrites,
  createOrchestratorScenario,
  finalSummary,
  type OrchestratorScenario,
  orchestratorTurn,
  repoCommand,
  updatePlan,
} from '@codex-orchestrator/core/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { botSaid, createHarness, type Harness, owner } from './telegram-harness.js';

process.env.OPENAI_AGENTS_DISABLE_TRACING = '1';

let scenario: OrchestratorScenario | undefined;
let harness: Harness | undefined;
let dispatcher: TaskDispatcher | undefined;
afterEach(async () => {
  await dispatcher?.stop({ cancelRunning: true });
  await harness?.close();
  await scenario?.close();
  dispatcher = undefined;
  harness = undefined;
  scenario = undefined;
});

describe('Telegram -> dispatcher -> runOrchestrator -> Telegram', () => {
  it('takes a task from the chat, shows progress, merges after the approve button and reports', async () => {
    const current = await createOrchestratorScenario();
    scenario = current;
    current.orchestrator([
      orchestratorTurn(
        updatePlan([{ title: 'search module', worktree: 'task-search', status: 'in-progress' }]),
        repoCommand('main', 'git worktree add ../task-search main'),
      ),
      orchestratorTurn(
        repoCommand(
          'task-search',
          'codex exec --sandbox workspace-write "SEARCH: add search.txt, run sh test.sh, commit."',
        ),
      ),
      orchestratorTurn(repoCommand('main', 'git merge --no-ff task-search')),
      orchestratorTurn(finalSummary('The search module is merged into main.')),
    ]);
    current.codex(
      'SEARCH',
      codexWrites({ 'search.txt': 'search\n' }, { test: 'sh test.sh', commit: 'feat: search' }),
    );

    const run = createOrchestratorTaskRunner({ ...current.options, smokeTest: 'sh test.sh' });
    harness = await createHarness({ progressIntervalMs: 200 });
    const { telegram, adapter } = harness;
    dispatcher = createTaskDispatcher({
      sources: [adapter.source],
      sinks: [adapter.sink],
      run,
      store: 'memory',
      logger: silentDispatcherLogger,
    });
    adapter.attach(dispatcher);
    await dispatcher.start();

    telegram.sendText(owner, owner, '/task Add a search module with tests');
    // The queued text may be coalesced away: the task starts before the first send goes out.
    const progress = await telegram.waitFor(botSaid(telegram, /^(🕐|⏳) Task #\d+ · (queued|running)/));
    const approval = await telegram.waitFor(botSaid(telegram, /^🔀 Merge approval/), 60_000);
    expect(approval.text).toContain('Branch: task-search');
    expect(approval.text).toContain('search.txt');
    // Progress was edited in place while the run advanced, and shows codex's work.
    expect(progress.editCount).toBeGreaterThan(0);
    await telegram.waitFor(() => progress.text.includes('awaiting approval'), 5000);
    expect(progress.text).toContain('▸ task-search');

    const approve = approval.replyMarkup!.inline_keyboard[0]![0]! as { callback_data: string };
    telegram.pressButton(owner, owner, approval.messageId, approve.callback_data);
    const report = await telegram.waitFor(botSaid(telegram, /^✅ Task #\d+ completed/), 60_000);
    expect(report.text).toContain('task-search');
    expect(report.text).toContain('merged');
    expect(approval.text).toContain('✅ Approved by');
    expect(progress.text).toMatch(/^✅ Task #\d+ · completed/);
    expect(progress.text).toContain('task-search: approved · merged ✓');
    expect(await readFile(join(current.mainPath, 'search.txt'), 'utf8')).toBe('search\n');
    expect(telegram.calls.filter((call) => call.status !== 200)).toEqual([]);
    current.server.assertComplete();
  });
});
