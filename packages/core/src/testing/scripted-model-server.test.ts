import { afterEach, describe, expect, it } from 'vitest';
import { createScriptedModelServer, type ScriptedModelServer } from './scripted-model-server.js';
import {
  applyPatch,
  assistantMessage,
  dropMidStream,
  execCommand,
  failWithStatus,
  functionCall,
  hangWithoutHeaders,
  malformedEvent,
  reply,
  stallMidStream,
  truncateBody,
} from './scripted-model-turns.js';

let server: ScriptedModelServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function start(): Promise<ScriptedModelServer> {
  server = await createScriptedModelServer();
  return server;
}

function post(
  target: ScriptedModelServer,
  body: Record<string, unknown>,
  headers: Record<string, string> = {},
  signal?: AbortSignal,
) {
  return fetch(`${target.baseURL}/responses`, {
    method: 'POST',
    ...(signal === undefined ? {} : { signal }),
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ model: 'gpt-5.5', input: 'hello', ...body }),
  });
}

/** The parts of a Responses API answer the tests read. */
interface ResponseBody {
  status: string;
  output: { type: string; content: { text: string }[] }[];
  usage: Record<string, unknown> & { input_tokens: number };
  error: { message: string };
}

const readBody = async (response: Response) => (await response.json()) as ResponseBody;

function parseSse(text: string): Record<string, unknown>[] {
  return text
    .split('\n\n')
    .filter((frame) => frame.trim() !== '')
    .map((frame) => {
      const data = frame.split('\n').find((line) => line.startsWith('data: '));
      return JSON.parse((data ?? '').slice(6)) as Record<string, unknown>;
    });
}

