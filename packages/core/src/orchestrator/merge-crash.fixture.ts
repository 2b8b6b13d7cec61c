// Run by merge-crash.test.ts in a child process (node --import tsx): what a run does to main,
// with the real code: recovery under the writer lock at start, then the merge queue merging each
// branch (with the smoke test). Every event is appended to a log so the test can kill at one.
import { appendFileSync } from 'node:fs';
import { createMainLedgerStore } from '../durability/main-ledger.js';
import { repositoryStateDir, withWriterLock } from '../durability/repository-state.js';
import type { OrchestratorEventInput } from '../events.js';
import { createMergeQueue } from './merge-queue.js';
import { recoverMain } from './recover-main.js';
import { createRepositoryGit } from './repository-git.js';

interface CrashConfig {
  baseDir: string;
  branches: string[];
  smokeTest?: string;
  log: string;
}

const config = JSON.parse(process.env.MERGE_CRASH_CONFIG ?? '{}') as CrashConfig;
const record = (entry: Record<string, unknown>) =>
  appendFileSync(config.log, `${JSON.stringify({ pid: process.pid, ...entry })}\n`);
const emit = (event: OrchestratorEventInput) => record({ ...event });

const stateDir = repositoryStateDir(config.baseDir);
const git = createRepositoryGit(`${config.baseDir}/main`);
const recovery = await withWriterLock(stateDir, 'crash fixture start', () =>
  recoverMain({ git, ledger: createMainLedgerStore(stateDir), moment: 'start', emit, taskField: {} }),
);
record({ type: 'recovered', repairs: recovery.repairs });
const queue = await createMergeQueue({
  baseDir: config.baseDir,
  ...(config.smokeTest === undefined ? {} : { smokeTest: config.smokeTest }),
});
for (const branch of config.branches) {
  const result = await queue.merge(branch, { emit });
  record({ type: 'result', branch, status: result.status, text: result.stdout || result.reason });
}
record({ type: 'done' });
