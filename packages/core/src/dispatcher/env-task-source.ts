import { createHash } from 'node:crypto';
import type { Task, TaskSource } from '../types.js';
import { DispatcherConfigurationError } from './dispatcher-errors.js';

/** Options of `createEnvTaskSource`. */
export interface EnvTaskSourceOptions {
  /** The environment variable holding the tasks (default `DISPATCH_TASKS`). */
  variable?: string;
  /**
   * An explicit separator between tasks, such as `;;` (used as is, anywhere in the value). Without
   * it: when some line is exactly `---`, such lines separate multi-line tasks; otherwise every
   * line is one task.
   */
  delimiter?: string;
  /** Where to read the variable (default `process.env`). */
  env?: Record<string, string | undefined>;
  /** Source name, used in task ids, sinks and acks (default `env`). */
  name?: string;
}

/**
 * Splits a task list. Blank entries are dropped and every entry is trimmed; `\r\n` counts as a line
 * break. See `EnvTaskSourceOptions.delimiter` for the three forms.
 */
export function parseTaskList(value: string, options: { delimiter?: string } = {}): string[] {
  const normalized = value.replace(/\r\n?/g, '\n');
  let entries: string[];
  if (options.delimiter !== undefined) {
    entries = normalized.split(options.delimiter);
  } else if (normalized.split('\n').some((line) => line.trim() === '---')) {
    entries = normalized.split(/^[ \t]*---[ \t]*$/m);
  } else {
    entries = normalized.split('\n');
  }
  return entries.map((entry) => entry.trim()).filter((entry) => entry !== '');
}

/**
 * Tasks from an environment variable, the demo intake of `orchestrator dispatch`:
 *
 * ```sh
 * DISPATCH_TASKS=$'Add a /health endpoint\nFix the flaky login test' orchestrator dispatch
 * ```
 *
 * One task per line; for multi-line tasks put a line of `---` between them; or pass an explicit
 * `delimiter` (e.g. `;;`). The variable is read once, when the source is created, and the source
 * is exhausted after its last task. Ids are `<name>-<n>-<hash>` (position and content), stable
 * across restarts, so with a durable journal a rerun skips tasks that already ended; change a
 * task's text to run it again.
 *
 * Throws a `DispatcherConfigurationError` when the variable is unset or holds no task.
 */
export function createEnvTaskSource(options: EnvTaskSourceOptions = {}): TaskSource {
  const variable = options.variable ?? 'DISPATCH_TASKS';
  const name = options.name ?? 'env';
  if (options.delimiter !== undefined && options.delimiter.trim() === '') {
    throw new DispatcherConfigurationError(
      `The task delimiter ${JSON.stringify(options.delimiter)} is blank; use visible characters such as ";;".`,
      { code: 'env-delimiter-invalid' },
    );
  }
  const value = (options.env ?? process.env)[variable] ?? '';
  const texts = parseTaskList(value, options.delimiter === undefined ? {} : { delimiter: options.delimiter });
  if (texts.length === 0) {
    throw new DispatcherConfigurationError(
      `${variable} is ${value === '' ? 'not set' : 'blank'}, so there is no task to dispatch. Set it to one task ` +
        `per line, e.g. ${variable}=$'Add a /health endpoint\\nFix the flaky login test', or separate multi-line ` +
        'tasks with a line of ---.',
      { code: 'env-tasks-empty' },
    );
  }
  const tasks: Task[] = texts.map((text, index) => ({
    id: `${name}-${index + 1}-${createHash('sha256').update(text).digest('hex').slice(0, 12)}`,
    text,
    source: name,
    metadata: { variable, position: index + 1 },
  }));
  return {
    name,
    async *tasks(signal: AbortSignal) {
      for (const task of tasks) {
        if (signal.aborted) return;
        yield task;
      }
    },
  };
}
