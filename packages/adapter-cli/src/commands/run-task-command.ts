import { ExitCode } from '../exit-codes.js';
import { checkBaseDir, checkModelAccess } from '../preflight.js';
import { readTask } from '../read-task.js';
import type { CommandContext } from '../run-cli.js';
import { assertCanPrompt } from '../terminal-approver.js';
import { loadSettings } from './load-settings.js';
import { runOneTask } from './run-one-task.js';

/**
 * `orchestrator "<task>"`: checks what a new user typically gets wrong (base dir, API key, codex,
 * `--approve` without a terminal) before anything heavy loads, then runs the task with the live
 * view and prints the report. Exit code: 0 when the run completed, 1 otherwise.
 */
export async function runTaskCommand(context: CommandContext): Promise<number> {
  const { parsed, io } = context;
  const settings = await loadSettings(context);
  const task = await readTask({
    positionals: parsed.positionals,
    ...(parsed.flags.taskFile === undefined ? {} : { taskFile: parsed.flags.taskFile }),
    ...(io.stdin === undefined ? {} : { stdin: io.stdin }),
    ...(io.stdinIsPiped === undefined ? {} : { stdinIsPiped: io.stdinIsPiped }),
    cwd: io.cwd,
  });
  const baseDir = settings.baseDir;
  await checkBaseDir(baseDir);
  checkModelAccess(settings);
  if (settings.approve) assertCanPrompt(io.stdin);
  const { outcome } = await runOneTask(context, { task, settings, baseDir: baseDir as string });
  return outcome === 'completed' ? ExitCode.success : ExitCode.taskFailed;
}
