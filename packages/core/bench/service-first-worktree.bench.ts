/**
 * `orchestrator serve` figures with the whole service (issue: serve): the memory of an idle
 * service (store, API, one dispatcher per project, no task), and the time from a task arriving
 * through the API to its first worktree on disk, with the real orchestrator against the scripted
 * model server (the model answers at once, so the figure is the service's own overhead plus one
 * sandboxed `git worktree add`). Run alone: `npx tsx --tsconfig bench/tsconfig.json
 * bench/service-first-worktree.bench.ts` in packages/core.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createServiceClient } from '../src/api/create-service-client.js';
import { createOrchestratorService } from '../src/service/create-orchestrator-service.js';
import { parseServiceConfig } from '../src/service/load-service-config.js';
import { createSqliteStore } from '../src/store/create-sqlite-store.js';
import {
  createOrchestratorScenario,
  finalSummary,
  orchestratorTurn,
  repoCommand,
} from '../src/testing/orchestrator-scenario.js';
import { median } from './measure.js';

const rounds = Number(process.env.BENCH_ROUNDS ?? 7);
const scenario = await createOrchestratorScenario();
const token = 'bench-token-0123456789abcdef';
const service = createOrchestratorService({
  config: parseServiceConfig(
    JSON.stringify({
      projects: { shop: { description: 'the shop', baseDir: scenario.baseDir, review: 'off' } },
      api: { port: 0, token: { env: 'UNUSED' } },
    }),
    join(scenario.baseDir, '..', 'serve.json'),
  ),
  store: await createSqliteStore({ path: join(scenario.baseDir, '..', 'store.db') }),
  apiToken: token,
  log: () => undefined,
  runOptions: () => ({ ...scenario.options }),
});
await service.start();
const client = createServiceClient({ url: service.apiUrl as string, token });

globalThis.gc?.();
await new Promise((resolve) => setTimeout(resolve, 2_000));
const idleRss = process.memoryUsage().rss;
const idleHeap = process.memoryUsage().heapUsed;

const firstWorktreeMs: number[] = [];
for (let round = 0; round < rounds; round++) {
  const worktree = `task-${round}`;
  scenario.orchestrator([
    orchestratorTurn(repoCommand('main', `git worktree add ../${worktree} main`)),
    orchestratorTurn(finalSummary('Only a worktree.')),
  ]);
  const started = performance.now();
  await client.submit({ text: `shop: round ${round}` });
  while (!existsSync(join(scenario.baseDir, worktree, '.git')))
    await new Promise((resolve) => setTimeout(resolve, 2));
  firstWorktreeMs.push(performance.now() - started);
  // Let the run end before the next one starts.
  for (;;) {
    const [task] = await client.listTasks({ limit: 1 });
    if (task?.state === 'finished') break;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const sorted = [...firstWorktreeMs].sort((a, b) => a - b);
console.log('| figure | value |');
console.log('| --- | --- |');
console.log(
  `| RSS of an idle service (store, API, one project) | ${(idleRss / 1e6).toFixed(0)} MB (heap ${(idleHeap / 1e6).toFixed(0)} MB) |`,
);
console.log(
  `| task submitted (API) to its first worktree on disk, median of ${rounds} | ${median(firstWorktreeMs).toFixed(0)} ms (range ${sorted[0]?.toFixed(0)}-${sorted.at(-1)?.toFixed(0)} ms) |`,
);

await service.stop({ graceMs: 5_000 });
await scenario.close();
