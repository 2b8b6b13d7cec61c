import { Agent, OpenAIProvider, Runner } from '@openai/agents';
import OpenAI from 'openai';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createScriptedModelServer, type ScriptedModelServer } from '../testing/scripted-model-server.js';
import {
  assistantMessage,
  dropMidStream,
  failWithStatus,
  hangWithoutHeaders,
  malformedEvent,
  type ScriptedTurn,
  stallMidStream,
  truncateBody,
} from '../testing/scripted-model-turns.js';
import { ModelRequestError } from './model-request-error.js';
import { type ModelRequestOptions, resolveModelRequestOptions } from './model-request-options.js';
import { createPatientModelProvider, type ModelRetryNotice } from './patient-model-provider.js';

beforeAll(() => {
  process.env.OPENAI_AGENTS_DISABLE_TRACING = '1';
});

let server: ScriptedModelServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

// Small timeouts keep the faults quick; every bound below is far above them.
const quick: ModelRequestOptions = {
  timeoutMs: 1_000,
  streamIdleTimeoutMs: 400,
  retries: 2,
  initialRetryDelayMs: 10,
  maxRetryDelayMs: 20,
  maxRetryAfterMs: 5_000,
};

async function setUp(turns: ScriptedTurn[], requests: ModelRequestOptions = quick) {
  server = await createScriptedModelServer();
  server.addScript({ turns });
  const notices: ModelRetryNotice[] = [];
  const provider = createPatientModelProvider({
    provider: new OpenAIProvider({ openAIClient: new OpenAI(server.openAIClientOptions()) }),
    endpoint: server.baseURL,
    requests: resolveModelRequestOptions(requests),
    onRetry: (notice) => notices.push(notice),
  });
  const runner = new Runner({ modelProvider: provider, tracingDisabled: true });
  const agent = new Agent({ name: 'assistant', instructions: 'Answer briefly.', model: 'scripted' });
  const run = async (stream: boolean, signal?: AbortSignal): Promise<unknown> => {
    if (!stream) return (await runner.run(agent, 'hello', signal ? { signal } : {})).finalOutput;
    const result = await runner.run(agent, 'hello', { stream: true, ...(signal ? { signal } : {}) });
    for await (const _event of result) {
      // drain
    }
    await result.completed;
    if (result.error) throw result.error;
    return result.finalOutput;
  };
  return { server, notices, run };
}

const faults: Array<[string, () => ScriptedTurn]> = [
  ['a dropped socket', () => dropMidStream()],
  ['a body cut short', () => truncateBody()],
  ['a malformed body or SSE event', () => malformedEvent()],
  ['a stall after the headers', () => stallMidStream()],
  ['no headers at all', () => hangWithoutHeaders()],
  ['HTTP 500', () => failWithStatus(500, 'upstream exploded')],
  ['HTTP 429 with a short retry-after', () => failWithStatus(429, 'slow down', { retryAfter: '0.05' })],
];

