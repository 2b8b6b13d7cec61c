import { createHash, timingSafeEqual } from 'node:crypto';
import { type Context, Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { streamSSE } from 'hono/streaming';
import { z } from 'zod';
import type { StoredEvent } from '../store/store-types.js';
import type { ApiErrorCode, ServiceApiOptions } from './api-types.js';

const taskStates = ['queued', 'awaiting-project', 'running', 'finished', 'cancelled'] as const;
const runStates = ['running', 'finished', 'interrupted'] as const;
const approvalStates = ['pending', 'approved', 'rejected', 'superseded'] as const;
const isoTime = z.iso.datetime({ offset: true });
const limit = z.coerce.number().int().min(1).max(500);
const id = z.string().min(1).max(200);

const schemas = {
  listTasks: z.strictObject({
    project: z.string().max(100).optional(),
    state: z.enum(taskStates).optional(),
    since: isoTime.optional(),
    until: isoTime.optional(),
    limit: limit.optional(),
  }),
  listRuns: z.strictObject({
    project: z.string().max(100).optional(),
    taskId: id.optional(),
    state: z.enum(runStates).optional(),
    since: isoTime.optional(),
    until: isoTime.optional(),
    limit: limit.optional(),
  }),
  listApprovals: z.strictObject({
    state: z.enum(approvalStates).optional(),
    runId: id.optional(),
    project: z.string().max(100).optional(),
  }),
  submit: z.strictObject({
    text: z.string().trim().min(1, 'text is empty').max(20_000),
    project: z.string().min(1).max(100).optional(),
  }),
  cancel: z.strictObject({ reason: z.string().max(500).optional() }),
  project: z.strictObject({ project: z.string().regex(/^[a-z0-9][a-z0-9-]{0,39}$/) }),
  decide: z.strictObject({ commit: z.string().regex(/^[0-9a-f]{7,64}$/, 'commit must be a hex commit id') }),
  events: z.strictObject({ after: z.coerce.number().int().min(0).optional() }),
};

/** An API error answer with its status. */
class ApiError extends Error {
  constructor(
    readonly status: 400 | 401 | 403 | 404 | 409 | 413 | 500,
    readonly code: ApiErrorCode,
    message: string,
  ) {
    super(message);
  }
}

const digest = (text: string) => createHash('sha256').update(text).digest();

/** Parses `value` with `schema` or throws a 400 naming the field and what was wrong. */
function parse<T>(schema: z.ZodType<T>, value: unknown): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const field = issue?.path.length ? issue.path.join('.') : 'request';
  throw new ApiError(400, 'invalid-request', `${field}: ${issue?.message ?? 'invalid'}`);
}

async function jsonBody(context: Context): Promise<unknown> {
  const type = context.req.header('content-type') ?? '';
  if (!type.startsWith('application/json'))
    throw new ApiError(400, 'invalid-request', 'send the body as JSON with content-type: application/json');
  try {
    return await context.req.json();
  } catch {
    throw new ApiError(400, 'invalid-request', 'the body is not valid JSON');
  }
}

/**
 * The service's HTTP API as a Hono app: JSON plus server-sent events, a bearer token on every
 * request, browser origins refused unless listed, bodies validated and size-capped. Start it with
 * `serveServiceApi`; it binds 127.0.0.1 by default.
 *
 * Routes: `GET /v1/projects`; `GET /v1/tasks`, `POST /v1/tasks`, `GET /v1/tasks/:id`,
 * `POST /v1/tasks/:id/project` (name the project of a task that waits for one), `POST /v1/tasks/:id/cancel`; `GET /v1/runs`, `GET /v1/runs/:id`, `GET /v1/runs/:id/events`
 * (SSE, resumable with `Last-Event-ID`); `GET /v1/approvals`, `POST /v1/approvals/:id/approve`,
 * `POST /v1/approvals/:id/reject`.
 */
