import type { OrchestratorEvent } from '../events.js';
import { sanitizeTerminalText } from '../shared/terminal-text.js';
import type { Task, TaskOutcome, TaskSink } from '../types.js';

/** Options of `createConsoleTaskSink`. */
export interface ConsoleTaskSinkOptions {
  /** Where lines go (default `process.stdout`). */
  stream?: NodeJS.WritableStream & { isTTY?: boolean };
  /** Colour the outcome words. Default: when `stream` is a TTY and `NO_COLOR` is unset or empty. */
  color?: boolean;
  /** Print every event, including worker messages, usage and command output (default false). */
  verbose?: boolean;
  /** Print each task's markdown report at its end (default true). */
  reports?: boolean;
}

const outcomeColors: Record<TaskOutcome | 'interrupted', string> = {
  completed: '\u001b[32m',
  'partly-merged': '\u001b[33m',
  'nothing-merged': '\u001b[31m',
  failed: '\u001b[31m',
  cancelled: '\u001b[33m',
  'budget-exceeded': '\u001b[33m',
  interrupted: '\u001b[33m',
};

/**
 * Plain, readable lines for people: one line per task event (`12:03:04 [env-1-ab12] started,
 * attempt 1`), a line per noteworthy orchestrator event, and the report when a task ends. All
 * text from tasks and models is stripped of escape sequences and control characters.
 */
export function createConsoleTaskSink(options: ConsoleTaskSinkOptions = {}): TaskSink {
  const stream = options.stream ?? process.stdout;
  const noColor = (process.env.NO_COLOR ?? '') !== '';
  const color = options.color ?? (stream.isTTY === true && !noColor);
  const paint = (text: string, state: TaskOutcome | 'interrupted') =>
    color ? `${outcomeColors[state]}${text}\u001b[0m` : text;
  const write = (task: Task, text: string, time = new Date().toISOString()) => {
    const clock = time.slice(11, 19);
    const id = sanitizeTerminalText(task.id, { singleLine: true, maxLength: 60 });
    stream.write(`${clock} [${id}] ${text}\n`);
  };

  return {
    name: 'console',
    onEvent(task, event) {
      const line = describeEvent(event, options.verbose === true, paint);
      if (line !== undefined) write(task, line, event.time);
    },
    onTaskEnd(task, result) {
      const error =
        result.error === undefined
          ? ''
          : `: ${sanitizeTerminalText(result.error, { singleLine: true, maxLength: 400 })}`;
      write(task, `${paint(result.outcome, result.outcome)}${error}`);
      if (
        options.reports !== false &&
        result.reportMarkdown !== undefined &&
        result.reportMarkdown.trim() !== ''
      ) {
        stream.write(`${sanitizeTerminalText(result.reportMarkdown, { maxLength: 20_000 }).trimEnd()}\n`);
      }
    },
  };
}

/** Frequent events printed only with `verbose`. */
const chattyEvents = new Set<string>([
  'command-end',
  'worker-command-start',
  'worker-command-end',
  'worker-file-change',
  'worker-message',
  'worker-usage',
  'worker-warning',
  'usage-update',
  'model-call-start',
  'model-call-end',
]);

const summaryFields = [
  'worktree',
  'branch',
  'status',
  'outcome',
  'verdict',
  'reason',
  'summary',
  'message',
  'command',
  'text',
];

/** ` key=value` for the well-known scalar fields an event has, so new event types print sensibly. */
function summarize(event: Record<string, unknown>): string {
  return summaryFields
    .filter((field) => typeof event[field] === 'string' || typeof event[field] === 'number')
    .map(
      (field) =>
        ` ${field}=${sanitizeTerminalText(String(event[field]), { singleLine: true, maxLength: 120 })}`,
    )
    .join('');
}

function describeEvent(
  event: OrchestratorEvent,
  verbose: boolean,
  paint: (text: string, state: TaskOutcome | 'interrupted') => string,
): string | undefined {
  const text = (value: string, maxLength = 160) =>
    sanitizeTerminalText(value, { singleLine: true, maxLength });
  switch (event.type) {
    case 'task-queue':
      return `queued (${event.reason}) from ${text(event.source, 40)}`;
    case 'task-start':
      return `started, attempt ${event.attempt}${event.resume ? ', resuming' : ''}`;
    case 'task-interrupt':
      return `${paint('interrupted', 'interrupted')} during attempt ${event.attempt}; ${event.action}`;
    case 'task-end':
      return undefined; // onTaskEnd prints the outcome with the report.
    case 'command-start':
      return `${text(event.worktree, 40)} $ ${text(event.command)}`;
    case 'command-denied':
      return `${text(event.worktree, 40)} denied: ${text(event.command)} (${text(event.reason)})`;
    case 'worktree-create':
      return `worktree ${text(event.worktree, 60)} ${event.reused ? 'reused' : 'created'} on ${text(event.branch, 60)}`;
    case 'worktree-remove':
      return `worktree ${text(event.worktree, 60)} ${event.reason}`;
    case 'worker-start':
      return `${text(event.worker, 20)} started in ${text(event.worktree, 60)}`;
    case 'worker-end':
      return `${text(event.worktree, 60)} worker ${event.result.status}, ${event.result.usage.totalTokens} tokens`;
    case 'error':
      return `error ${text(event.code, 40)}: ${text(event.message)}`;
    default:
      if (!verbose && (chattyEvents.has(event.type) || event.type.endsWith('-delta'))) return undefined;
      return `${event.type}${summarize(event as unknown as Record<string, unknown>)}`;
  }
}