describe('createScriptedModelServer', () => {
  it('answers a non-streaming request with a JSON response, its items and usage', async () => {
    const target = await start();
    target.addScript({
      turns: [
        reply([assistantMessage('hi'), functionCall('lookup', { id: 7 }, { callId: 'c1' })], {
          usage: { inputTokens: 12, outputTokens: 5, cachedInputTokens: 2 },
        }),
      ],
    });
    const response = await post(target, {});
    expect(response.status).toBe(200);
    const body = await readBody(response);
    expect(body.status).toBe('completed');
    expect(body.output[0]).toMatchObject({
      type: 'message',
      role: 'assistant',
      content: [{ type: 'output_text', text: 'hi' }],
    });
    expect(body.output[1]).toMatchObject({
      type: 'function_call',
      name: 'lookup',
      call_id: 'c1',
      arguments: '{"id":7}',
    });
    expect(body.usage).toEqual({
      input_tokens: 12,
      input_tokens_details: { cached_tokens: 2 },
      output_tokens: 5,
      output_tokens_details: { reasoning_tokens: 0 },
      total_tokens: 17,
    });
    target.assertComplete();
  });

  it('streams SSE: created, items added, deltas, items done, completed with usage', async () => {
    const target = await start();
    target.addScript({
      turns: [
        [assistantMessage('streamed'), applyPatch('*** Begin Patch\n*** End Patch\n'), execCommand('ls')],
      ],
    });
    const response = await post(target, { stream: true });
    expect(response.headers.get('content-type')).toBe('text/event-stream');
    const events = parseSse(await response.text());
    const types = events.map((event) => event.type);
    expect(types[0]).toBe('response.created');
    expect(types.at(-1)).toBe('response.completed');
    expect(types.filter((type) => type === 'response.output_item.added')).toHaveLength(3);
    expect(types.filter((type) => type === 'response.output_item.done')).toHaveLength(3);
    expect(types).toContain('response.output_text.delta');
    expect(types).toContain('response.function_call_arguments.done');
    expect(types).toContain('response.custom_tool_call_input.done');
    expect(events.map((event) => event.sequence_number)).toEqual(events.map((_, index) => index));
    const done = events
      .filter((event) => event.type === 'response.output_item.done')
      .map((event) => event.item);
    expect(done[1]).toMatchObject({ type: 'custom_tool_call', name: 'apply_patch' });
    expect(done[2]).toMatchObject({
      type: 'function_call',
      name: 'exec_command',
      arguments: '{"cmd":"ls","login":false}',
    });
    const completed = events.at(-1)?.response as ResponseBody;
    expect(completed.usage.input_tokens).toBe(100);
    expect(completed.output).toHaveLength(3);
  });

  it('keys scripts per session header, so parallel sessions follow their own script', async () => {
    const target = await start();
    const first = target.addScript({
      name: 'first',
      match: 'TASK-A',
      turns: [[assistantMessage('a1')], [assistantMessage('a2')]],
    });
    const second = target.addScript({ name: 'second', match: /TASK-B/, turns: [[assistantMessage('b1')]] });
    const text = async (response: Response) => (await readBody(response)).output[0]?.content[0]?.text;
    expect(await text(await post(target, { input: 'do TASK-A' }, { 'session-id': 's1' }))).toBe('a1');
    expect(await text(await post(target, { input: 'do TASK-B' }, { 'session-id': 's2' }))).toBe('b1');
    // Later requests of s1 stay on its script whatever they contain.
    expect(await text(await post(target, { input: 'anything' }, { 'session-id': 's1' }))).toBe('a2');
    expect(first.sessionKeys).toEqual(['s1']);
    expect(second.sessionKeys).toEqual(['s2']);
    expect(
      target.requests.map((request) => [request.sessionKey, request.scriptName, request.turnIndex]),
    ).toEqual([
      ['s1', 'first', 0],
      ['s2', 'second', 0],
      ['s1', 'first', 1],
    ]);
    target.assertComplete();
  });

  it('routes header-less requests by matcher and keeps an unfinished session on its script', async () => {
    const target = await start();
    target.addScript({
      name: 'by-model',
      match: (request) => request.model === 'planner',
      turns: [[assistantMessage('p1')], [assistantMessage('p2')]],
    });
    target.addScript({ name: 'default', turns: [[assistantMessage('d1')]] });
    const text = async (response: Response) => (await readBody(response)).output[0]?.content[0]?.text;
    expect(await text(await post(target, { model: 'planner' }))).toBe('p1');
    expect(await text(await post(target, { model: 'other' }))).toBe('d1');
    expect(await text(await post(target, { model: 'planner' }))).toBe('p2');
    target.assertComplete();
  });

  it('gives every session its own copy of a reusable script', async () => {
    const target = await start();
    const script = target.addScript({ reuse: true, turns: [[assistantMessage('same')]] });
    for (const session of ['x', 'y', 'z']) {
      expect((await post(target, {}, { 'thread-id': session })).status).toBe(200);
    }
    expect(script.sessionKeys).toEqual(['x', 'y', 'z']);
    target.assertComplete();
  });

  it('moves a session that finished its script on to the next matching script (a resumed thread)', async () => {
    const target = await start();
    target.addScript({ name: 'run', match: 'first', turns: [[assistantMessage('one')]] });
    target.addScript({ name: 'resume', match: 'second', turns: [[assistantMessage('two')]] });
    await post(target, { input: 'first' }, { 'session-id': 't' });
    await post(target, { input: 'first then second' }, { 'session-id': 't' });
    expect(target.requests.map((request) => request.scriptName)).toEqual(['run', 'resume']);
    target.assertComplete();
  });

  it('computes a turn from the request it answers (echoing a tool output)', async () => {
    const target = await start();
    target.addScript({
      turns: [
        (request) => [
          assistantMessage(`saw ${request.toolOutputs.map((output) => output.output).join(',')}`),
        ],
      ],
    });
    const input = [
      { type: 'function_call', call_id: 'c1', name: 'f', arguments: '{}' },
      { type: 'function_call_output', call_id: 'c1', output: 'forty-two' },
    ];
    const body = await readBody(await post(target, { input }));
    expect(body.output[0]?.content[0]?.text).toBe('saw forty-two');
    expect(target.requests[0]?.toolOutputs).toEqual([
      { callId: 'c1', type: 'function_call_output', output: 'forty-two' },
    ]);
  });

  it('records headers, parsed body and byte size of every request', async () => {
    const target = await start();
    target.addScript({ turns: [[assistantMessage('ok')]] });
    await post(target, { instructions: 'be brief' }, { originator: 'test' });
    const [request] = target.requests;
    expect(request?.headers.originator).toBe('test');
    expect(request?.body?.instructions).toBe('be brief');
    expect(request?.byteSize).toBe(
      Buffer.byteLength(JSON.stringify({ model: 'gpt-5.5', input: 'hello', instructions: 'be brief' })),
    );
    expect(request?.text).toContain('be brief');
  });

  it('fails loudly with HTTP 500 when a script runs out, and assertComplete reports it', async () => {
    const target = await start();
    target.addScript({ name: 'short', turns: [[assistantMessage('only')]] });
    await post(target, {}, { 'session-id': 's' });
    const response = await post(target, {}, { 'session-id': 's' });
    expect(response.status).toBe(500);
    const body = await readBody(response);
    expect(body.error.message).toMatch(/script "short" has no turn left for session s: it has 1 turn\(s\)/);
    expect(target.errors).toHaveLength(1);
    expect(() => target.assertComplete()).toThrow(/no turn left/);
  });

  it('answers 500 when no script accepts a request, and reports unused scripts', async () => {
    const target = await start();
    target.addScript({ name: 'never', match: 'NOPE', turns: [[assistantMessage('x')]] });
    const response = await post(target, { input: 'something else' });
    expect(response.status).toBe(500);
    expect((await readBody(response)).error.message).toMatch(/no script accepts request #0/);
    expect(() => target.assertComplete()).toThrow(/script "never" was never used/);
  });

  it('answers a preflight GET /v1/models with an empty list, unrecorded', async () => {
    const target = await start();
    const response = await fetch(`${target.baseURL}/models`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ object: 'list', data: [] });
    expect(target.requests).toEqual([]);
    expect(() => target.assertComplete()).not.toThrow();
  });

  it('answers 404 to anything but POST /v1/responses and records it as an error', async () => {
    const target = await start();
    const response = await fetch(`${target.baseURL}/files`);
    expect(response.status).toBe(404);
    expect(target.requests[0]).toMatchObject({ method: 'GET', path: '/v1/files' });
    expect(target.errors[0]).toMatch(/no route for GET \/v1\/files/);
    expect(() => target.assertComplete()).toThrow(/no route/);
  });

  it('plays a scripted HTTP error status', async () => {
    const target = await start();
    target.addScript({ turns: [failWithStatus(503, 'overloaded')] });
    const response = await post(target, { stream: true });
    expect(response.status).toBe(503);
    expect((await readBody(response)).error.message).toBe('overloaded');
    target.assertComplete();
  });

  it('hangs without headers until the client gives up, and close() cuts the connection', async () => {
    const target = await start();
    target.addScript({ turns: [hangWithoutHeaders(), hangWithoutHeaders()] });
    const started = Date.now();
    await expect(post(target, {}, { 'session-id': 'h' }, AbortSignal.timeout(300))).rejects.toThrow(/abort/i);
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    const pending = post(target, {}, { 'session-id': 'h' }).then(
      () => 'answered',
      () => 'cut',
    );
    await new Promise((resolve) => setTimeout(resolve, 100));
    await target.close();
    expect(await pending).toBe('cut');
    expect(Date.now() - started).toBeLessThan(5000);
    server = undefined;
  }, 10000);

  it('drops a stream in the middle', async () => {
    const target = await start();
    target.addScript({ turns: [dropMidStream()] });
    const response = await post(target, { stream: true });
    expect(response.status).toBe(200);
    await expect(response.text()).rejects.toThrow();
  });

  it('sends retry-after with a scripted status', async () => {
    const target = await start();
    target.addScript({ turns: [failWithStatus(429, 'slow down', { retryAfter: 3600 })] });
    const response = await post(target, {});
    expect(response.status).toBe(429);
    expect(response.headers.get('retry-after')).toBe('3600');
  });

  it('stalls after the headers and the first event until the client gives up', async () => {
    const target = await start();
    target.addScript({ turns: [stallMidStream()] });
    const controller = new AbortController();
    const response = await post(target, { stream: true }, {}, controller.signal);
    expect(response.status).toBe(200);
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    const first = new TextDecoder().decode((await reader.read()).value);
    expect(first).toContain('event: response.created');
    const next = reader.read().then(
      () => 'more',
      () => 'cut',
    );
    setTimeout(() => controller.abort(), 200);
    expect(await next).toBe('cut');
  });

  it('cuts a body in half and ends the response cleanly', async () => {
    const target = await start();
    target.addScript({ turns: [truncateBody(), truncateBody()] });
    const plain = await (await post(target, {}, { 'session-id': 't' })).text();
    expect(() => JSON.parse(plain)).toThrow(/JSON/);
    const streamed = await (await post(target, { stream: true }, { 'session-id': 't' })).text();
    expect(streamed).toContain('event: response.created');
    expect(streamed).not.toContain('response.completed');
  });

  it('answers a malformed SSE event, or a body that is not JSON', async () => {
    const target = await start();
    target.addScript({ turns: [malformedEvent(), malformedEvent()] });
    const plain = await (await post(target, {}, { 'session-id': 'm' })).text();
    expect(() => JSON.parse(plain)).toThrow();
    const streamed = await (await post(target, { stream: true }, { 'session-id': 'm' })).text();
    const lastData = streamed.trim().split('\n').at(-1) ?? '';
    expect(lastData.startsWith('data: ')).toBe(true);
    expect(() => JSON.parse(lastData.slice('data: '.length))).toThrow();
  });

  it('waits the delay of a turn before sending its output', async () => {
    const target = await start();
    target.addScript({ turns: [reply(assistantMessage('late'), { delayMs: 300 })] });
    const started = Date.now();
    const body = await (await post(target, { stream: true })).text();
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    expect(body).toContain('response.completed');
  });

  it('gives openai client options with a session header', async () => {
    const target = await start();
    expect(target.openAIClientOptions({ session: 'orchestrator' })).toEqual({
      baseURL: `http://127.0.0.1:${target.port}/v1`,
      apiKey: 'scripted-model-server-key',
      maxRetries: 0,
      defaultHeaders: { 'x-scripted-session': 'orchestrator' },
    });
  });
});
