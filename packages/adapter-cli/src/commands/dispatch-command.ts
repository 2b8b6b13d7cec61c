import { mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { TaskOutcome, TaskSink } from '@codex-orchestrator/core';
import { ExitCode } from '../exit-codes.js';
import { loadPolicyFile } from '../load-policy-file.js';
import { createRunPresenter } from '../output/run-presenter.js';
import { checkBaseDir, checkModelAccess } from '../preflight.js';
import type { CommandContext } from '../run-cli.js';
import { createCliTaskRunner } from './cli-task-runner.js';
import { loadSettings } from './load-settings.js';
import { runPreflight } from './run-preflight.js';

/**
 * `orchestrator dispatch`: the task dispatcher over `DISPATCH_TASKS` (exits once every task has
 * ended) or over `--inbox DIR` (runs until Ctrl-C). Task states go to a journal, so after a crash
 * or Ctrl-C a rerun skips ended tasks and resumes interrupted ones. Exit code 0 when every task
 * completed, 1 when one did not.
 */
export async function dispatchCommand(context: CommandContext): Promise<number> {
  const { io, interrupt } = context;
  const settings = await loadSettings(context);
  const main = await checkBaseDir(settings.baseDir);
  checkModelAccess(settings);
  const baseDir = settings.baseDir as string;
  const policy = await loadPolicyFile(settings.policyPath);
  const core = await import('@codex-orchestrator/core');
  const plan = await runPreflight({ context, core, settings, main });
  const inbox = settings.dispatch.inbox;
  const source = inbox
    ? core.createInboxTaskSource({ dir: inbox })
    : core.createEnvTaskSource({ env: io.env });
  const store = settings.dispatch.store ?? join(baseDir, '.orchestrator', 'dispatch-journal.jsonl');
  await mkdir(dirname(store), { recursive: true });

  const presenter = createRunPresenter({ io, json: settings.json, title: 'dispatch', multiTask: true });
  const outcomes = new Map<string, TaskOutcome>();
  const cliSink: TaskSink = {
    name: 'cli',
    onEvent: (_task, event) => presenter.event(event),
    onTaskEnd: (task, result) => {
      outcomes.set(task.id, result.outcome);
      if (result.reportMarkdown !== undefined) presenter.report(result.reportMarkdown);
      if (result.report !== undefined) {
        presenter.json({
          type: 'run-report',
          time: new Date().toISOString(),
          taskId: task.id,
          report: result.report,
        });
      }
    },
  };
  const dispatcher = core.createTaskDispatcher({
    sources: [source],
    sinks: [cliSink],
    run: createCliTaskRunner({ core, settings, baseDir, io, ...(policy === undefined ? {} : { policy }) }),
    store,
    ...(settings.dispatch.concurrency === undefined ? {} : { concurrency: settings.dispatch.concurrency }),
    logger: {
      warn: (message) => presenter.note(`dispatcher: ${message}`, 'warning'),
      error: (message) => presenter.note(`dispatcher: ${message}`, 'error'),
    },
  });
  presenter.note(plan.orchestratorLine);
  presenter.note(plan.codexLine);
  presenter.note(
    inbox
      ? `Dispatching tasks from ${inbox} (one .md or .txt file per task; Ctrl-C to stop). Journal: ${store}`
      : `Dispatching the tasks of DISPATCH_TASKS. Journal: ${store}`,
  );
  context.routeNotices((text) => presenter.note(text, 'warning'));
  await dispatcher.start();
  const stopped = new Promise<void>((resolve) => {
    if (interrupt.signal.aborted) resolve();
    interrupt.signal.addEventListener('abort', () => resolve(), { once: true });
  });
  // The env source ends after its last task: drain then returns. An inbox never ends by itself.
  await Promise.race([dispatcher.drain(), stopped]);
  await dispatcher.stop({ cancelRunning: interrupt.signal.aborted });
  presenter.close();

  const counts = new Map<TaskOutcome, number>();
  for (const outcome of outcomes.values()) counts.set(outcome, (counts.get(outcome) ?? 0) + 1);
  const summary = [...counts].map(([outcome, count]) => `${count} ${outcome}`).join(', ');
  presenter.note(
    `Dispatch ${interrupt.signal.aborted ? 'stopped' : 'done'}: ${summary === '' ? 'no task ran' : summary}.`,
  );
  if (interrupt.signal.aborted)
    return interrupt.cause === 'SIGTERM' ? ExitCode.terminated : ExitCode.interrupted;
  return [...outcomes.values()].every((outcome) => outcome === 'completed')
    ? ExitCode.success
    : ExitCode.taskFailed;
}
