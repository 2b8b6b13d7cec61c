import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createMemoryStore } from '../store/create-memory-store.js';
import type { OrchestratorStore, StoredEvent } from '../store/store-types.js';
import type { ServiceControl } from './api-types.js';
import { createServiceApi } from './create-service-api.js';
import { createServiceClient, ServiceApiError } from './create-service-client.js';
import { type ServiceApiServer, serveServiceApi } from './serve-service-api.js';

const token = 'test-token-0123456789abcdef';

/** A service control over a memory store: what the API needs, with live events fed by the test. */
function createFakeControl(store: OrchestratorStore) {
  const listeners = new Map<string, Set<(event: StoredEvent) => void>>();
  const live = new Set<string>();
  let next = 1;
  const control: ServiceControl = {
    projects: () => [
      { name: 'shop', description: 'the web shop', defaultBranch: 'main' },
      { name: 'billing', description: 'invoices', defaultBranch: 'trunk' },
    ],
    submit: async (request) =>
      (
        await store.createTask({
          id: `task-${next++}`,
          source: request.source,
          text: request.text,
          state: 'queued',
          metadata: {},
          ...(request.project ? { project: request.project } : {}),
        })
      ).task,
    answerProject: async (taskId, project) => {
      const task = await store.getTask(taskId);
      return store.updateTask(taskId, task?.revision ?? 0, { state: 'queued', project });
    },
    cancel: async (taskId) => {
      const task = await store.getTask(taskId);
      if (!task || task.state === 'finished' || task.state === 'cancelled') return false;
      await store.updateTask(taskId, task.revision, { state: 'cancelled' });
      return true;
    },
    decide: (approvalId, decision) => store.decideApproval(approvalId, decision),
    onEvent: (runId, listener) => {
      const set = listeners.get(runId) ?? new Set();
      listeners.set(runId, set);
      set.add(listener);
      return () => set.delete(listener);
    },
    isLive: (runId) => live.has(runId),
  };
  return {
    control,
    live,
    /** Stores an event and tells the subscribers, as the service does. */
    async emit(runId: string, type: string, data: unknown) {
      const [stored] = await store.appendEvents(runId, [{ type, data }]);
      for (const listener of listeners.get(runId) ?? []) if (stored) listener(stored);
    },
    endRun(runId: string) {
      live.delete(runId);
      for (const listener of listeners.get(runId) ?? [])
        listener({ runId, seq: 0, type: 'noop', at: '', data: null });
    },
  };
}

let store: OrchestratorStore;
let fake: ReturnType<typeof createFakeControl>;
let server: ServiceApiServer;
const bodies: string[] = [];

async function request(path: string, init: RequestInit & { auth?: string | null } = {}) {
  const headers = new Headers(init.headers);
  if (init.auth !== null) headers.set('authorization', `Bearer ${init.auth ?? token}`);
  const response = await fetch(`${server.url}${path}`, { ...init, headers });
  const text = await response.text();
  bodies.push(text);
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}

beforeEach(async () => {
  store = createMemoryStore();
  fake = createFakeControl(store);
  server = await serveServiceApi(
    createServiceApi({ store, control: fake.control, token, keepAliveSeconds: 1 }),
  );
});
afterEach(async () => {
  await server.close();
  await store.close();
});

describe('service API: authentication', () => {
  it('refuses a request without a token, with a wrong one, and from a browser origin', async () => {
    expect(await request('/v1/projects', { auth: null })).toMatchObject({
      status: 401,
      body: { error: { code: 'unauthorized' } },
    });
    expect(await request('/v1/projects', { auth: 'wrong-token-wrong-token' })).toMatchObject({
      status: 401,
      body: { error: { message: 'the API token is wrong' } },
    });
    expect(await request('/v1/projects', { headers: { origin: 'https://evil.example' } })).toMatchObject({
      status: 403,
      body: { error: { code: 'origin-refused' } },
    });
    expect(await request('/v1/projects')).toMatchObject({
      status: 200,
      body: { projects: [{ name: 'shop' }, { name: 'billing' }] },
    });
  });

  it('lets a listed origin through and refuses a short token at construction', async () => {
    await server.close();
    server = await serveServiceApi(
      createServiceApi({ store, control: fake.control, token, allowedOrigins: ['http://127.0.0.1:3000'] }),
    );
    expect((await request('/v1/projects', { headers: { origin: 'http://127.0.0.1:3000' } })).status).toBe(
      200,
    );
    expect(() => createServiceApi({ store, control: fake.control, token: 'short' })).toThrow(
      /at least 16 characters/,
    );
  });

  it('binds to loopback by default', () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });
});

