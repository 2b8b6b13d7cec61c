/**
 * Linear tracker figures (issue 16):
 * 1. API requests per hour of one idle team polled at the default interval (60 s): requests per
 *    poll counted on the fake Linear API over many fast polls of the real state machine, times 60.
 *    Also with one claimed issue whose run is in flight.
 * 2. Time from labelling an issue to the run's first worktree, with the real service, the real
 *    runner (scripted orchestrator), real git: through a verified webhook delivery (a nudge), and
 *    through polling at a 1 s interval (at the default interval, add up to 60 s of waiting).
 *
 * Run alone: `npm run bench -w @codex-orchestrator/adapter-linear`.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import {
  createMemoryStore,
  createOrchestratorService,
  createTrackerSync,
  type ProjectTaskRunner,
  parseServiceConfig,
} from '@codex-orchestrator/core/service';
import {
  createOrchestratorScenario,
  finalSummary,
  orchestratorTurn,
  repoCommand,
} from '@codex-orchestrator/core/testing';
import { createLinearTracker, startLinearWebhookReceiver } from '../src/index.js';
import { createFakeLinearApi, type FakeLinearApi } from '../src/testing/index.js';

process.env.OPENAI_AGENTS_DISABLE_TRACING = '1';
const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };
const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
};

function seed(fake: FakeLinearApi) {
  fake.workspace.addTeam({ key: 'ENG' });
  fake.workspace.addLabel({ name: 'orchestrator' });
  return fake.workspace.addUser({ name: 'Alice', email: 'alice@example.test' });
}

function serviceConfig(baseDir: string) {
  return parseServiceConfig(
    JSON.stringify({
      projects: { shop: { description: 'The shop.', baseDir, review: 'off' } },
      api: { port: 0, token: { env: 'UNUSED' } },
    }),
    join(baseDir, 'serve.json'),
  );
}

async function requestsPerPoll(options: { activeIssue: boolean }): Promise<number> {
  const fake = await createFakeLinearApi();
  const alice = seed(fake);
  let release: (() => void) | undefined;
  const runTask: ProjectTaskRunner = ({ signal }) =>
    new Promise((resolve) => {
      release = () => resolve({ outcome: 'completed' });
      signal.addEventListener('abort', () => resolve({ outcome: 'cancelled' }), { once: true });
    });
  const tracker = createLinearTracker({ apiKey: fake.apiKey, apiUrl: fake.url, teams: ['ENG'] });
  const sync = createTrackerSync({
    client: tracker,
    projects: { ENG: 'shop' },
    pollIntervalMs: 20,
    progressIntervalMs: 60_000,
    logger: quiet,
  });
  const service = createOrchestratorService({
    config: serviceConfig('/srv/shop'),
    store: createMemoryStore(),
    sources: [sync.source],
    sinks: [sync.sink],
    runTask,
    apiToken: 'bench-token-0123456789abcdef',
    log: () => undefined,
  });
  sync.attach(service);
  if (options.activeIssue) {
    fake.workspace.createIssue({ team: 'ENG', title: 'busy', creatorId: alice.id, labels: ['orchestrator'] });
  }
  await service.start();
  const polls = () => fake.requests.filter((request) => request.fields.includes('issues')).length;
  // Past start-up (viewer, members, claim), count a window of polls.
  await fake.waitFor(() => polls() >= 10 && (!options.activeIssue || release !== undefined));
  const startPolls = polls();
  const startRequests = fake.requests.length;
  await fake.waitFor(() => polls() >= startPolls + 100, 120_000);
  const perPoll = (fake.requests.length - startRequests) / (polls() - startPolls);
  release?.();
  await service.stop({ graceMs: 0 });
  await fake.close();
  return perPoll;
}

async function labelToWorktree(path: 'webhook' | 'poll-1s'): Promise<number> {
  const scenario = await createOrchestratorScenario();
  scenario.orchestrator([
    orchestratorTurn(repoCommand('main', 'git worktree add ../task-bench main')),
    orchestratorTurn(finalSummary('Started.')),
  ]);
  const secret = 'bench-webhook-secret-0123456789';
  const fake = await createFakeLinearApi();
  const alice = seed(fake);
  const issue = fake.workspace.createIssue({ team: 'ENG', title: 'Bench task', creatorId: alice.id });
  const tracker = createLinearTracker({ apiKey: fake.apiKey, apiUrl: fake.url, teams: ['ENG'] });
  const sync = createTrackerSync({
    client: tracker,
    projects: { ENG: 'shop' },
    pollIntervalMs: path === 'webhook' ? 60_000 : 1000,
    logger: quiet,
  });
  const receiver =
    path === 'webhook'
      ? await startLinearWebhookReceiver({ secret, port: 0, onNudge: () => sync.nudge() })
      : undefined;
  if (receiver) fake.addWebhook({ url: receiver.url, secret });
  const service = createOrchestratorService({
    config: serviceConfig(scenario.baseDir),
    store: createMemoryStore(),
    sources: [sync.source],
    sinks: [sync.sink],
    runOptions: () => ({ ...scenario.options }),
    apiToken: 'bench-token-0123456789abcdef',
    log: () => undefined,
  });
  sync.attach(service);
  await service.start();
  // Let the first poll (at start) pass, so the label lands between polls.
  await fake.waitFor(() => fake.requests.some((request) => request.fields.includes('issues')));
  const started = performance.now();
  fake.workspace.changeIssue(issue.id, alice.id, { addLabels: ['orchestrator'] });
  const worktree = join(scenario.baseDir, 'task-bench');
  while (!existsSync(worktree)) await new Promise((resolve) => setTimeout(resolve, 10));
  const elapsed = performance.now() - started;
  await service.stop({ graceMs: 0 });
  await receiver?.close();
  await fake.close();
  await scenario.close();
  return elapsed;
}

const idle = await requestsPerPoll({ activeIssue: false });
const active = await requestsPerPoll({ activeIssue: true });
console.log(
  `idle team: ${idle.toFixed(2)} requests per poll -> ${Math.round(idle * 60)} requests/hour at the default 60 s interval (Linear allows 5,000/hour per API key)`,
);
console.log(
  `one claimed issue in flight: ${active.toFixed(2)} requests per poll -> ${Math.round(active * 60)} requests/hour`,
);

const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
for (const path of ['webhook', 'poll-1s'] as const) {
  const samples: number[] = [];
  for (let round = 0; round < rounds; round += 1) samples.push(await labelToWorktree(path));
  console.log(
    `label -> first worktree (${path}): median ${Math.round(median(samples))} ms, range ${Math.round(Math.min(...samples))}-${Math.round(Math.max(...samples))} ms over ${rounds} runs`,
  );
}
