import { OpenAIProvider, Runner } from '@openai/agents';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createEventStream } from '../events/event-stream.js';
import type { OrchestratorEvent } from '../events.js';
import { isReviewerRequest, reviewVerdict } from '../testing/orchestrator-scenario.js';
import {
  createScriptedModelServer,
  type ScriptedModelServer,
  scriptedModelApiKey,
} from '../testing/scripted-model-server.js';
import { assistantMessage } from '../testing/scripted-model-turns.js';
import { createAgentReviewer } from './agent-reviewer.js';
import { createMeteredModelProvider } from './metered-model-provider.js';

process.env.OPENAI_AGENTS_DISABLE_TRACING = '1';

let server: ScriptedModelServer;
beforeEach(async () => {
  server = await createScriptedModelServer();
});
afterEach(() => server.close());

const request = {
  branch: 'task-search',
  commit: 'abc123',
  task: 'Add search',
  diffStat: ' src/search.ts | 3 +++',
  diff: '+export const search = () => [];',
  testLog: '$ npm test\n(exit code 0)\n2 passed',
};

function reviewerWithEvents() {
  const events = createEventStream();
  const seen: OrchestratorEvent[] = [];
  events.onAny((event) => void seen.push(event));
  const provider = new OpenAIProvider({ apiKey: scriptedModelApiKey, baseURL: server.baseURL });
  const runner = new Runner({
    modelProvider: createMeteredModelProvider({ provider, events, agent: 'reviewer' }),
    tracingDisabled: true,
  });
  return { reviewer: createAgentReviewer({ runner, model: 'gpt-5-mini' }), seen };
}

describe('agent reviewer', () => {
  it('sends the diff and test log to the model and returns its structured verdict', async () => {
    server.addScript({
      match: isReviewerRequest,
      turns: [
        [
          reviewVerdict('request-changes', 'Search ignores the query.', [
            { file: 'src/search.ts', line: 1, comment: 'Filter by the query.' },
          ]),
        ],
      ],
    });
    const { reviewer, seen } = reviewerWithEvents();
    const verdict = await reviewer.review(request, {});
    expect(verdict).toEqual({
      verdict: 'request-changes',
      summary: 'Search ignores the query.',
      comments: [{ file: 'src/search.ts', line: 1, comment: 'Filter by the query.' }],
    });
    const sent = server.requests[0];
    expect(sent?.model).toBe('gpt-5-mini');
    expect(sent?.text).toContain('+export const search');
    expect(sent?.text).toContain('2 passed');
    expect(JSON.stringify(sent?.body?.text)).toContain('json_schema');
    expect(seen.filter((event) => event.type === 'model-call-end')).toMatchObject([
      { agent: 'reviewer', model: 'gpt-5-mini', usage: { inputTokens: 100, outputTokens: 10 } },
    ]);
    server.assertComplete();
  });

  it('fails (for the gate to turn into request-changes) when the model answers no valid verdict', async () => {
    server.addScript({ match: isReviewerRequest, turns: [[assistantMessage('LGTM!')]] });
    const { reviewer } = reviewerWithEvents();
    await expect(reviewer.review(request, {})).rejects.toThrow();
  });
});
