import type { OrchestratorEvent } from '@codex-orchestrator/core';
import { sanitizeTerminalText } from '@codex-orchestrator/core/shared';
import type { CliOutput } from '../cli-io.js';
import { describeEvent, type EventLine } from './describe-event.js';
import type { EventRenderer } from './event-renderer.js';
import type { Style } from './output-mode.js';
import { toTerminalLine } from './terminal-text.js';

/** Paints a line's level (shared by the plain renderer and the live view's log lines). */
export function paintLevel(style: Style, level: EventLine['level'], text: string): string {
  if (level === 'error') return style.red(text);
  if (level === 'warning') return style.yellow(text);
  if (level === 'success') return style.green(text);
  return text;
}

/** Formats `HH:MM:SS` of an ISO time (or now). */
export function clockOf(time: string | undefined): string {
  const date = time === undefined ? new Date() : new Date(time);
  return Number.isNaN(date.getTime()) ? '--:--:--' : date.toTimeString().slice(0, 8);
}

/**
 * One line per event, for logs and CI: `12:00:03 task-slugify  $ npm test → exit 0 (1.2s)`.
 * Noisy events (token usage, reasoning, command starts) are left out.
 */
export function createPlainRenderer(options: {
  stream: CliOutput;
  style: Style;
  /** Prefix lines with the task id (`[env-1-ab12]`), for several tasks at once. */
  showTaskId?: boolean;
}): EventRenderer {
  const { stream, style } = options;
  const print = (event: OrchestratorEvent, line: EventLine) => {
    const task =
      options.showTaskId && event.taskId !== undefined && !event.type.startsWith('task-')
        ? `${style.dim(`[${toTerminalLine(event.taskId, 40)}]`)} `
        : '';
    stream.write(
      `${style.dim(clockOf(event.time))} ${task}${style.cyan(line.where.padEnd(16))} ${paintLevel(style, line.level, line.text)}\n`,
    );
  };
  return {
    event(event: OrchestratorEvent) {
      const line = describeEvent(event);
      if (line !== undefined) print(event, line);
    },
    note(text, level = 'info') {
      stream.write(`${paintLevel(style, level, sanitizeTerminalText(text))}\n`);
    },
    pause() {},
    resume() {},
    close() {},
  };
}
