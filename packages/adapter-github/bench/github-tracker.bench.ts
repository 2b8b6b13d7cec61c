/**
 * Benchmarks of the GitHub tracker against the fake GitHub API:
 * 1. API requests that count against GitHub's rate limit in one hour of polling one repository at
 *    the default interval (60 s, so 60 polls), idle (no new issue) and with one run in progress
 *    (its issue is watched for closing and approval comments), with and without ETags. The fake
 *    counts like GitHub: a 304 answer to a conditional request is free.
 * 2. Time from an issue labelled by an allowed person to the run's first worktree on disk, with the
 *    real service, the real orchestrator and git (a scripted model; codex is not needed before the
 *    first worktree). The poll is nudged at once (as a webhook delivery does), so the figure is the
 *    machinery's own latency; polling alone adds up to one interval (60 s by default).
 *
 * Run alone: `npm run bench -w @codex-orchestrator/adapter-github` (core built first).
 */
import { existsSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import {
  createMemoryStore,
  createTrackerSync,
  type ServiceControl,
  type TrackerClient,
} from '@codex-orchestrator/core/service';
import {
  createOrchestratorScenario,
  finalSummary,
  orchestratorTurn,
  repoCommand,
} from '@codex-orchestrator/core/testing';
import { createGitHubTracker } from '../src/index.js';
import { createFakeGitHubApi } from '../src/testing/index.js';
import { githubToken, startGitHubService } from '../test/github-service.fixture.js';

process.env.OPENAI_AGENTS_DISABLE_TRACING = '1';
const pollsPerHour = 60; // the default interval is 60 s

async function requestsPerHour(options: { etags: boolean; inProgress: boolean }): Promise<number> {
  const github = await createFakeGitHubApi({ token: githubToken });
  github.addRepository('octo/shop', { alice: 'write' });
  github.openIssue('octo/shop', { author: 'alice', title: 'unrelated, not labelled' });
  if (options.inProgress)
    github.openIssue('octo/shop', { author: 'alice', title: 'in progress', labels: ['orchestrator'] });
  const tracker = createGitHubTracker({
    repositories: ['octo/shop'],
    token: githubToken,
    baseUrl: github.url,
    conditionalRequests: options.etags,
  });
  const controller = new AbortController();
  let polls = 0;
  let countedAtFirstPollEnd = 0;
  let countedAtHourEnd = 0;
  // Counts polls; the measured hour starts after the first poll (which claims the issue).
  const client: TrackerClient = {
    ...tracker,
    matchesFilter: tracker.matchesFilter.bind(tracker),
    async listCandidates(call) {
      polls += 1;
      if (polls === 2) countedAtFirstPollEnd = github.requests.filter((request) => request.counted).length;
      if (polls === pollsPerHour + 2) {
        countedAtHourEnd = github.requests.filter((request) => request.counted).length;
        controller.abort();
        throw new Error('the measured hour is over');
      }
      return tracker.listCandidates(call);
    },
  };
  const store = createMemoryStore();
  const sync = createTrackerSync({
    client,
    projects: { 'octo/shop': 'shop' },
    pollIntervalMs: 1,
    logger: { warn() {}, error() {} },
  });
  const control = { cancel: async () => false } as unknown as ServiceControl;
  sync.attach({ store, control });
  try {
    for await (const task of sync.source.tasks(controller.signal))
      await store.createTask({
        id: task.id,
        source: task.source,
        text: task.text,
        state: 'running',
        metadata: {},
      });
  } catch {
    // aborted
  }
  const counted = countedAtHourEnd - countedAtFirstPollEnd;
  await github.close();
  return counted;
}

async function labelToWorktreeMs(): Promise<number> {
  const scenario = await createOrchestratorScenario();
  const github = await createFakeGitHubApi({ token: githubToken });
  github.addRepository('octo/shop', { alice: 'write' });
  scenario.orchestrator([
    orchestratorTurn(repoCommand('main', 'git worktree add ../task-first main')),
    orchestratorTurn(finalSummary('created')),
  ]);
  const harness = await startGitHubService({ scenario, github });
  await new Promise((resolve) => setTimeout(resolve, 500)); // the first (empty) poll is behind us
  const issue = github.openIssue('octo/shop', { author: 'alice', title: 'First worktree' });
  const started = performance.now();
  github.addLabel('octo/shop', issue.number, 'orchestrator', 'alice');
  harness.sync.nudge();
  const worktree = join(scenario.baseDir, 'task-first');
  while (!existsSync(worktree)) await new Promise((resolve) => setTimeout(resolve, 5));
  const elapsed = performance.now() - started;
  await harness.close();
  await github.close();
  await scenario.close();
  return elapsed;
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
};

console.log(
  `load average at start: ${loadavg()
    .map((value) => value.toFixed(2))
    .join(' ')}`,
);
for (const inProgress of [false, true]) {
  const withEtags = await requestsPerHour({ etags: true, inProgress });
  const without = await requestsPerHour({ etags: false, inProgress });
  console.log(
    `requests counted against the rate limit per hour, one repository, ${inProgress ? 'one run in progress' : 'idle'}, 60 s interval: with ETags ${withEtags}, without ${without}`,
  );
}
const runs = Number(process.env.BENCH_RUNS ?? 5);
const times: number[] = [];
for (let round = 0; round < runs; round++) times.push(await labelToWorktreeMs());
console.log(
  `label -> first worktree (poll nudged, ${runs} runs): median ${median(times).toFixed(0)} ms, range ${Math.min(...times).toFixed(0)}-${Math.max(...times).toFixed(0)} ms`,
);
console.log(
  `load average at end: ${loadavg()
    .map((value) => value.toFixed(2))
    .join(' ')}`,
);
