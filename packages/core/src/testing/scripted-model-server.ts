/**
 * A fake OpenAI Responses API on 127.0.0.1 that plays scripted model turns. It drives the real
 * codex binary (see `createCodexHome`) and the `openai` client of the Agents SDK
 * (see `openAIClientOptions`), with no internet and no API key.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { errorMessage } from '../shared/error-message.js';
import {
  createScriptRouter,
  type ScriptedModelScript,
  type ScriptedModelScriptHandle,
} from './script-router.js';
import {
  type RecordedModelRequest,
  requestText,
  requestToolOutputs,
  sessionHeaderOf,
} from './scripted-model-request.js';
import {
  defaultScriptedUsage,
  openingEvents,
  outputEvents,
  renderOutputItem,
  renderResponse,
  renderUsage,
  sseFrame,
} from './scripted-model-response.js';
import type { ScriptedFailure, ScriptedReply, ScriptedTurn, ScriptedUsage } from './scripted-model-turns.js';

export type { ScriptedModelScript, ScriptedModelScriptHandle } from './script-router.js';

/** Options of `createScriptedModelServer`. */
export interface ScriptedModelServerOptions {
  /** Scripts to add right away (same as calling `addScript` for each). */
  scripts?: ScriptedModelScript[];
  /** Usage reported by turns that do not set it (default: 100 input, 10 output tokens). */
  defaultUsage?: ScriptedUsage;
}

/** Options for an `openai` client pointed at the server: `new OpenAI(server.openAIClientOptions())`. */
export interface ScriptedOpenAIClientOptions {
  baseURL: string;
  apiKey: string;
  maxRetries: 0;
  defaultHeaders?: Record<string, string>;
}

/** A running scripted model server. */
export interface ScriptedModelServer {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  /** `http://127.0.0.1:<port>/v1`: the base URL for clients. */
  readonly baseURL: string;
  readonly port: number;
  /** Every request received, in arrival order. */
  readonly requests: readonly RecordedModelRequest[];
  /** Every protocol or script error the server answered with HTTP 500/404 (script exhausted, no match...). */
  readonly errors: readonly string[];
  /** Adds a script. Scripts are tried in the order they were added. */
  addScript(script: ScriptedModelScript): ScriptedModelScriptHandle;
  /**
   * Options for `new OpenAI(...)`. `session` is sent as the `x-scripted-session` header, which keys
   * the conversation like codex's `session-id` header does.
   */
  openAIClientOptions(options?: { session?: string }): ScriptedOpenAIClientOptions;
  /** Throws when a request failed, a session has turns left, or a non-reusable script was never used. */
  assertComplete(): void;
  /** Stops the server, cutting open connections (hanging turns included). */
  close(): Promise<void>;
}

/** The API key the helpers hand out; the server accepts any key. */
export const scriptedModelApiKey = 'scripted-model-server-key';

/**
 * Starts a scripted model server on 127.0.0.1 (port 0).
 *
 * Routing: a request carrying a `session-id`, `thread-id` or `x-scripted-session` header belongs
 * to that session; a session's first request claims the first script (in the order added) whose
 * `match` accepts it and that is not taken (`reuse: true` scripts are never taken: each session
 * gets its own copy). Later requests of the session play the next turns of that script; once it
 * is played out, the session's next request (a codex thread continued with `codex exec resume`)
 * claims the next matching script. Requests without a session header (the `openai` client by
 * default; give it one with `openAIClientOptions({ session })`) continue the unfinished
 * header-less session whose script matches them, else claim a script the same way. A request no
 * script accepts, or one past the end of its script, gets HTTP 500 with a message and is listed
 * in `errors`.
 *
 * A turn's `delayMs` is waited after `response.created` when streaming: keep it below the
 * client's idle timeout (`createCodexHome({ streamIdleTimeoutMs })`, 10 s by default).
 *
 * @example
 * const server = await createScriptedModelServer();
 * server.addScript({ match: 'TASK-1', turns: [[execCommand('echo hi')], [assistantMessage('done')]] });
 * const codexHome = await createCodexHome(server);
 * const worker = createCodexWorker({ codexHome: codexHome.path, env: codexHome.env });
 * server.assertComplete();
 * await server.close();
 */