export function createServiceApi(options: ServiceApiOptions): Hono {
  if (options.token.length < 16)
    throw new TypeError(
      'the API token must have at least 16 characters; generate one with `openssl rand -hex 32`',
    );
  const expected = digest(options.token);
  const allowedOrigins = new Set(options.allowedOrigins ?? []);
  const { store, control } = options;
  const keepAliveMs = (options.keepAliveSeconds ?? 15) * 1000;
  const app = new Hono();

  app.onError((error, context) => {
    if (error instanceof ApiError)
      return context.json({ error: { code: error.code, message: error.message } }, error.status);
    // Internal details stay in the service's log; the answer names no path or secret.
    return context.json(
      { error: { code: 'internal-error', message: 'the service failed to answer; see its log' } },
      500,
    );
  });
  app.notFound((context) =>
    context.json(
      { error: { code: 'not-found', message: `no route ${context.req.method} ${context.req.path}` } },
      404,
    ),
  );

  app.use('*', async (context, next) => {
    const origin = context.req.header('origin');
    if (origin !== undefined && !allowedOrigins.has(origin))
      throw new ApiError(
        403,
        'origin-refused',
        `requests from the browser origin ${origin} are refused; list it in the API's allowedOrigins`,
      );
    const header = context.req.header('authorization') ?? '';
    const match = /^Bearer ([^\s]+)$/.exec(header);
    if (!match?.[1])
      throw new ApiError(401, 'unauthorized', 'send the API token as "Authorization: Bearer <token>"');
    if (!timingSafeEqual(digest(match[1]), expected))
      throw new ApiError(401, 'unauthorized', 'the API token is wrong');
    context.header('cache-control', 'no-store');
    await next();
  });
  app.use(
    '*',
    bodyLimit({
      maxSize: options.maxBodyBytes ?? 64 * 1024,
      onError: () => {
        throw new ApiError(413, 'body-too-large', 'the request body is too large');
      },
    }),
  );

  app.get('/v1/projects', (context) => context.json({ projects: control.projects() }));

  app.get('/v1/tasks', async (context) => {
    const query = parse(schemas.listTasks, context.req.query());
    return context.json({ tasks: await store.listTasks(query) });
  });
  app.post('/v1/tasks', async (context) => {
    const body = parse(schemas.submit, await jsonBody(context));
    if (body.project !== undefined && !control.projects().some((project) => project.name === body.project))
      throw new ApiError(
        400,
        'unknown-project',
        `project: no project "${body.project}" (see GET /v1/projects)`,
      );
    const task = await control.submit({
      text: body.text,
      source: 'api',
      ...(body.project ? { project: body.project } : {}),
    });
    return context.json({ task }, 202);
  });
  app.get('/v1/tasks/:id', async (context) => {
    const taskId = parse(id, context.req.param('id'));
    const task = await store.getTask(taskId);
    if (!task) throw new ApiError(404, 'not-found', `no task "${taskId}"`);
    return context.json({ task, runs: await store.listRuns({ taskId }) });
  });
  app.post('/v1/tasks/:id/project', async (context) => {
    const taskId = parse(id, context.req.param('id'));
    const body = parse(schemas.project, await jsonBody(context));
    const task = await store.getTask(taskId);
    if (!task) throw new ApiError(404, 'not-found', `no task "${taskId}"`);
    if (!control.projects().some((project) => project.name === body.project))
      throw new ApiError(
        400,
        'unknown-project',
        `project: no project "${body.project}" (see GET /v1/projects)`,
      );
    if (task.state !== 'awaiting-project')
      throw new ApiError(
        409,
        'not-awaiting-project',
        `task "${taskId}" does not wait for a project (it is ${task.state})`,
      );
    return context.json({ task: await control.answerProject(taskId, body.project) });
  });
  app.post('/v1/tasks/:id/cancel', async (context) => {
    const taskId = parse(id, context.req.param('id'));
    const body = parse(
      schemas.cancel,
      context.req.header('content-length') === '0' ? {} : await jsonBody(context),
    );
    if (!(await store.getTask(taskId))) throw new ApiError(404, 'not-found', `no task "${taskId}"`);
    const cancelled = await control.cancel(taskId, body.reason ?? 'cancelled through the API');
    if (!cancelled) throw new ApiError(409, 'not-cancellable', `task "${taskId}" is already over`);
    return context.json({ cancelled: true });
  });

  app.get('/v1/runs', async (context) => {
    const query = parse(schemas.listRuns, context.req.query());
    return context.json({ runs: await store.listRuns(query) });
  });
  app.get('/v1/runs/:id', async (context) => {
    const runId = parse(id, context.req.param('id'));
    const run = await store.getRun(runId);
    if (!run) throw new ApiError(404, 'not-found', `no run "${runId}"`);
    return context.json({ run });
  });
  app.get('/v1/runs/:id/events', async (context) => {
    const runId = parse(id, context.req.param('id'));
    const query = parse(schemas.events, context.req.query());
    if (!(await store.getRun(runId))) throw new ApiError(404, 'not-found', `no run "${runId}"`);
    const lastEventId = context.req.header('last-event-id');
    const resumeFrom =
      lastEventId !== undefined && /^\d+$/.test(lastEventId) ? Number(lastEventId) : undefined;
    let sent = resumeFrom ?? query.after ?? 0;
    return streamSSE(context, async (stream) => {
      // Subscribe before reading the log, so nothing falls between the two; the seq drops duplicates.
      const pending: StoredEvent[] = [];
      let wake: (() => void) | undefined;
      const unsubscribe = control.onEvent(runId, (event) => {
        pending.push(event);
        wake?.();
      });
      stream.onAbort(() => wake?.());
      const write = async (event: StoredEvent) => {
        if (event.seq <= sent) return;
        sent = event.seq;
        await stream.writeSSE({ id: String(event.seq), event: event.type, data: JSON.stringify(event.data) });
      };
      try {
        for (;;) {
          const page = await store.readEvents(runId, { afterSeq: sent });
          for (const event of page) await write(event);
          if (page.length < 1_000) break;
        }
        while (!stream.aborted && (control.isLive(runId) || pending.length > 0)) {
          const next = pending.shift();
          if (next) {
            await write(next);
            continue;
          }
          await new Promise<void>((resolve) => {
            const timer = setTimeout(resolve, keepAliveMs);
            wake = () => {
              clearTimeout(timer);
              resolve();
            };
          });
          wake = undefined;
          if (pending.length === 0 && !stream.aborted && control.isLive(runId))
            await stream.write(': keep-alive\n\n');
        }
      } finally {
        unsubscribe();
      }
    });
  });

  app.get('/v1/approvals', async (context) => {
    const query = parse(schemas.listApprovals, context.req.query());
    return context.json({ approvals: await store.listApprovals(query) });
  });
  for (const verdict of ['approve', 'reject'] as const) {
    app.post(`/v1/approvals/:id/${verdict}`, async (context) => {
      const approvalId = parse(id, context.req.param('id'));
      const body = parse(schemas.decide, await jsonBody(context));
      const result = await control.decide(approvalId, {
        approve: verdict === 'approve',
        commit: body.commit,
        by: 'api',
      });
      if (!result.ok) {
        if (result.reason === 'not-found')
          throw new ApiError(404, 'not-found', `no approval "${approvalId}"`);
        if (result.reason === 'commit-mismatch')
          throw new ApiError(
            409,
            'commit-mismatch',
            `approval "${approvalId}" is for commit ${result.approval?.commit}, not ${body.commit}`,
          );
        throw new ApiError(
          409,
          'already-decided',
          `approval "${approvalId}" is already ${result.approval?.state ?? 'decided'}`,
        );
      }
      return context.json({ approval: result.approval });
    });
  }
  return app;
}
