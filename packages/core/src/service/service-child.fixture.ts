/**
 * Test fixture: a service on a SQLite store, in its own process so the test can SIGKILL it.
 * `run-and-hang`: finishes one task, then hangs in a second. `approval`: a merge waits for approval.
 */
import { createSqliteStore } from '../store/create-sqlite-store.js';
import { createOrchestratorService } from './create-orchestrator-service.js';
import { parseServiceConfig } from './load-service-config.js';

const [storePath, mode] = process.argv.slice(2);
if (!storePath || !mode) throw new Error('usage: service-child.fixture.ts <store> <mode>');
const approval = mode === 'approval';
const config = parseServiceConfig(
  JSON.stringify({
    projects: {
      shop: { description: 'shop', baseDir: '/srv/shop', ...(approval ? { approval: 'required' } : {}) },
      billing: { description: 'billing', baseDir: '/srv/billing' },
    },
  }),
  '/etc/orchestrator/serve.json',
);
const store = await createSqliteStore({ path: storePath });
const service = createOrchestratorService({
  config,
  store,
  log: () => undefined,
  notifyApproval: async () => void process.stdout.write('approval requested\n'),
  runTask: async ({ task, approveMerge }) => {
    if (approval) {
      await approveMerge?.({ branch: 'task-a', commit: 'abc1234', worktree: 'task-a', diffStat: ' a | 1 +' });
      return { outcome: 'completed' };
    }
    if (task.id === 'task-done') return { outcome: 'completed' };
    process.stdout.write('second task running\n');
    await new Promise(() => undefined);
    return { outcome: 'completed' };
  },
});
await service.start();
if (approval) await service.submit({ id: 'task-approve', text: 'shop: add search' });
else {
  await service.submit({ id: 'task-done', text: 'shop: first' });
  while ((await store.getTask('task-done'))?.state !== 'finished')
    await new Promise((resolve) => setTimeout(resolve, 20));
  await service.submit({ id: 'task-hang', text: 'shop: second' });
}
setInterval(() => undefined, 1_000);
