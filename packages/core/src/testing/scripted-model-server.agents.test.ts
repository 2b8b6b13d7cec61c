import { Agent, OpenAIProvider, Runner, tool } from '@openai/agents';
import OpenAI from 'openai';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createScriptedModelServer, type ScriptedModelServer } from './scripted-model-server.js';
import { assistantMessage, functionCall, reply } from './scripted-model-turns.js';

beforeAll(() => {
  process.env.OPENAI_AGENTS_DISABLE_TRACING = '1';
});

let server: ScriptedModelServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

function runnerFor(target: ScriptedModelServer, session?: string): Runner {
  const client = new OpenAI(target.openAIClientOptions(session === undefined ? {} : { session }));
  return new Runner({ modelProvider: new OpenAIProvider({ openAIClient: client }), tracingDisabled: true });
}

const addTool = tool({
  name: 'add',
  description: 'Adds two numbers.',
  parameters: z.object({ a: z.number(), b: z.number() }),
  execute: async ({ a, b }) => String(a + b),
});

describe('scripted model server with the openai client and the Agents SDK', () => {
  it('plays a function tool round trip without streaming, with usage summed over turns', async () => {
    server = await createScriptedModelServer();
    server.addScript({
      turns: [
        reply(functionCall('add', { a: 2, b: 3 }), { usage: { inputTokens: 50, outputTokens: 7 } }),
        (request) =>
          reply(assistantMessage(`the sum is ${request.toolOutputs.at(-1)?.output}`), {
            usage: { inputTokens: 60, outputTokens: 8 },
          }),
      ],
    });
    const agent = new Agent({
      name: 'calculator',
      instructions: 'Use the add tool.',
      model: 'gpt-5.5',
      tools: [addTool],
    });
    const result = await runnerFor(server).run(agent, 'What is 2 + 3?');
    expect(result.finalOutput).toBe('the sum is 5');
    expect(result.runContext.usage.inputTokens).toBe(110);
    expect(result.runContext.usage.outputTokens).toBe(15);
    expect(server.requests).toHaveLength(2);
    expect(server.requests[0]?.stream).toBe(false);
    expect(server.requests[0]?.text).toContain('Use the add tool.');
    expect(server.requests[1]?.toolOutputs[0]?.output).toBe('5');
    server.assertComplete();
  });

  it('plays the same round trip streamed over SSE', async () => {
    server = await createScriptedModelServer();
    server.addScript({
      match: 'STREAMED',
      turns: [
        [functionCall('add', { a: 40, b: 2 })],
        (request) => [assistantMessage(`sum=${request.toolOutputs.at(-1)?.output}`)],
      ],
    });
    const agent = new Agent({
      name: 'calculator',
      instructions: 'STREAMED run.',
      model: 'gpt-5.5',
      tools: [addTool],
    });
    const stream = await runnerFor(server, 'streamed').run(agent, 'What is 40 + 2?', { stream: true });
    let text = '';
    for await (const event of stream) {
      if (event.type === 'raw_model_stream_event' && event.data.type === 'output_text_delta')
        text += event.data.delta;
    }
    await stream.completed;
    expect(stream.finalOutput).toBe('sum=42');
    expect(text).toBe('sum=42');
    expect(server.requests.every((request) => request.stream)).toBe(true);
    expect(server.requests.map((request) => request.sessionKey)).toEqual(['streamed', 'streamed']);
    server.assertComplete();
  });
});
