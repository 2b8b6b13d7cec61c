// Run by crash-recovery.test.ts in a child process (node --import tsx): a dispatcher on a file
// journal whose runner merges branch task-<id> into main of a real git repository, the way the
// orchestrator's merge queue must: only when `git merge-base --is-ancestor` says it is not merged.
import { execFileSync } from 'node:child_process';
import { appendFileSync } from 'node:fs';
import { silentDispatcherLogger } from './dispatcher-logger.js';
import type { InterruptedTaskPolicy } from './dispatcher-options.js';
import { createMemoryTaskSource } from './memory-task-source.js';
import { createTaskDispatcher } from './task-dispatcher.js';

interface ChildConfig {
  repo: string;
  journal: string;
  log: string;
  /** Task ids the memory source delivers (the restarted process delivers none: all comes from the journal). */
  deliver: string[];
  /** The runner of this task merges, then hangs until the process is killed. */
  hangOn?: string;
  onInterrupted: InterruptedTaskPolicy;
}

const config = JSON.parse(process.env.CRASH_CHILD_CONFIG ?? '{}') as ChildConfig;
const record = (entry: Record<string, unknown>) =>
  appendFileSync(config.log, `${JSON.stringify({ pid: process.pid, ...entry })}\n`);
const git = (...args: string[]) =>
  execFileSync(
    'git',
    ['-C', config.repo, '-c', 'user.name=Test', '-c', 'user.email=test@example.com', ...args],
    {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
const isMerged = (branch: string) => {
  try {
    git('merge-base', '--is-ancestor', branch, 'main');
    return true;
  } catch {
    return false;
  }
};

const source = createMemoryTaskSource();
for (const id of config.deliver) source.push({ id, text: `merge branch task-${id}` });
source.end();

const dispatcher = createTaskDispatcher({
  sources: [source],
  store: config.journal,
  onInterrupted: config.onInterrupted,
  logger: silentDispatcherLogger,
  run: async (task, { attempt, resume }) => {
    record({ event: 'run', task: task.id, attempt, resume });
    const branch = `task-${task.id}`;
    if (!isMerged(branch)) {
      git('merge', '--no-ff', '-m', `Merge ${branch}`, branch);
      record({ event: 'merge', task: task.id });
    }
    if (task.id === config.hangOn) {
      record({ event: 'hang', task: task.id });
      await new Promise(() => undefined);
    }
    return { outcome: 'completed' };
  },
});
await dispatcher.start();
await dispatcher.drain();
await dispatcher.stop();
record({ event: 'drained' });
