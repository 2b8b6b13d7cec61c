// Run by agent-crash.test.ts in a child process (node --import tsx): a real dispatcher on a file
// journal runs one task with the real orchestrator (Agents SDK, run_repo_command, worktree manager,
// the real codex binary, review, merge queue, smoke test) against the test's scripted model
// server. Every orchestrator event is appended to a log, so the test can kill the process at one.
// The restarted process delivers no task: the journal says the task was interrupted, and the
// dispatcher resumes it (`resume: true`).
import { appendFileSync } from 'node:fs';
import { silentDispatcherLogger } from '../dispatcher/dispatcher-logger.js';
import { createMemoryTaskSource } from '../dispatcher/memory-task-source.js';
import { createTaskDispatcher } from '../dispatcher/task-dispatcher.js';
import type { RunOrchestratorOptions } from './orchestrator-options.js';
import { createOrchestratorTaskRunner } from './orchestrator-task-runner.js';

interface AgentCrashConfig {
  options: RunOrchestratorOptions;
  journal: string;
  log: string;
  /** Tasks the source delivers (none on a restart: the journal holds the interrupted one). */
  deliver: Array<{ id: string; text: string }>;
}

const config = JSON.parse(process.env.AGENT_CRASH_CONFIG ?? '{}') as AgentCrashConfig;
const record = (entry: Record<string, unknown>) =>
  appendFileSync(config.log, `${JSON.stringify({ pid: process.pid, ...entry })}\n`);

const source = createMemoryTaskSource();
for (const task of config.deliver) source.push(task);
source.end();
const runTask = createOrchestratorTaskRunner(config.options);
const dispatcher = createTaskDispatcher({
  sources: [source],
  store: config.journal,
  onInterrupted: 'resume',
  logger: silentDispatcherLogger,
  run: async (task, context) => {
    record({ type: 'task-run', taskId: task.id, attempt: context.attempt, resume: context.resume });
    const result = await runTask(task, {
      ...context,
      emit: (event) => {
        record({ ...event });
        context.emit(event);
      },
    });
    record({ type: 'task-result', taskId: task.id, outcome: result.outcome });
    return result;
  },
});
await dispatcher.start();
await dispatcher.drain();
await dispatcher.stop();
record({ type: 'drained' });