describe('service API: validation', () => {
  it('answers bad bodies and queries with the field and what was wrong', async () => {
    const post = (body: string, type = 'application/json') =>
      request('/v1/tasks', { method: 'POST', body, headers: { 'content-type': type } });
    expect(await post('{"text":""}')).toMatchObject({
      status: 400,
      body: { error: { message: 'text: text is empty' } },
    });
    expect((await post('{"text":"x","admin":true}')).body.error.message).toMatch(/admin/);
    expect((await post('not json')).body.error.message).toBe('the body is not valid JSON');
    expect((await post('{"text":"x"}', 'text/plain')).status).toBe(400);
    expect(await post('{"text":"x","project":"nope"}')).toMatchObject({
      status: 400,
      body: { error: { code: 'unknown-project' } },
    });
    expect((await post(JSON.stringify({ text: 'x'.repeat(70_000) }))).status).toBe(413);
    expect((await request('/v1/tasks?state=weird')).body.error.message).toMatch(/^state: /);
    expect((await request('/v1/tasks?limit=100000')).status).toBe(400);
    expect((await request('/v1/nothing')).status).toBe(404);
  });
});

describe('service API: tasks, runs, approvals through the typed client', () => {
  it('submits, lists, reads, cancels', async () => {
    const client = createServiceClient({ url: server.url, token });
    const task = await client.submit({ text: 'Add search', project: 'shop' });
    expect(task).toMatchObject({ state: 'queued', project: 'shop', source: 'api' });
    expect((await client.listTasks({ project: 'shop' })).map((entry) => entry.id)).toEqual([task.id]);
    await store.createRun({
      id: 'run-1',
      taskId: task.id,
      project: 'shop',
      state: 'running',
      startedAt: new Date().toISOString(),
    });
    expect((await client.getTask(task.id)).runs.map((run) => run.id)).toEqual(['run-1']);
    expect((await client.getRun('run-1')).state).toBe('running');
    await client.cancel(task.id, 'changed my mind');
    expect((await store.getTask(task.id))?.state).toBe('cancelled');
    await expect(client.cancel(task.id)).rejects.toMatchObject({ status: 409, code: 'not-cancellable' });
    await expect(client.getRun('missing')).rejects.toBeInstanceOf(ServiceApiError);
  });

  it('approves once, only the reviewed commit', async () => {
    const client = createServiceClient({ url: server.url, token });
    await store.createApproval({
      id: 'approval-1',
      runId: 'run-1',
      taskId: 't',
      project: 'shop',
      branch: 'task-a',
      commit: 'abc1234',
      requestedAt: new Date().toISOString(),
    });
    expect((await client.listApprovals({ state: 'pending' })).map((approval) => approval.id)).toEqual([
      'approval-1',
    ]);
    await expect(client.approve('approval-1', 'def5678')).rejects.toMatchObject({
      status: 409,
      code: 'commit-mismatch',
    });
    expect((await client.approve('approval-1', 'abc1234')).state).toBe('approved');
    await expect(client.reject('approval-1', 'abc1234')).rejects.toMatchObject({
      status: 409,
      code: 'already-decided',
    });
    await expect(client.approve('nope', 'abc1234')).rejects.toMatchObject({ status: 404 });
    expect(
      (
        await request('/v1/approvals/approval-1/approve', {
          method: 'POST',
          body: '{"commit":"; rm"}',
          headers: { 'content-type': 'application/json' },
        })
      ).status,
    ).toBe(400);
  });

  it('streams a run: stored events, then live ones, resumable with Last-Event-ID, ending with the run', async () => {
    const client = createServiceClient({ url: server.url, token });
    await store.createRun({
      id: 'run-1',
      taskId: 't',
      project: 'shop',
      state: 'running',
      startedAt: new Date().toISOString(),
    });
    fake.live.add('run-1');
    await fake.emit('run-1', 'run-start', { n: 1 });
    await fake.emit('run-1', 'plan-update', { n: 2 });
    const seen: Array<[number, string]> = [];
    const reading = (async () => {
      for await (const event of client.events('run-1')) {
        seen.push([event.seq, event.type]);
        if (seen.length === 2) {
          await fake.emit('run-1', 'merge-end', { n: 3 });
          fake.endRun('run-1');
        }
      }
    })();
    await reading;
    expect(seen).toEqual([
      [1, 'run-start'],
      [2, 'plan-update'],
      [3, 'merge-end'],
    ]);
    const resumed: number[] = [];
    for await (const event of client.events('run-1', { afterSeq: 2 })) resumed.push(event.seq);
    expect(resumed).toEqual([3]);
    const raw = await fetch(`${server.url}/v1/runs/run-1/events`, {
      headers: { authorization: `Bearer ${token}`, 'last-event-id': '1' },
    });
    expect(raw.headers.get('content-type')).toMatch(/text\/event-stream/);
    const streamed = await raw.text();
    expect(streamed).not.toContain('run-start');
    expect(streamed).toContain('event: plan-update\ndata: {"n":2}\nid: 2\n\n');
  });
});

describe('service API: no secret in any answer', () => {
  it('never echoes the token, even in errors', async () => {
    await request('/v1/projects');
    await request('/v1/projects', { auth: `${token}x` });
    await request('/v1/tasks', {
      method: 'POST',
      body: `{"text":"${token}"`,
      headers: { 'content-type': 'application/json' },
    });
    for (const body of bodies) expect(body).not.toContain(token);
  });
});
