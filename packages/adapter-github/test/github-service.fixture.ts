/**
 * The real service (`createOrchestratorService`, SQLite store) fed by the GitHub tracker against
 * the fake GitHub API, running the real orchestrator with the real codex binary against the
 * scripted model server, in real git repositories. It records every log line, so tests can check
 * what the service said (and that the token never appears anywhere).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Logger } from '@codex-orchestrator/core';
import {
  createOrchestratorService,
  createSqliteStore,
  createTrackerSync,
  type OrchestratorService,
  parseServiceConfig,
  type TrackerSync,
} from '@codex-orchestrator/core/service';
import type { OrchestratorScenario } from '@codex-orchestrator/core/testing';
import { createGitHubTracker, type GitHubTracker } from '../src/index.js';
import type { FakeGitHubApi } from '../src/testing/index.js';

export const githubToken = 'ghp_e2eSecretToken0123456789abcdefXYZ';

/** One start of the service; `restart` stops it and starts a new one on the same store. */
export interface GitHubServiceHarness {
  service: OrchestratorService;
  sync: TrackerSync;
  tracker: GitHubTracker;
  /** Every log line so far (service and tracker), as text. */
  logs: string[];
  restart(): Promise<void>;
  close(): Promise<void>;
}

export async function startGitHubService(options: {
  scenario: OrchestratorScenario;
  github: FakeGitHubApi;
  approval?: 'none' | 'required';
}): Promise<GitHubServiceHarness> {
  const folder = await mkdtemp(join(tmpdir(), 'github-service-'));
  const storePath = join(folder, 'store.db');
  const logs: string[] = [];
  const logger: Logger = {
    debug: (message, details) => logs.push(`debug ${message} ${JSON.stringify(details ?? {})}`),
    info: (message, details) => logs.push(`info ${message} ${JSON.stringify(details ?? {})}`),
    warn: (message, details) => logs.push(`warn ${message} ${JSON.stringify(details ?? {})}`),
    error: (message, details) => logs.push(`error ${message} ${JSON.stringify(details ?? {})}`),
  };
  const config = parseServiceConfig(
    JSON.stringify({
      projects: {
        shop: {
          description: 'The web shop.',
          baseDir: options.scenario.baseDir,
          review: 'off',
          smokeTest: 'sh test.sh',
          approval: options.approval ?? 'none',
        },
      },
      store: { path: storePath },
    }),
    join(folder, 'serve.json'),
  );
  const { scenario } = options;
  const harness = { logs } as GitHubServiceHarness;

  async function start() {
    const tracker = createGitHubTracker({
      repositories: ['octo/shop'],
      token: githubToken,
      baseUrl: options.github.url,
      logger,
    });
    const sync = createTrackerSync({
      client: tracker,
      projects: { 'octo/shop': 'shop' },
      pollIntervalMs: 150,
      progressIntervalMs: 100,
      backoff: { initialDelayMs: 50, maxDelayMs: 500 },
      logger,
    });
    const service = createOrchestratorService({
      config,
      store: await createSqliteStore({ path: storePath }),
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' },
      log: (entry) => logs.push(JSON.stringify(entry)),
      sources: [sync.source],
      sinks: [sync.sink],
      notifyApproval: (approval) => sync.notifyApproval(approval),
      runOptions: () => ({
        baseURL: scenario.options.baseURL,
        apiKey: scenario.options.apiKey,
        auditLogPath: scenario.options.auditLogPath,
        pruneWorktrees: false,
        codex: scenario.options.codex,
      }),
    });
    sync.attach(service);
    await service.start();
    Object.assign(harness, { service, sync, tracker });
  }
  await start();
  harness.restart = async () => {
    await harness.service.stop({ graceMs: 0 });
    await start();
  };
  harness.close = async () => {
    await harness.service.stop({ graceMs: 0 }).catch(() => undefined);
    await rm(folder, { recursive: true, force: true });
  };
  return harness;
}
