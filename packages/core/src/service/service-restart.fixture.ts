/**
 * Test fixture: `orchestrator serve` as a user runs it (the real service, the real orchestrator,
 * real codex and git, a SQLite store), in its own process so service-restart.test.ts can kill -9
 * it and start it again. Settings come as JSON in `SERVICE_RESTART_CONFIG`; what the test waits
 * for is printed on stdout: `api <url>`, `approval <id> <commit>`.
 */
import { createSqliteStore } from '../store/create-sqlite-store.js';
import { createOrchestratorService } from './create-orchestrator-service.js';
import { parseServiceConfig } from './load-service-config.js';

interface RestartConfig {
  baseDir: string;
  storePath: string;
  smokeTest?: string;
  approval: 'none' | 'required';
  submit?: { id: string; text: string };
  run: {
    baseURL: string;
    apiKey: string;
    auditLogPath: string;
    codex: { codexHome: string; env: Record<string, string> };
  };
}

const settings = JSON.parse(process.env.SERVICE_RESTART_CONFIG ?? '{}') as RestartConfig;
const config = parseServiceConfig(
  JSON.stringify({
    projects: {
      shop: {
        description: 'the shop',
        baseDir: settings.baseDir,
        review: 'off',
        approval: settings.approval,
        ...(settings.smokeTest === undefined ? {} : { smokeTest: settings.smokeTest }),
      },
    },
    api: { port: 0, token: { env: 'SERVICE_RESTART_TOKEN' } },
  }),
  '/etc/orchestrator/serve.json',
);
const service = createOrchestratorService({
  config,
  store: await createSqliteStore({ path: settings.storePath }),
  log: (entry) => process.stderr.write(`${JSON.stringify(entry)}\n`),
  notifyApproval: async (approval) =>
    void process.stdout.write(`approval ${approval.id} ${approval.commit}\n`),
  runOptions: () => ({ ...settings.run, pruneWorktrees: false }),
});
await service.start();
process.stdout.write(`api ${service.apiUrl}\n`);
if (settings.submit) await service.submit(settings.submit);
process.on('SIGTERM', () => void service.stop({ graceMs: 5_000 }).then(() => process.exit(0)));
