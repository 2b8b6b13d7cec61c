/**
 * The `update_plan` tool: the orchestrator records its plan (and its progress) as data. It
 * touches no file; it only emits a `plan-update` event, which the report and the adapters show.
 */
import { type FunctionTool, tool } from '@openai/agents';
import { z } from 'zod';
import type { EventStream } from '../events/event-stream.js';
import type { PlanStep } from '../events.js';

/** Parameters of `update_plan` (nullable instead of optional: strict tool schemas need every field). */
export const updatePlanParameters = z.object({
  steps: z
    .array(
      z.object({
        title: z.string().describe('One subtask or step, in a few words.'),
        status: z.enum(['pending', 'in-progress', 'done', 'blocked']),
        worktree: z.string().nullable().describe('The task-<slug> worktree of this step, or null.'),
      }),
    )
    .max(50),
  note: z.string().nullable().describe('Why the plan changed, or null.'),
});

const maxTitleLength = 200;

/** Creates the tool; each call replaces the recorded plan. */
export function createUpdatePlanTool(
  events: EventStream,
  options: { taskId?: string } = {},
): FunctionTool<unknown, typeof updatePlanParameters, string> {
  return tool({
    name: 'update_plan',
    description:
      'Record your plan: the full list of steps with their status (pending, in-progress, done, blocked). Call it after planning and whenever a step changes status. It changes no files.',
    parameters: updatePlanParameters,
    async execute(input) {
      const steps: PlanStep[] = input.steps.map((step) => ({
        title: step.title.slice(0, maxTitleLength),
        status: step.status,
        ...(step.worktree ? { worktree: step.worktree.slice(0, 100) } : {}),
      }));
      events.emit({
        type: 'plan-update',
        steps,
        ...(input.note ? { note: input.note.slice(0, 1000) } : {}),
        ...(options.taskId === undefined ? {} : { taskId: options.taskId }),
      });
      const done = steps.filter((step) => step.status === 'done').length;
      return `plan recorded: ${steps.length} steps, ${done} done`;
    },
  });
}