describe('createPatientModelProvider', () => {
  for (const stream of [false, true]) {
    const style = stream ? 'streamed' : 'plain';
    for (const [name, fault] of faults) {
      it(`survives ${name} once (${style} request)`, async () => {
        const setup = await setUp([fault(), [assistantMessage('fine')]]);
        expect(await setup.run(stream)).toBe('fine');
        expect(setup.server.requests).toHaveLength(2);
        expect(setup.notices).toHaveLength(1);
        expect(setup.notices[0]?.attempt).toBe(1);
        expect(setup.notices[0]?.reason).toContain(
          `The model endpoint ${setup.server.baseURL} failed (attempt 1 of 3)`,
        );
        setup.server.assertComplete();
      });

      it(`fails with one clear line naming the endpoint when ${name} happens every time (${style} request)`, async () => {
        const setup = await setUp([fault(), fault(), fault()]);
        const started = performance.now();
        const error = await setup.run(stream).then(
          () => undefined,
          (caught: unknown) => caught,
        );
        expect(error).toBeInstanceOf(ModelRequestError);
        const message = (error as ModelRequestError).message;
        expect(message).toMatch(
          new RegExp(
            `^The model endpoint ${setup.server.baseURL.replace(/[./]/g, '\\$&')} failed after 3 attempts: `,
          ),
        );
        expect(message).not.toContain('\n');
        expect(message).toContain('raise modelRequests.retries');
        expect((error as ModelRequestError).attempts).toBe(3);
        expect(setup.server.requests).toHaveLength(3);
        expect(setup.notices.map((notice) => notice.attempt)).toEqual([1, 2]);
        // Three attempts of at most timeoutMs (1 s) each, plus short pauses: far below 20 s.
        expect(performance.now() - started).toBeLessThan(20_000);
      });
    }
  }

  it('names what went wrong: the timeout option, the connection, the malformed body, the status', async () => {
    const messages: string[] = [];
    for (const turn of [
      stallMidStream(),
      dropMidStream(),
      truncateBody(),
      failWithStatus(503, 'overloaded'),
    ]) {
      const setup = await setUp([turn], { ...quick, retries: 0 });
      messages.push(
        await setup.run(false).then(
          () => 'no error',
          (error: unknown) => (error as Error).message,
        ),
      );
      await server?.close();
      server = undefined;
    }
    expect(messages[0]).toContain('no answer within 1000 ms (modelRequests.timeoutMs)');
    expect(messages[1]).toContain('connection failed (terminated');
    expect(messages[2]).toContain('malformed response (');
    expect(messages[3]).toContain('HTTP 503: 503 overloaded');
  });

  it('reports a stream that stalls mid-way with the idle timeout option', async () => {
    const setup = await setUp([stallMidStream()], { ...quick, retries: 0 });
    await expect(setup.run(true)).rejects.toThrow(
      /the stream was silent for 400 ms \(modelRequests\.streamIdleTimeoutMs\)/,
    );
  });

  it('waits the retry-after the endpoint asks for when it is within the cap', async () => {
    const setup = await setUp([
      failWithStatus(429, 'slow down', { retryAfter: '0.2' }),
      [assistantMessage('ok')],
    ]);
    expect(await setup.run(false)).toBe('ok');
    expect(setup.notices.map((notice) => notice.delayMs)).toEqual([200]);
  });

  it('fails at once, saying so, when retry-after is longer than the cap', async () => {
    const setup = await setUp([
      failWithStatus(429, 'rate limited', { retryAfter: 3600 }),
      [assistantMessage('never')],
    ]);
    const started = performance.now();
    const error = (await setup.run(false).catch((caught: unknown) => caught)) as ModelRequestError;
    expect(error).toBeInstanceOf(ModelRequestError);
    expect(error.code).toBe('model-retry-after-too-long');
    expect(error.message).toContain(`The model endpoint ${setup.server.baseURL} answered HTTP 429`);
    expect(error.message).toContain(
      'asked to retry after 3600 s, longer than modelRequests.maxRetryAfterMs (5 s)',
    );
    expect(setup.server.requests).toHaveLength(1);
    expect(setup.notices).toHaveLength(0);
    expect(performance.now() - started).toBeLessThan(10_000);
  });

  it('does not retry an error a retry cannot fix (HTTP 401)', async () => {
    const setup = await setUp([failWithStatus(401, 'bad key'), [assistantMessage('never')]]);
    const error = (await setup.run(false).catch((caught: unknown) => caught)) as ModelRequestError;
    expect(error.message).toBe(
      `The model endpoint ${setup.server.baseURL} failed: HTTP 401: 401 bad key. Check the API key.`,
    );
    expect(error.status).toBe(401);
    expect(setup.server.requests).toHaveLength(1);
  });

  it('stops at once when the run is aborted during a pause, with the abort and no retry', async () => {
    const setup = await setUp([failWithStatus(500, 'down'), [assistantMessage('never')]], {
      ...quick,
      initialRetryDelayMs: 60_000,
      maxRetryDelayMs: 60_000,
    });
    const controller = new AbortController();
    const running = setup.run(false, controller.signal).catch((caught: unknown) => caught);
    while (setup.notices.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    controller.abort(new Error('user pressed Ctrl-C'));
    const error = await running;
    expect(error).not.toBeInstanceOf(ModelRequestError);
    expect(setup.server.requests).toHaveLength(1);
  });
});

describe('resolveModelRequestOptions', () => {
  it('applies the documented defaults and refuses bad values by name', () => {
    expect(resolveModelRequestOptions()).toEqual({
      timeoutMs: 600_000,
      streamIdleTimeoutMs: 120_000,
      retries: 4,
      initialRetryDelayMs: 1_000,
      maxRetryDelayMs: 30_000,
      maxRetryAfterMs: 120_000,
    });
    expect(resolveModelRequestOptions({ retries: 0 }).retries).toBe(0);
    expect(() => resolveModelRequestOptions({ timeoutMs: 0 })).toThrow(
      'modelRequests.timeoutMs must be a whole number of milliseconds >= 1, got 0',
    );
    expect(() => resolveModelRequestOptions({ retries: -1 })).toThrow(
      'modelRequests.retries must be a whole number >= 0',
    );
  });
});
