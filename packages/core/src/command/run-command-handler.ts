import type { OrchestratorEventInput } from '../events.js';
import { errorMessage } from '../shared/error-message.js';
import type { CommandHandler, CommandInvocation, RunRepoCommandResult } from '../types.js';
import type { CommandRecorder } from './command-recorder.js';
import { notRun } from './command-result.js';
import { capText } from './output-capture.js';

/**
 * Runs a command handler and normalises its result: output capped like plain command output
 * (the runner redacts it), events it emits get the call's task id, a throw becomes `failed`.
 */
export async function runCommandHandler(
  handler: CommandHandler,
  invocation: CommandInvocation,
  context: {
    signal: AbortSignal;
    recorder: CommandRecorder;
    maxOutputBytes: number;
    ruleId: { ruleId?: string };
  },
): Promise<RunRepoCommandResult> {
  const { taskId } = invocation.context;
  try {
    const handled = await handler.run(invocation, {
      signal: context.signal,
      emit: (event) =>
        context.recorder.emit({
          ...event,
          ...(event.taskId === undefined && taskId !== undefined ? { taskId } : {}),
        } as OrchestratorEventInput),
    });
    const stdout = capText(handled.stdout ?? '', context.maxOutputBytes);
    const stderr = capText(handled.stderr ?? '', context.maxOutputBytes);
    const truncated = handled.truncated || stdout.truncated || stderr.truncated;
    return {
      ...context.ruleId,
      ...handled,
      stdout: stdout.text,
      stderr: stderr.text,
      truncated,
      handler: handler.name,
    };
  } catch (error) {
    return {
      status: 'failed',
      ...notRun,
      reason: `the ${handler.name} handler failed: ${errorMessage(error)}`,
      ...context.ruleId,
      handler: handler.name,
    };
  }
}
