/**
 * The prologue every orchestrator test file shared: Agents SDK tracing off, one scenario (real git
 * repository, scripted model server, codex home) per test, closed after that test.
 */
import { afterEach } from 'vitest';
import {
  createOrchestratorScenario,
  type OrchestratorScenario,
  type OrchestratorScenarioOptions,
} from '../testing/orchestrator-scenario.js';

process.env.OPENAI_AGENTS_DISABLE_TRACING = '1';

/**
 * Call once at the top of a test file; the returned function creates a scenario that is closed
 * after the test that created it.
 */
export function useOrchestratorScenarios(): (
  options?: OrchestratorScenarioOptions,
) => Promise<OrchestratorScenario> {
  const open: OrchestratorScenario[] = [];
  afterEach(async () => {
    for (const scenario of open.splice(0)) await scenario.close();
  });
  return async (options) => {
    const scenario = await createOrchestratorScenario(options);
    open.push(scenario);
    return scenario;
  };
}
