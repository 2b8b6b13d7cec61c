import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Update, User } from 'grammy/types';
import { BotApiFailure, type FakeBotApiState, fakeMethods } from './fake-bot-api-methods.js';
import type { FakeApiCall, FakeApiFailure, FakeBotApi, FakeBotApiOptions } from './fake-bot-api-types.js';
import { createFakeUpdateQueue } from './fake-update-queue.js';
import { callbackQueryUpdate, textMessageUpdate } from './fake-updates.js';
import { parseMultipart } from './parse-multipart.js';

const defaultToken = '123456789:AAFakeTokenForTestsOnly_abcdefghijk';
const maxBodyBytes = 60 * 1024 * 1024;

/**
 * Starts a fake Telegram Bot API server on 127.0.0.1 (a free port). It speaks the real HTTP
 * protocol, so a real grammY bot (or any client) runs against it unchanged, and it enforces the
 * limits the real API enforces: 4096-character messages, "message is not modified" on identical
 * edits, 1-64 byte callback data, 409 when a second poller arrives, and 429 with `retry_after` on
 * demand (`failNext`).
 *
 * @example
 * const telegram = await createFakeBotApi();
 * const bot = new Bot(telegram.token, { client: { apiRoot: telegram.apiRoot } });
 * bot.command('ping', (ctx) => ctx.reply('pong'));
 * void bot.start();
 * telegram.sendText(42, 42, '/ping');
 * await telegram.waitFor(() => telegram.messages.find((message) => message.text === 'pong'));
 * await bot.stop();
 * await telegram.close();
 */
