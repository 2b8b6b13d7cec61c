import type { OrchestratorEvent } from '@codex-orchestrator/core';
import { sanitizeTerminalText, stringifyForTerminal } from '@codex-orchestrator/core/shared';
import type { ResolvedCliIo } from '../cli-io.js';
import type { EventRenderer } from './event-renderer.js';
import { createLiveView } from './live-view.js';
import { createStyle, detectOutputMode, type Style } from './output-mode.js';
import { createPlainRenderer } from './plain-renderer.js';

/** Where a command's output goes: JSONL on stdout (`--json`), people's output on stderr, the report. */
export interface RunPresenter extends EventRenderer {
  /** Styling for the human stream. */
  readonly style: Style;
  /** Prints the final report: on stdout, or on stderr with `--json` (stdout is JSONL only). */
  report(markdown: string): void;
  /** Writes one JSON line on stdout (`--json` only; a no-op otherwise). */
  json(value: unknown): void;
}

/**
 * Creates the presenter of one run. Progress (live view or plain lines) goes to stderr, so
 * `orchestrator "<task>" > report.md` keeps just the report; with `json`, stdout carries only
 * JSON Lines (one event per line).
 */
export function createRunPresenter(options: {
  io: ResolvedCliIo;
  json: boolean;
  title: string;
  /** Several tasks at once (`dispatch`): plain lines prefixed with the task id, no live view. */
  multiTask?: boolean;
}): RunPresenter {
  const { io, json, title } = options;
  const mode = detectOutputMode(io.stderr, io.env);
  const style = createStyle(mode.color);
  const human: EventRenderer =
    mode.view === 'live' && options.multiTask !== true
      ? createLiveView({ stream: io.stderr, style, title })
      : createPlainRenderer({ stream: io.stderr, style, showTaskId: options.multiTask === true });
  const writeJson = (value: unknown) => {
    if (json) io.stdout.write(`${stringifyForTerminal(value)}\n`);
  };
  return {
    style,
    event(event: OrchestratorEvent) {
      writeJson(event);
      human.event(event);
    },
    note: (text, level) => human.note(text, level),
    pause: () => human.pause(),
    resume: () => human.resume(),
    close: () => human.close(),
    report(markdown: string) {
      // The report quotes the task, the model and codex: hostile text, cleaned at this boundary.
      const text = sanitizeTerminalText(markdown);
      (json ? io.stderr : io.stdout).write(text.endsWith('\n') ? text : `${text}\n`);
    },
    json: writeJson,
  };
}
