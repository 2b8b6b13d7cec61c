import { createHmac } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type ExecutionResult, execute, type GraphQLError, parse, validate } from 'graphql';
import { createFakeLinearRoot, type FakeLinearContext } from './fake-linear-resolvers.js';
import { fakeLinearSchema } from './fake-linear-schema.js';
import {
  type FakeLinearUser,
  FakeLinearWorkspace,
  type FakeWorkspaceChange,
} from './fake-linear-workspace.js';

const defaultApiKey = 'lin_api_fakeKeyForTestsOnly0123456789abcdef';
const maxBodyBytes = 1024 * 1024;
const hourMs = 60 * 60 * 1000;

/** One request the fake answered. The `Authorization` value itself is never kept. */
export interface FakeLinearRequest {
  /** Milliseconds since the fake started. */
  at: number;
  operationName?: string;
  /** The root fields of the operation (`issues`, `commentCreate`...). */
  fields: string[];
  variables: Record<string, unknown>;
  status: number;
  outcome: 'ok' | 'graphql-error' | 'unauthenticated' | 'rate-limited' | 'bad-request';
}

export interface FakeLinearApiOptions {
  /** The one API key the fake accepts (as `Authorization: KEY` or `Bearer KEY`). */
  apiKey?: string;
  /** The user the API key belongs to (default "Orchestrator Bot"). */
  viewer?: { name: string; email?: string };
  /** Requests allowed per hour before RATELIMITED (Linear: 5,000 for an API key). */
  requestsPerHour?: number;
  /** Webhooks the fake delivers changes to (signed like Linear's). */
  webhooks?: Array<{ url: string; secret: string }>;
}

/** A fake Linear GraphQL API on loopback. See `createFakeLinearApi`. */
export interface FakeLinearApi {
  /** The GraphQL endpoint, `http://127.0.0.1:PORT/graphql`. */
  readonly url: string;
  readonly apiKey: string;
  /** The API key's user. */
  readonly viewer: FakeLinearUser;
  /** The workspace data: add users, teams, labels, issues, comments as people would. */
  readonly workspace: FakeLinearWorkspace;
  /** Every request answered, oldest first. */
  readonly requests: readonly FakeLinearRequest[];
  /** The next `count` requests fail with RATELIMITED; the window resets `resetInMs` later. */
  rateLimitNext(count: number, options?: { resetInMs?: number }): void;
  /** Resolves when `predicate` returns a truthy value (checked on each request and change). */
  waitFor<T>(predicate: () => T | undefined | false, timeoutMs?: number): Promise<T>;
  /** Adds a webhook target after start. */
  addWebhook(target: { url: string; secret: string }): void;
  close(): Promise<void>;
}

/** Signs a webhook body as Linear does: hex HMAC-SHA256 of the raw body, in `Linear-Signature`. */
export function signLinearWebhook(rawBody: string, secret: string): string {
  return createHmac('sha256', secret).update(rawBody).digest('hex');
}

/**
 * Starts a fake Linear GraphQL API on 127.0.0.1 (a free port). It really executes GraphQL
 * (graphql-js over a subset of Linear's schema with Linear's names) and enforces what the adapter
 * relies on: the API key in `Authorization` (a wrong or missing key gets Linear's authentication
 * error), GraphQL validation and entity errors, cursor pagination (`first` at most 250), only the
 * author may edit a comment, labels and states must belong to the team, and rate limits
 * with Linear's `X-RateLimit-Requests-*` headers and its `RATELIMITED` error.
 *
 * @example
 * const linear = await createFakeLinearApi();
 * const team = linear.workspace.addTeam({ key: 'ENG' });
 * const alice = linear.workspace.addUser({ name: 'Alice' });
 * linear.workspace.addLabel({ name: 'orchestrator' });
 * linear.workspace.createIssue({ team: 'ENG', title: 'Add search', creatorId: alice.id, labels: ['orchestrator'] });
 * // point a client at linear.url with linear.apiKey
 * await linear.close();
 */