export async function createFakeBotApi(options: FakeBotApiOptions = {}): Promise<FakeBotApi> {
  const token = options.token ?? defaultToken;
  const maxLongPollMs = options.maxLongPollMs ?? 30_000;
  const botId = Number(token.split(':')[0]) || 123456789;
  const state: FakeBotApiState = {
    botInfo: {
      id: botId,
      is_bot: true,
      first_name: 'Fake Bot',
      username: 'fake_bot',
      can_join_groups: true,
      can_read_all_group_messages: false,
      supports_inline_queries: false,
      ...options.botInfo,
    } as User,
    chats: new Map(),
    allMessages: new Map(),
    nextMessageId: new Map(),
    messages: [],
    documents: [],
    callbackAnswers: [],
    openCallbackQueries: new Set(),
    commands: [],
  };
  const calls: FakeApiCall[] = [];
  const failures = new Map<string, FakeApiFailure[]>();
  const listeners = new Set<() => void>();
  const startedAt = Date.now();
  let nextCallbackId = 1;
  let closed = false;

  const notify = () => {
    for (const listener of [...listeners]) listener();
  };

  const send = (response: ServerResponse, status: number, body: unknown) => {
    if (response.writableEnded || response.destroyed) return;
    response.writeHead(status, { 'content-type': 'application/json' });
    response.end(JSON.stringify(body));
  };

  const record = (method: string, payload: Record<string, unknown>, status: number, description?: string) => {
    const call: FakeApiCall = { method, payload, status, at: Date.now() - startedAt };
    if (description !== undefined) call.description = description;
    calls.push(call);
    notify();
  };

  const fail = (
    response: ServerResponse,
    method: string,
    payload: Record<string, unknown>,
    error: BotApiFailure,
  ) => {
    record(method, payload, error.errorCode, error.description);
    send(response, error.errorCode, {
      ok: false,
      error_code: error.errorCode,
      description: error.description,
      ...(error.retryAfter === undefined ? {} : { parameters: { retry_after: error.retryAfter } }),
    });
  };

  const updates = createFakeUpdateQueue({ send, fail, record }, maxLongPollMs);
  const enqueue = (update: Omit<Update, 'update_id'>): Update => {
    const full = updates.enqueue(update);
    notify();
    return full;
  };

  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const match = /^\/bot([^/]+)\/(?:test\/)?([A-Za-z]+)$/.exec(url.pathname);
    const body = await readBody(request);
    const method = match?.[2] ?? url.pathname;
    let payload: Record<string, unknown> = Object.fromEntries(url.searchParams);
    const files = new Map<string, { fileName: string; content: Buffer }>();
    const contentType = request.headers['content-type'] ?? '';
    try {
      if (contentType.startsWith('application/json') && body.length > 0) {
        payload = { ...payload, ...(JSON.parse(body.toString('utf8')) as Record<string, unknown>) };
      } else if (contentType.startsWith('multipart/form-data')) {
        for (const part of parseMultipart(body, contentType)) {
          if (part.fileName === undefined) payload[part.name] = part.content.toString('utf8');
          else files.set(part.name, { fileName: part.fileName, content: part.content });
        }
      }
    } catch {
      fail(response, method, {}, new BotApiFailure(400, "Bad Request: can't parse request body"));
      return;
    }
    if (match === undefined || match === null) {
      fail(response, method, payload, new BotApiFailure(404, 'Not Found'));
      return;
    }
    if (match[1] !== token) {
      fail(response, method, payload, new BotApiFailure(401, 'Unauthorized'));
      return;
    }
    const injected = failures.get(method)?.shift();
    if (injected !== undefined) {
      fail(response, method, payload, toFailure(injected));
      return;
    }
    if (method === 'getUpdates') {
      updates.getUpdates(payload, response);
      return;
    }
    const implementation = fakeMethods[method];
    if (implementation === undefined) {
      fail(response, method, payload, new BotApiFailure(404, 'Not Found: method not found'));
      return;
    }
    try {
      const result = implementation(state, payload, files);
      record(method, payload, 200);
      send(response, 200, { ok: true, result });
    } catch (error) {
      if (error instanceof BotApiFailure) fail(response, method, payload, error);
      else fail(response, method, payload, new BotApiFailure(400, `Bad Request: ${String(error)}`));
    }
  };

  const server = createServer((request, response) => {
    handle(request, response).catch(() => send(response, 500, { ok: false, error_code: 500 }));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const port = (server.address() as AddressInfo).port;

  const api: FakeBotApi = {
    apiRoot: `http://127.0.0.1:${port}`,
    token,
    botInfo: state.botInfo,
    get messages() {
      return state.messages;
    },
    get documents() {
      return state.documents;
    },
    get calls() {
      return calls;
    },
    get callbackAnswers() {
      return state.callbackAnswers;
    },
    get commands() {
      return state.commands;
    },
    sendText(from, chat, text) {
      return enqueue(textMessageUpdate(state, from, chat, text));
    },
    pressButton(from, chat, messageId, data) {
      return enqueue(callbackQueryUpdate(state, from, chat, messageId, data, `callback-${nextCallbackId++}`));
    },
    redeliver(update) {
      const { update_id: _ignored, ...rest } = update;
      return enqueue(rest as Omit<Update, 'update_id'>);
    },
    failNext(method, failure, times = 1) {
      const list = failures.get(method) ?? [];
      for (let index = 0; index < times; index += 1) list.push(failure);
      failures.set(method, list);
    },
    pendingUpdateCount: () => updates.pendingCount(),
    waitFor(predicate, timeoutMs = 5000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const value = predicate();
          if (value === undefined || value === null || value === false) return;
          cleanup();
          resolve(value);
        };
        const interval = setInterval(check, 20);
        const timer = setTimeout(() => {
          cleanup();
          const recent = calls
            .slice(-10)
            .map((call) => `${call.method} ${call.status} ${call.description ?? ''}`);
          reject(new Error(`waitFor timed out after ${timeoutMs} ms; last calls:\n${recent.join('\n')}`));
        }, timeoutMs);
        const cleanup = () => {
          clearInterval(interval);
          clearTimeout(timer);
          listeners.delete(check);
        };
        listeners.add(check);
        check();
      });
    },
    async close() {
      if (closed) return;
      closed = true;
      updates.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return api;
}

function toFailure(failure: FakeApiFailure): BotApiFailure {
  const defaults: Record<number, string> = {
    429: `Too Many Requests: retry after ${failure.retryAfter ?? 1}`,
    500: 'Internal Server Error',
    502: 'Bad Gateway',
  };
  const description = failure.description ?? defaults[failure.errorCode] ?? `Error ${failure.errorCode}`;
  return new BotApiFailure(failure.errorCode, description, failure.retryAfter);
}

async function readBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > maxBodyBytes) throw new Error('request body too large');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}
