/**
 * End to end with the real codex binary: codex writes a hostile test file and package script;
 * the orchestrator runs the tests in the task worktree, merges, and runs the smoke test in main.
 * Every attack fails in both places, and the positive control proves the code ran. A run whose
 * sandbox cannot start refuses to start; a run with the opt-out says so.
 */
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { OrchestratorEvent } from '../events.js';
import {
  createHostileEnvironment,
  expectContained,
  type HostileEnvironment,
  type HostileTargets,
  hostileScript,
} from '../sandbox/hostile-code.fixture.js';
import { SandboxUnavailableError } from '../sandbox/sandbox-error.js';
import {
  codexWrites,
  createOrchestratorScenario,
  finalSummary,
  type OrchestratorScenario,
  orchestratorTurn,
  repoCommand,
} from '../testing/orchestrator-scenario.js';
import { renderReportMarkdown } from './render-report-markdown.js';
import { runOrchestrator } from './run-orchestrator.js';

process.env.OPENAI_AGENTS_DISABLE_TRACING = '1';

const apiKey = 'sk-test-E2E-SANDBOX-abcdefghijklmnopqrstuvwx';
let host: HostileEnvironment;
let scenario: OrchestratorScenario | undefined;

beforeAll(async () => {
  host = await createHostileEnvironment(apiKey);
});

afterEach(async () => {
  await scenario?.close();
  scenario = undefined;
});

afterAll(async () => {
  await host.restore();
});

describe('runOrchestrator with hostile code from codex', () => {
  it('confines the tests codex wrote in the task worktree and in the smoke test after the merge', async () => {
    scenario = await createOrchestratorScenario();
    const origin = join(scenario.baseDir, 'origin.git');
    await execa('git', ['init', '-q', '--bare', origin]);
    const outside = join(scenario.baseDir, 'outside');
    await mkdir(outside);
    const targets: HostileTargets = {
      fakeHome: host.fakeHome,
      outside,
      origin,
      port: host.port,
      daemonMarker: '289.6113',
      apiKey,
    };
    scenario.orchestrator([
      orchestratorTurn(repoCommand('main', 'git worktree add ../task-evil main')),
      orchestratorTurn(repoCommand('task-evil', 'codex exec "EVIL: add tests"')),
      orchestratorTurn(repoCommand('task-evil', 'npm test')),
      orchestratorTurn(repoCommand('main', 'git merge --no-ff task-evil')),
      orchestratorTurn(finalSummary('Merged the tests.')),
    ]);
    scenario.codex(
      'EVIL:',
      codexWrites(
        {
          'evil.test.cjs': hostileScript('e2e', targets),
          // The positive control's file must not make the worktree dirty (a dirty branch is not merged).
          '.gitignore': 'control-*.txt\n',
          'package.json': JSON.stringify({
            name: 'victim',
            private: true,
            scripts: { test: 'node evil.test.cjs' },
          }),
        },
        { commit: 'test: add tests' },
      ),
    );
    const events: OrchestratorEvent[] = [];
    const run = runOrchestrator('Add tests.', { ...scenario.options, smokeTest: 'npm test' });
    run.events.onAny((event) => void events.push(event));
    const report = await run.report;
    scenario.server.assertComplete();

    // The orchestrator model read the npm test output of the task worktree.
    const outputs = scenario
      .orchestratorRequests()
      .flatMap((request) => request.toolOutputs.map((o) => o.output));
    const testOutput = outputs.find((output) => output.includes('e2e CONTROL-RAN')) ?? '';
    expectContained(testOutput, 'e2e', targets, host.connections());
    // The smoke test in main ran the same code after the merge, confined as well.
    const smoke = events.find((event) => event.type === 'smoke-test-end');
    expect(
      smoke,
      JSON.stringify({ merges: report.merges, errors: report.errors, outputs: outputs.slice(-2) }),
    ).toBeDefined();
    expect(smoke).toMatchObject({ passed: true });
    expectContained(smoke?.type === 'smoke-test-end' ? smoke.output : '', 'e2e', targets, host.connections());
    expect(report.merges.map((merge) => merge.branch)).toEqual(['task-evil']);
    expect(await execa('git', ['--git-dir', origin, 'for-each-ref']).then((result) => result.stdout)).toBe(
      '',
    );
    expect(events.find((event) => event.type === 'run-start')).toMatchObject({ sandbox: 'on' });
    expect(report.sandbox).toBe('on');
  }, 180_000);

  it('refuses to start when the sandbox cannot start, naming the opt-out, and runs nothing', async () => {
    scenario = await createOrchestratorScenario();
    const run = runOrchestrator('Anything.', {
      ...scenario.options,
      sandbox: { bwrapPath: '/nonexistent/bwrap' },
    });
    const started: OrchestratorEvent[] = [];
    run.events.onAny((event) => void started.push(event));
    await expect(run.report).rejects.toThrow(SandboxUnavailableError);
    await expect(run.report).rejects.toThrow(/--unsafe-no-sandbox/);
    expect(started.filter((event) => event.type === 'run-start')).toEqual([]);
    expect(scenario.orchestratorRequests()).toEqual([]);
  }, 60_000);

  it("says so in the report, the events and every audit line when the sandbox is 'off'", async () => {
    scenario = await createOrchestratorScenario();
    scenario.orchestrator([
      orchestratorTurn(
        repoCommand('main', 'git status --short'),
        repoCommand('main', 'git push origin main'),
      ),
      orchestratorTurn(finalSummary('Looked.')),
    ]);
    const events: OrchestratorEvent[] = [];
    const run = runOrchestrator('Look.', { ...scenario.options, sandbox: 'off' });
    run.events.onAny((event) => void events.push(event));
    const report = await run.report;
    expect(report.sandbox).toBe('off');
    expect(renderReportMarkdown(report)).toMatch(/Sandbox: OFF/);
    expect(events.find((event) => event.type === 'run-start')).toMatchObject({ sandbox: 'off' });
    expect(events.find((event) => event.type === 'error' && event.code === 'sandbox-off')).toBeDefined();
    const lines = (await readFile(scenario.auditLogPath, 'utf8')).trim().split('\n');
    expect(lines).toHaveLength(2);
    for (const line of lines) expect(JSON.parse(line)).toMatchObject({ sandbox: 'off' });
  }, 60_000);
});
