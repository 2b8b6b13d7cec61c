/**
 * A real orchestrator service fed by the Linear tracker, against the fake Linear API and an
 * orchestrator scenario (scripted model server, real codex, real git): what the end-to-end tests
 * of this package start, stop and restart.
 */
import {
  createMemoryStore,
  createOrchestratorService,
  createTrackerSync,
  type OrchestratorService,
  type OrchestratorStore,
  parseServiceConfig,
  type ServiceLogEntry,
} from '@codex-orchestrator/core/service';
import type { OrchestratorScenario } from '@codex-orchestrator/core/testing';
import { createLinearTracker, type LinearTracker } from '../src/index.js';
import type { FakeLinearApi, FakeLinearUser } from '../src/testing/index.js';

process.env.OPENAI_AGENTS_DISABLE_TRACING = '1';

/** The people of the fake workspace the tests use. */
export interface LinearPeople {
  /** Listed in `allowed.users`. */
  alice: FakeLinearUser;
  /** A guest of the workspace: never allowed. */
  mallory: FakeLinearUser;
}

/** Adds the team, labels and people the tests use. */
export function seedWorkspace(fake: FakeLinearApi): LinearPeople {
  fake.workspace.addTeam({ key: 'ENG', name: 'Engineering' });
  fake.workspace.addLabel({ name: 'orchestrator' });
  fake.workspace.addLabel({ name: 'orchestrator-failed' });
  return {
    alice: fake.workspace.addUser({ name: 'Alice', email: 'alice@example.test' }),
    mallory: fake.workspace.addUser({ name: 'Mallory', guest: true }),
  };
}

/** One line the service, the state machine or the adapter logged. */
export interface LoggedLine {
  level: string;
  message: string;
  details?: unknown;
}

export interface LinearService {
  service: OrchestratorService;
  tracker: LinearTracker;
  logs: LoggedLine[];
  /** Polls now, as a verified webhook delivery does. */
  nudge(): void;
  stop(): Promise<void>;
}

/** Starts the service with one project (`shop`, the scenario's repository) fed by team ENG. */
export async function startLinearService(options: {
  fake: FakeLinearApi;
  scenario: OrchestratorScenario;
  store?: OrchestratorStore;
  approval?: 'none' | 'required';
  smokeTest?: string;
  backoff?: { initialDelayMs: number; maxDelayMs: number };
  pollIntervalMs?: number;
}): Promise<LinearService> {
  const { fake, scenario } = options;
  const logs: LoggedLine[] = [];
  const log = (level: string) => (message: string, details?: Record<string, unknown>) => {
    logs.push(details === undefined ? { level, message } : { level, message, details });
  };
  const tracker = createLinearTracker({
    apiKey: fake.apiKey,
    apiUrl: fake.url,
    teams: ['ENG'],
    allowed: { users: ['alice@example.test'] },
  });
  const sync = createTrackerSync({
    client: tracker,
    projects: { ENG: 'shop' },
    pollIntervalMs: options.pollIntervalMs ?? 250,
    progressIntervalMs: 100,
    backoff: options.backoff ?? { initialDelayMs: 100, maxDelayMs: 2000 },
    logger: { info: log('info'), warn: log('warn'), error: log('error') },
  });
  const config = parseServiceConfig(
    JSON.stringify({
      projects: {
        shop: {
          description: 'The web shop.',
          baseDir: scenario.baseDir,
          review: 'off',
          approval: options.approval ?? 'none',
          ...(options.smokeTest === undefined ? {} : { smokeTest: options.smokeTest }),
        },
      },
      api: { port: 0, token: { env: 'UNUSED_TOKEN' } },
    }),
    `${scenario.baseDir}/serve.json`,
  );
  const service = createOrchestratorService({
    config,
    store: options.store ?? createMemoryStore(),
    sources: [sync.source],
    sinks: [sync.sink],
    notifyApproval: sync.notifyApproval,
    runOptions: () => ({ ...scenario.options }),
    apiToken: 'linear-e2e-api-token-0123456789',
    log: (entry: ServiceLogEntry) =>
      logs.push({ level: entry.level, message: entry.message, details: entry }),
  });
  sync.attach(service);
  await service.start();
  return {
    service,
    tracker,
    logs,
    nudge: () => sync.nudge(),
    stop: () => service.stop({ graceMs: 0 }),
  };
}

/** Names of the workflow state an issue of the fake is in. */
export function stateOf(fake: FakeLinearApi, issueId: string): string | undefined {
  return fake.workspace.states.get(fake.workspace.getIssue(issueId).stateId)?.name;
}

/** Comments on an issue of the fake, oldest first. */
export function commentsOf(fake: FakeLinearApi, issueId: string) {
  return fake.workspace.commentsOf(issueId);
}
