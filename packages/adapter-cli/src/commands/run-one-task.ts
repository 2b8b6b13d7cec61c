import type { MergeApprovalRequest, OrchestratorEvent, TaskOutcome } from '@codex-orchestrator/core';
import { CliError } from '../cli-error.js';
import { createRunPresenter } from '../output/run-presenter.js';
import { toTerminalLine } from '../output/terminal-text.js';
import type { CommandContext } from '../run-cli.js';
import type { RunSettings } from '../run-settings.js';
import { createMergePrompter } from '../terminal-approver.js';
import { type RunExtras, toOrchestratorOptions } from './orchestrator-options.js';

/** How one run ended, for the command to choose its exit code and closing lines. */
export interface OneTaskResult {
  outcome: TaskOutcome;
  /** True when a codex run reported that its sandbox does not work on this machine. */
  sandboxFailure: boolean;
}

/**
 * Runs one task: checks codex is installed, starts `runOrchestrator`, shows its events (live
 * view, plain lines, or JSON Lines), asks merge approvals on the terminal with `--approve`, and
 * prints the report. Ctrl-C cancels the run through `context.interrupt.signal`.
 */
export async function runOneTask(
  context: CommandContext,
  input: {
    task: string;
    settings: RunSettings;
    baseDir: string;
    extras?: RunExtras;
    title?: string;
    /** Printed first (which model each side uses). */
    introLines?: string[];
  },
): Promise<OneTaskResult> {
  const { io, interrupt } = context;
  const { settings } = input;
  const core = await import('@codex-orchestrator/core');
  const codexPath = input.extras?.codex?.path ?? settings.codexPath;
  try {
    core.resolveCodexBinary(codexPath === undefined ? {} : { codexPath });
  } catch (error) {
    throw new CliError(
      `The Codex CLI was not found${codexPath === undefined ? '' : ` at ${codexPath}`}: install it with \`npm install -g @openai/codex\` (then check \`codex --version\`), or set "codexPath" in the config file.`,
      { code: 'codex-missing', cause: error },
    );
  }

  const presenter = createRunPresenter({
    io,
    json: settings.json,
    title: input.title ?? toTerminalLine(input.task, 80),
  });
  for (const line of input.introLines ?? []) presenter.note(line);
  const prompter =
    settings.approve && io.stdin !== undefined
      ? createMergePrompter({ input: io.stdin, output: io.stderr })
      : undefined;
  const approveMerge = prompter
    ? async (request: MergeApprovalRequest) => {
        // The live view pauses so the question stays readable.
        presenter.pause();
        try {
          return await prompter.ask(request);
        } finally {
          presenter.resume();
        }
      }
    : undefined;
  const options = toOrchestratorOptions(settings, input.baseDir, interrupt.signal, {
    trace: (line) => presenter.note(toTerminalLine(line, 400)),
    ...(approveMerge === undefined ? {} : { approveMerge }),
    ...input.extras,
  });

  const restoreNotices = context.routeNotices((text) => presenter.note(text, 'warning'));
  let sandboxFailure = false;
  let report: Awaited<ReturnType<typeof core.runOrchestrator>['report']>;
  try {
    const run = core.runOrchestrator(input.task, options);
    run.events.onAny((event: OrchestratorEvent) => {
      if (event.type === 'worker-end' && event.result.status === 'sandbox-failure') sandboxFailure = true;
      presenter.event(event);
    });
    report = await run.report;
  } finally {
    // Also when runOrchestrator refuses its options: the terminal and the view must be released.
    prompter?.close();
    restoreNotices();
    presenter.close();
  }
  // Core's report carries the appendix (paths, files per branch from git, tests and failures).
  presenter.report(core.renderReportMarkdown(report));
  presenter.json({ type: 'run-report', time: new Date().toISOString(), taskId: report.taskId, report });
  return { outcome: report.status, sandboxFailure };
}
