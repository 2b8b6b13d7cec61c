/**
 * Service API figures (issue: `orchestrator serve`): latency of reading one run's state through
 * the HTTP API with 1,000 runs in the embedded SQLite store (p50/p99), the cost of a durable
 * store write, and the memory of the idle store + API process.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createServiceApi } from '../src/api/create-service-api.js';
import { createServiceClient } from '../src/api/create-service-client.js';
import { serveServiceApi } from '../src/api/serve-service-api.js';
import { createSqliteStore } from '../src/store/create-sqlite-store.js';
import { median } from './measure.js';

const folder = mkdtempSync(join(tmpdir(), 'service-bench-'));
const rssBefore = process.memoryUsage().rss;
const store = await createSqliteStore({ path: join(folder, 'store.db') });
const token = 'bench-token-0123456789abcdef';
const snapshot = {
  plan: Array.from({ length: 6 }, (_, index) => ({
    id: `task-${index}`,
    title: `subtask ${index}`,
    status: 'merged',
  })),
  usage: { inputTokens: 120_000, outputTokens: 9_000 },
  merges: Array.from({ length: 6 }, (_, index) => ({
    branch: `task-${index}`,
    commit: 'a'.repeat(40),
    smoke: 'passed',
  })),
};

const writes: number[] = [];
for (let index = 0; index < 1_000; index++) {
  const started = performance.now();
  await store.createRun({
    id: `run-${index}`,
    taskId: `task-${index}`,
    project: index % 2 ? 'shop' : 'billing',
    state: 'finished',
    outcome: 'all-merged',
    startedAt: new Date(Date.UTC(2026, 0, 1) + index * 60_000).toISOString(),
    snapshot,
  });
  writes.push(performance.now() - started);
}

const server = await serveServiceApi(
  createServiceApi({
    store,
    token,
    control: {
      projects: () => [],
      submit: () => Promise.reject(new Error('not in the bench')),
      answerProject: () => Promise.reject(new Error('not in the bench')),
      cancel: async () => false,
      decide: async () => ({ ok: false, reason: 'not-found' }),
      onEvent: () => () => undefined,
      isLive: () => false,
    },
  }),
);
const client = createServiceClient({ url: server.url, token });
for (let index = 0; index < 200; index++) await client.getRun(`run-${index % 1_000}`);
const latencies: number[] = [];
for (let index = 0; index < 2_000; index++) {
  const started = performance.now();
  await client.getRun(`run-${(index * 7) % 1_000}`);
  latencies.push(performance.now() - started);
}
latencies.sort((a, b) => a - b);
const listStarted = performance.now();
for (let index = 0; index < 50; index++) await client.listRuns({ project: 'shop', limit: 50 });
const listMs = (performance.now() - listStarted) / 50;
globalThis.gc?.();
await new Promise((resolve) => setTimeout(resolve, 500));
const rss = process.memoryUsage().rss;

console.log('| figure | value |');
console.log('| --- | --- |');
console.log(`| GET /v1/runs/:id, 1,000 runs stored, p50 | ${latencies[1_000]?.toFixed(2)} ms |`);
console.log(`| GET /v1/runs/:id, p99 | ${latencies[1_980]?.toFixed(2)} ms |`);
console.log(`| GET /v1/runs?project=shop&limit=50, mean | ${listMs.toFixed(2)} ms |`);
console.log(`| durable run insert (fsync), median | ${median(writes).toFixed(2)} ms |`);
console.log(
  `| RSS of the idle store + API process | ${(rss / 1e6).toFixed(0)} MB (${(rssBefore / 1e6).toFixed(0)} MB before the store opened) |`,
);

await server.close();
await store.close();
rmSync(folder, { recursive: true, force: true });