export async function createFakeLinearApi(options: FakeLinearApiOptions = {}): Promise<FakeLinearApi> {
  const apiKey = options.apiKey ?? defaultApiKey;
  const requestsPerHour = options.requestsPerHour ?? 5000;
  const workspace = new FakeLinearWorkspace();
  const viewer = workspace.addUser({
    name: options.viewer?.name ?? 'Orchestrator Bot',
    ...(options.viewer?.email ? { email: options.viewer.email } : {}),
  });
  const root = createFakeLinearRoot(workspace);
  const schema = fakeLinearSchema();
  const requests: FakeLinearRequest[] = [];
  const listeners = new Set<() => void>();
  const webhooks = [...(options.webhooks ?? [])];
  const startedAt = Date.now();
  let windowStart = Date.now();
  let used = 0;
  let forcedFailures = 0;
  let forcedResetAt = 0;

  const notify = () => {
    for (const listener of [...listeners]) listener();
  };

  workspace.onChange((change) => {
    notify();
    for (const target of webhooks) void deliver(target, change);
  });

  const deliver = async (target: { url: string; secret: string }, change: FakeWorkspaceChange) => {
    const body = JSON.stringify({
      action: change.action,
      type: change.type,
      data: change.data,
      actor: change.actorId ? { id: change.actorId, type: 'user' } : undefined,
      createdAt: new Date().toISOString(),
      organizationId: workspace.organization.id,
      webhookTimestamp: Date.now(),
      webhookId: 'fake-webhook',
    });
    try {
      await fetch(target.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'linear-signature': signLinearWebhook(body, target.secret),
          'linear-delivery': crypto.randomUUID(),
          'linear-event': change.type,
        },
        body,
      });
    } catch {
      // A receiver that is down misses the delivery, as with Linear (polling catches up).
    }
  };

  const rateLimitHeaders = (response: ServerResponse) => {
    const now = Date.now();
    if (now - windowStart >= hourMs) {
      windowStart = now;
      used = 0;
    }
    const resetAt = forcedFailures > 0 ? forcedResetAt : windowStart + hourMs;
    response.setHeader('x-ratelimit-requests-limit', String(requestsPerHour));
    response.setHeader('x-ratelimit-requests-remaining', String(Math.max(0, requestsPerHour - used)));
    response.setHeader('x-ratelimit-requests-reset', String(resetAt));
    return resetAt;
  };

  const send = (response: ServerResponse, status: number, body: unknown) => {
    response.statusCode = status;
    response.setHeader('content-type', 'application/json; charset=utf-8');
    response.end(JSON.stringify(body));
  };

  const record = (entry: Omit<FakeLinearRequest, 'at'>) => {
    requests.push({ at: Date.now() - startedAt, ...entry });
    notify();
  };

  const readBody = async (request: IncomingMessage): Promise<string | undefined> => {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of request) {
      size += (chunk as Buffer).length;
      if (size > maxBodyBytes) return undefined;
      chunks.push(chunk as Buffer);
    }
    return Buffer.concat(chunks).toString('utf8');
  };

  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    if (request.method !== 'POST' || request.url?.split('?')[0] !== '/graphql') {
      send(response, 404, { errors: [{ message: 'Not found' }] });
      return;
    }
    const raw = await readBody(request);
    let payload: { query?: unknown; variables?: unknown; operationName?: unknown } = {};
    try {
      payload = raw === undefined ? {} : JSON.parse(raw);
    } catch {
      payload = {};
    }
    const variables = (payload.variables ?? {}) as Record<string, unknown>;
    const operationName = typeof payload.operationName === 'string' ? payload.operationName : undefined;
    const base = { variables, fields: [] as string[], ...(operationName ? { operationName } : {}) };

    const authorization = request.headers.authorization;
    if (authorization !== apiKey && authorization !== `Bearer ${apiKey}`) {
      send(response, 400, {
        errors: [
          {
            message: 'Authentication required, not authenticated',
            extensions: {
              type: 'authentication error',
              code: 'AUTHENTICATION_ERROR',
              userError: true,
              userPresentableMessage: 'You need to authenticate to access this operation.',
            },
          },
        ],
      });
      record({ ...base, status: 400, outcome: 'unauthenticated' });
      return;
    }

    const resetAt = rateLimitHeaders(response);
    if (forcedFailures > 0 || used >= requestsPerHour) {
      if (forcedFailures > 0) forcedFailures -= 1;
      send(response, 400, {
        errors: [
          {
            message: 'Rate limit exceeded',
            extensions: {
              code: 'RATELIMITED',
              userError: true,
              userPresentableMessage: `Rate limit exceeded; retry after ${new Date(resetAt).toISOString()}.`,
            },
          },
        ],
      });
      record({ ...base, status: 400, outcome: 'rate-limited' });
      return;
    }
    used += 1;
    response.setHeader('x-ratelimit-requests-remaining', String(Math.max(0, requestsPerHour - used)));

    if (typeof payload.query !== 'string') {
      send(response, 400, { errors: [{ message: 'Must provide query string.' }] });
      record({ ...base, status: 400, outcome: 'bad-request' });
      return;
    }
    let document: ReturnType<typeof parse>;
    try {
      document = parse(payload.query);
    } catch (error) {
      send(response, 400, { errors: [{ message: (error as GraphQLError).message }] });
      record({ ...base, status: 400, outcome: 'bad-request' });
      return;
    }
    const fields = document.definitions.flatMap((definition) =>
      definition.kind === 'OperationDefinition'
        ? definition.selectionSet.selections.flatMap((selection) =>
            selection.kind === 'Field' ? [selection.name.value] : [],
          )
        : [],
    );
    const validationErrors = validate(schema, document);
    if (validationErrors.length > 0) {
      send(response, 400, {
        errors: validationErrors.map((error) => ({
          message: error.message,
          extensions: { type: 'graphql error', code: 'GRAPHQL_VALIDATION_FAILED' },
        })),
      });
      record({ ...base, fields, status: 400, outcome: 'bad-request' });
      return;
    }
    const context: FakeLinearContext = { viewerId: viewer.id };
    const result = (await execute({
      schema,
      document,
      rootValue: root,
      contextValue: context,
      variableValues: variables,
      operationName,
    })) as ExecutionResult;
    const hasErrors = (result.errors?.length ?? 0) > 0;
    send(response, hasErrors ? 400 : 200, {
      data: result.data ?? null,
      ...(hasErrors
        ? {
            errors: result.errors?.map((error) => ({
              message: error.message,
              path: error.path,
              extensions: error.extensions,
            })),
          }
        : {}),
    });
    record({ ...base, fields, status: hasErrors ? 400 : 200, outcome: hasErrors ? 'graphql-error' : 'ok' });
  };

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      if (!response.headersSent) send(response, 500, { errors: [{ message: String(error) }] });
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}/graphql`,
    apiKey,
    viewer,
    workspace,
    requests,
    rateLimitNext(count, rateOptions = {}) {
      forcedFailures = count;
      forcedResetAt = Date.now() + (rateOptions.resetInMs ?? 1000);
    },
    addWebhook(target) {
      webhooks.push(target);
    },
    waitFor(predicate, timeoutMs = 60_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const value = predicate();
          if (value) {
            cleanup();
            resolve(value);
          }
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(`fake Linear: waitFor timed out after ${timeoutMs} ms`));
        }, timeoutMs);
        const cleanup = () => {
          clearTimeout(timer);
          listeners.delete(check);
        };
        listeners.add(check);
        check();
      });
    },
    async close() {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
}
