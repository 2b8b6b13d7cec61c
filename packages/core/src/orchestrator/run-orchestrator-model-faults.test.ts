/**
 * End-to-end model endpoint faults through `runOrchestrator`: each fault once is survived, a
 * fault every time ends the run with one line naming the endpoint, a long retry-after fails fast
 * and says so, and a call to an unknown tool is answered to the model.
 */
import { describe, expect, it } from 'vitest';
import type { OrchestratorEvent } from '../events.js';
import type { ModelRequestOptions } from '../model/model-request-options.js';
import type { OrchestratorScenario } from '../testing/orchestrator-scenario.js';
import { finalSummary, orchestratorTurn, repoCommand } from '../testing/orchestrator-scenario.js';
import {
  dropMidStream,
  failWithStatus,
  functionCall,
  hangWithoutHeaders,
  malformedEvent,
  stallMidStream,
  truncateBody,
} from '../testing/scripted-model-turns.js';
import { useOrchestratorScenarios } from './orchestrator-scenarios.fixture.js';
import { runOrchestrator } from './run-orchestrator.js';

const newScenario = useOrchestratorScenarios();

// Small timeouts keep the faults quick; the bounds asserted are far above them.
const modelRequests: ModelRequestOptions = {
  timeoutMs: 1_500,
  streamIdleTimeoutMs: 500,
  retries: 2,
  initialRetryDelayMs: 10,
  maxRetryDelayMs: 50,
  maxRetryAfterMs: 10_000,
};

async function run(scenario: OrchestratorScenario, task: string) {
  const orchestration = runOrchestrator(task, { ...scenario.options, modelRequests });
  const events: OrchestratorEvent[] = [];
  orchestration.events.onAny((event: OrchestratorEvent) => events.push(event));
  const started = performance.now();
  const report = await orchestration.report;
  return { report, events, elapsedMs: performance.now() - started };
}

describe('runOrchestrator against a faulty model endpoint', () => {
  it('survives each fault once (dropped socket, cut body, malformed body, stall, no headers, 500, 429) and completes', async () => {
    const scenario = await newScenario();
    scenario.orchestrator([
      dropMidStream(),
      orchestratorTurn(repoCommand('main', 'git status --short')),
      truncateBody(),
      malformedEvent(),
      orchestratorTurn(repoCommand('main', 'git log --oneline -1')),
      stallMidStream(),
      hangWithoutHeaders(),
      orchestratorTurn(repoCommand('main', 'git branch --list')),
      failWithStatus(500, 'upstream exploded'),
      failWithStatus(429, 'slow down', { retryAfter: '0.05' }),
      orchestratorTurn(finalSummary('All checked.')),
    ]);
    const { report, events } = await run(scenario, 'Check the repository.');
    expect(report.error).toBeUndefined();
    expect(report.status).toBe('completed');
    expect(report.summary).toBe('All checked.');
    const retries = events.filter((event) => event.type === 'model-call-retry');
    expect(retries).toHaveLength(7);
    for (const retry of retries)
      expect(retry.reason).toContain(`The model endpoint ${scenario.server.baseURL} failed`);
    expect(retries.map((retry) => retry.attempt)).toEqual([1, 1, 2, 1, 2, 1, 2]);
    scenario.server.assertComplete();
  });

  it('ends the run with one line naming the endpoint when the socket drops every time', async () => {
    const scenario = await newScenario();
    scenario.orchestrator([dropMidStream(), dropMidStream(), dropMidStream()]);
    const { report, elapsedMs } = await run(scenario, 'Check the repository.');
    expect(report.status).toBe('failed');
    expect(report.error).toMatch(
      new RegExp(
        `^The model endpoint ${scenario.server.baseURL.replace(/[./]/g, '\\$&')} failed after 3 attempts: connection failed \\(terminated`,
      ),
    );
    expect(report.error).not.toContain('\n');
    expect(scenario.orchestratorRequests()).toHaveLength(3);
    expect(report.main.state).toBe('start');
    expect(elapsedMs).toBeLessThan(30_000);
  });

  it('ends the run within its deadlines when the endpoint stalls every time', async () => {
    const scenario = await newScenario();
    scenario.orchestrator([stallMidStream(), stallMidStream(), stallMidStream()]);
    const { report, elapsedMs } = await run(scenario, 'Check the repository.');
    expect(report.status).toBe('failed');
    expect(report.error).toContain(`The model endpoint ${scenario.server.baseURL} failed after 3 attempts`);
    expect(report.error).toContain('no answer within 1500 ms (modelRequests.timeoutMs)');
    // Three attempts of 1.5 s and short pauses; far below a minute.
    expect(elapsedMs).toBeLessThan(60_000);
  });

  it('fails fast and says so when retry-after is longer than the cap', async () => {
    const scenario = await newScenario();
    scenario.orchestrator([failWithStatus(429, 'rate limited', { retryAfter: 3600 })]);
    const { report, events, elapsedMs } = await run(scenario, 'Check the repository.');
    expect(report.status).toBe('failed');
    expect(report.error).toContain(`The model endpoint ${scenario.server.baseURL} answered HTTP 429`);
    expect(report.error).toContain(
      'asked to retry after 3600 s, longer than modelRequests.maxRetryAfterMs (10 s)',
    );
    expect(events.some((event) => event.type === 'model-call-retry')).toBe(false);
    expect(scenario.orchestratorRequests()).toHaveLength(1);
    expect(elapsedMs).toBeLessThan(30_000);
  });

  it('answers a call to an unknown tool to the model and goes on', async () => {
    const scenario = await newScenario();
    scenario.orchestrator([
      orchestratorTurn(functionCall('delete_everything', { path: '/' })),
      (request) => {
        const output = request.toolOutputs.at(-1)?.output ?? '';
        return [finalSummary(`told: ${output}`)];
      },
    ]);
    const { report, events } = await run(scenario, 'Check the repository.');
    expect(report.status).toBe('completed');
    expect(report.summary).toBe(
      'told: Error: there is no tool named "delete_everything", so nothing was run. Call only the tools you were given.',
    );
    const notice = events.find((event) => event.type === 'error' && event.code === 'model-unknown-tool');
    expect(notice).toMatchObject({ message: expect.stringContaining('"delete_everything"') });
    scenario.server.assertComplete();
  });
});