export async function createScriptedModelServer(
  options: ScriptedModelServerOptions = {},
): Promise<ScriptedModelServer> {
  const router = createScriptRouter();
  const requests: RecordedModelRequest[] = [];
  const errors: string[] = [];
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  const usageDefaults = { ...defaultScriptedUsage, ...options.defaultUsage };
  let idCounter = 0;
  const nextId = (prefix: string) => `${prefix}_scripted_${(++idCounter).toString().padStart(4, '0')}`;

  for (const script of options.scripts ?? []) router.addScript(script);

  const wait = (milliseconds: number | undefined, response: ServerResponse) =>
    new Promise<boolean>((resolve) => {
      if (milliseconds === undefined || milliseconds <= 0) return resolve(!response.destroyed);
      const timer = setTimeout(() => {
        timers.delete(timer);
        resolve(!response.destroyed);
      }, milliseconds);
      timers.add(timer);
      response.once('close', () => {
        clearTimeout(timer);
        timers.delete(timer);
        resolve(false);
      });
    });

  const fail = (response: ServerResponse, status: number, message: string) => {
    errors.push(message);
    sendJson(response, status, { error: { message, type: 'scripted_model_server_error', code: null } });
  };

  const playReply = async (request: RecordedModelRequest, turn: ScriptedReply, response: ServerResponse) => {
    const body = renderResponse({
      id: nextId('resp'),
      model: request.model ?? 'scripted-model',
      output: turn.output.map((item) => renderOutputItem(item, nextId)),
      usage: renderUsage(turn.usage, usageDefaults),
    });
    if (!request.stream) {
      if (await wait(turn.delayMs, response)) sendJson(response, 200, body);
      return;
    }
    response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    let sequence = 0;
    for (const event of openingEvents(body)) response.write(sseFrame(event, sequence++));
    if (!(await wait(turn.delayMs, response))) return;
    for (const event of outputEvents(body)) response.write(sseFrame(event, sequence++));
    response.end();
  };

  const playFailure = async (
    request: RecordedModelRequest,
    turn: ScriptedFailure,
    response: ServerResponse,
  ) => {
    if (turn.failure === 'hang') return; // no headers, ever: close() or the client ends it
    if (!(await wait(turn.delayMs, response))) return;
    if (turn.failure === 'status') {
      const status = turn.status ?? 500;
      sendJson(
        response,
        status,
        { error: { message: turn.message, type: 'scripted_failure', code: null } },
        turn.retryAfter === undefined ? {} : { 'retry-after': String(turn.retryAfter) },
      );
      return;
    }
    // A complete answer to cut short: a message long enough that half of it is mid-string.
    const body = renderResponse({
      id: nextId('resp'),
      model: request.model ?? 'scripted-model',
      output: [
        renderOutputItem({ type: 'message', text: 'scripted answer that never arrives whole' }, nextId),
      ],
      usage: renderUsage(undefined, usageDefaults),
    });
    const json = JSON.stringify(body);
    const frames = [...openingEvents(body), ...outputEvents(body)].map((event, index) =>
      sseFrame(event, index),
    );
    if (turn.failure === 'malformed') {
      if (!request.stream) {
        const text = `{"id": ${json.slice(1, 40)}`;
        response.writeHead(200, {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(text),
        });
        response.end(text);
        return;
      }
      response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
      response.write(frames.slice(0, 2).join(''));
      response.end(
        'event: response.output_item.added\ndata: {"type":"response.output_item.added","item":{"id"\n\n',
      );
      return;
    }
    response.writeHead(200, { 'content-type': request.stream ? 'text/event-stream' : 'application/json' });
    if (turn.failure === 'truncate') {
      // Chunked, no content-length: the client sees a clean end of a body cut in half (streaming:
      // after the middle event, so every event it gets is well-formed but the stream never completes).
      const whole = request.stream ? frames.slice(0, Math.ceil(frames.length / 2)).join('') : json;
      response.end(request.stream ? whole : whole.slice(0, Math.floor(whole.length / 2)));
      return;
    }
    response.write(request.stream ? (frames[0] as string) : json.slice(0, 6));
    if (turn.failure === 'drop') setImmediate(() => response.socket?.destroy());
    // `stall`: nothing more, until the client gives up or close() cuts the connection.
  };

  const handle = async (incoming: IncomingMessage, response: ServerResponse) => {
    const raw = await readBody(incoming);
    const body = parseJsonObject(raw);
    const request: RecordedModelRequest = {
      index: requests.length,
      method: incoming.method ?? 'GET',
      path: (incoming.url ?? '/').split('?')[0] ?? '/',
      headers: incoming.headers,
      body,
      byteSize: raw.length,
      model: typeof body?.model === 'string' ? body.model : undefined,
      stream: body?.stream === true,
      sessionHeader: sessionHeaderOf(incoming.headers),
      sessionKey: undefined,
      scriptName: undefined,
      turnIndex: undefined,
      text: requestText(body),
      toolOutputs: requestToolOutputs(body),
    };
    if (request.method === 'GET' && request.path.endsWith('/models')) {
      // Preflight probes ask whether the endpoint answers; not a model request, so not recorded.
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ object: 'list', data: [] }));
      return;
    }
    requests.push(request);
    if (request.method !== 'POST' || !request.path.endsWith('/responses')) {
      fail(
        response,
        404,
        `scripted model server: no route for ${request.method} ${request.path} (only POST /v1/responses)`,
      );
      return;
    }
    if (body === undefined) {
      fail(response, 400, `scripted model server: request #${request.index} body is not a JSON object`);
      return;
    }
    const routed = router.route(request);
    if ('error' in routed) {
      fail(response, 500, `scripted model server: ${routed.error}`);
      return;
    }
    let turn: ScriptedTurn = routed.turn;
    try {
      if (typeof turn === 'function') turn = await turn(request);
    } catch (error) {
      const detail = errorMessage(error);
      fail(
        response,
        500,
        `scripted model server: turn ${routed.turnIndex} of script "${routed.scriptName}" threw: ${detail}`,
      );
      return;
    }
    const normalized = Array.isArray(turn) ? ({ type: 'reply', output: turn } as ScriptedReply) : turn;
    if (typeof normalized === 'function') {
      fail(
        response,
        500,
        `scripted model server: turn function of "${routed.scriptName}" returned a function`,
      );
    } else if (normalized.type === 'failure') {
      await playFailure(request, normalized, response);
    } else {
      await playReply(request, normalized, response);
    }
  };

  const server = createServer((incoming, response) => {
    handle(incoming, response).catch((error: unknown) => {
      const detail = errorMessage(error);
      if (!response.headersSent) fail(response, 500, `scripted model server: ${detail}`);
      else response.destroy();
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  const url = `http://127.0.0.1:${port}`;

  return {
    url,
    baseURL: `${url}/v1`,
    port,
    requests,
    errors,
    addScript: (script) => router.addScript(script),
    openAIClientOptions: (clientOptions = {}) => ({
      baseURL: `${url}/v1`,
      apiKey: scriptedModelApiKey,
      maxRetries: 0,
      ...(clientOptions.session === undefined
        ? {}
        : { defaultHeaders: { 'x-scripted-session': clientOptions.session } }),
    }),
    assertComplete: () => {
      const problems = [...errors.map((error) => `request failed: ${error}`), ...router.unfinished()];
      if (problems.length > 0) {
        throw new Error(`scripted model server: script not played as expected:\n- ${problems.join('\n- ')}`);
      }
    },
    close: async () => {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function sendJson(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  if (response.headersSent || response.destroyed) return;
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  response.end(text);
}

function readBody(incoming: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => resolve(Buffer.concat(chunks)));
    incoming.on('error', reject);
  });
}

function parseJsonObject(raw: Buffer): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(raw.toString('utf8'));
    return value !== null && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}
