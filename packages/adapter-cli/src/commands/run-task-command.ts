import { exitCodeOfOutcome } from '../exit-codes.js';
import { loadPolicyFile } from '../load-policy-file.js';
import { checkBaseDir, checkModelAccess } from '../preflight.js';
import { readTask } from '../read-task.js';
import type { CommandContext } from '../run-cli.js';
import { assertCanPrompt } from '../terminal-approver.js';
import { loadSettings } from './load-settings.js';
import { runOneTask } from './run-one-task.js';
import { runPreflight } from './run-preflight.js';

/**
 * `orchestrator "<task>"`: checks what a new user typically gets wrong (base dir, API key, policy
 * file, `--approve` without a terminal, then the preflight: main clean, git identity, codex and
 * both model endpoints) before the first model call, then runs the task with the live
 * view and prints the report. Exit code: 0 all merged, 3 partly merged, 4 nothing merged, 1 failed (see `exitCodeOfOutcome`).
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
  const main = await checkBaseDir(baseDir);
  checkModelAccess(settings);
  if (settings.approve) assertCanPrompt(io.stdin);
  const policy = await loadPolicyFile(settings.policyPath);
  const core = await import('@codex-orchestrator/core');
  const plan = await runPreflight({ context, core, settings, main });
  const { outcome } = await runOneTask(context, {
    task,
    settings,
    baseDir: baseDir as string,
    introLines: [plan.orchestratorLine, plan.codexLine],
    ...(policy === undefined ? {} : { extras: { policy } }),
  });
  return exitCodeOfOutcome(outcome);
}
