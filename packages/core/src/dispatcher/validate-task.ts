import { z } from 'zod';
import { type TaskOutcome, taskOutcomes } from '../types.js';
import type { TaskEndResult } from './sink-fanout.js';
import type { TaskRunResult } from './task-runner.js';

/** Longest task id accepted (ids are keys in the journal and shown in chats and logs). */
export const maxTaskIdLength = 512;
/** Longest task text accepted, in characters. */
export const maxTaskTextLength = 1_000_000;

const outcomes = new Set<TaskOutcome>(taskOutcomes);

/**
 * A task as it crosses a boundary (a source's delivery, a journal line). Fields other than these
 * are kept as they are; each check says in words what is wrong.
 */
export const taskSchema = z.looseObject(
  {
    id: z
      .string({ error: 'no string "id"' })
      .min(1, { error: 'no string "id"' })
      .max(maxTaskIdLength, { error: `its id is longer than ${maxTaskIdLength} characters` }),
    text: z
      .string({ error: 'no "text" to work on' })
      .refine((text) => text.trim() !== '', { error: 'no "text" to work on' })
      .refine((text) => text.length <= maxTaskTextLength, {
        error: `its text is longer than ${maxTaskTextLength} characters`,
        abort: true,
      }),
    source: z.string({ error: 'no string "source"' }),
    baseDir: z.string({ error: '"baseDir" is not a string' }).optional(),
    metadata: z
      .custom<Record<string, unknown>>((value) => typeof value === 'object' && value !== null, {
        error: '"metadata" is not an object',
      })
      .optional(),
  },
  { error: 'not an object' },
);

/** Why a delivered value is not a usable task, or `undefined` when it is one. */
export function validateTask(value: unknown): string | undefined {
  const result = taskSchema.safeParse(value);
  return result.success ? undefined : result.error.issues[0]?.message;
}

/** True for the four ways a task can end. */
export function isTaskOutcome(value: unknown): value is TaskOutcome {
  return outcomes.has(value as TaskOutcome);
}

/** Turns what a runner resolved with into a task end; anything malformed becomes `failed`. */
export function normalizeRunResult(value: TaskRunResult | undefined): TaskEndResult {
  if (typeof value !== 'object' || value === null || !isTaskOutcome(value.outcome)) {
    const shown = typeof value === 'object' && value !== null ? JSON.stringify(value.outcome) : String(value);
    return {
      outcome: 'failed',
      error: `The task runner resolved without a valid outcome (got ${shown?.slice(0, 60)}); it must resolve with { outcome: ${taskOutcomes.map((outcome) => `'${outcome}'`).join(' | ')} }.`,
    };
  }
  const result: TaskEndResult = { outcome: value.outcome };
  if (typeof value.reportMarkdown === 'string') result.reportMarkdown = value.reportMarkdown;
  if (value.report !== undefined) result.report = value.report;
  return result;
}
