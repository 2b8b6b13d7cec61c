import { type Task, type TaskOutcome, taskOutcomes } from '../types.js';
import type { TaskEndResult } from './sink-fanout.js';
import type { TaskRunResult } from './task-runner.js';

/** Longest task id accepted (ids are keys in the journal and shown in chats and logs). */
export const maxTaskIdLength = 512;
/** Longest task text accepted, in characters. */
export const maxTaskTextLength = 1_000_000;

const outcomes = new Set<TaskOutcome>(taskOutcomes);

/** Why a delivered value is not a usable task, or `undefined` when it is one. */
export function validateTask(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return 'not an object';
  const task = value as Partial<Record<keyof Task, unknown>>;
  if (typeof task.id !== 'string' || task.id.length === 0) return 'no string "id"';
  if (task.id.length > maxTaskIdLength) return `its id is longer than ${maxTaskIdLength} characters`;
  if (typeof task.text !== 'string' || task.text.trim() === '') return 'no "text" to work on';
  if (task.text.length > maxTaskTextLength) return `its text is longer than ${maxTaskTextLength} characters`;
  if (typeof task.source !== 'string') return 'no string "source"';
  if (task.baseDir !== undefined && typeof task.baseDir !== 'string') return '"baseDir" is not a string';
  if (task.metadata !== undefined && (typeof task.metadata !== 'object' || task.metadata === null)) {
    return '"metadata" is not an object';
  }
  return undefined;
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
