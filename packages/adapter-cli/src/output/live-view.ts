import type { OrchestratorEvent } from '@codex-orchestrator/core';
import { sanitizeTerminalText } from '@codex-orchestrator/core/shared';
import type { CliOutput } from '../cli-io.js';
import { describeEvent } from './describe-event.js';
import type { EventRenderer } from './event-renderer.js';
import type { Style } from './output-mode.js';
import { clockOf, paintLevel } from './plain-renderer.js';
import { createSubtaskBoard, type SubtaskPhase, type SubtaskRow } from './subtask-board.js';
import {
  columnsOf,
  formatDuration,
  formatTokens,
  padEndColumns,
  toTerminalLine,
  truncate,
} from './terminal-text.js';

/** Options of {@link createLiveView}. */
export interface LiveViewOptions {
  stream: CliOutput;
  style: Style;
  /** Title on the header line (e.g. the task, cut to fit). */
  title: string;
  /** Minimum time between two redraws; events in between are batched. Default 100 ms. */
  throttleMs?: number;
  /** Clock, for tests. */
  now?: () => number;
}

const cursorUp = (lines: number) => `\u001b[${lines}A`;
const eraseDown = '\u001b[J';

/**
 * The terminal view: notable events scroll above a board of subtasks (state, worktree, last
 * codex action with its elapsed time while it runs, tokens) that is redrawn in place, at most once
 * per `throttleMs`, plus once a second for the elapsed times. Lines are cut to the terminal width
 * in columns (wide characters count two) so the board never wraps, which would break the
 * in-place redraw.
 */
export function createLiveView(options: LiveViewOptions): EventRenderer {
  const { stream, style, title } = options;
  const now = options.now ?? Date.now;
  const throttleMs = options.throttleMs ?? 100;
  const board = createSubtaskBoard();
  const startedAt = now();
  let drawnLines = 0;
  let lastDrawAt = 0;
  let pending: NodeJS.Timeout | undefined;
  let paused = false;
  let closed = false;
  // A pseudo-terminal may report 0 columns; assume a usual width then.
  const width = () =>
    Math.max(40, (stream.columns !== undefined && stream.columns > 0 ? stream.columns : 100) - 1);

  const erase = () => {
    if (drawnLines > 0) stream.write(`${cursorUp(drawnLines)}\r${eraseDown}`);
    drawnLines = 0;
  };
  const render = (): string[] => {
    const elapsed = formatDuration(now() - startedAt);
    const cost = board.costUsd();
    const facts = [elapsed, `${formatTokens(board.totalTokens())} tokens`];
    if (cost !== undefined && cost > 0) facts.push(`~$${cost.toFixed(2)}`);
    facts.push(board.status());
    // Widths in terminal columns (a CJK title takes two per character): a line wider than the
    // terminal wraps, and the in-place redraw would then leave its extra line behind.
    const tail = truncate(` · ${facts.join(' · ')}`, width() - 13 - 10);
    const header = `${style.bold('orchestrator')} ${toTerminalLine(title, Math.max(10, width() - 13 - columnsOf(tail)))}${style.dim(tail)}`;
    const rows = board.rows();
    if (rows.length === 0) return [header, style.dim('  planning…')];
    return [header, ...rows.map((row) => renderRow(row))];
  };
  const renderRow = (row: SubtaskRow): string => {
    const phase = phaseLabel(style, row.phase);
    const fixedWidth = 2 + 2 + 20 + 1 + 9 + 1 + 6 + 2;
    const since = row.runningSince === undefined ? Number.NaN : Date.parse(row.runningSince);
    // A command running for a while says for how long (a silent `npm ci` looks like a hang).
    const running = now() - since >= 1000 ? ` · ${formatDuration(now() - since)}` : '';
    // Row texts come from events (a plan step names its worktree): cleaned at this boundary.
    const action =
      toTerminalLine(row.lastAction, Math.max(10, width() - fixedWidth - running.length)) + running;
    return `  ${phase.icon} ${padEndColumns(toTerminalLine(row.worktree, 20), 20)} ${phase.text} ${formatTokens(row.tokens).padStart(6)}  ${style.dim(action)}`;
  };
  const draw = () => {
    if (paused || closed) return;
    if (pending !== undefined) clearTimeout(pending);
    pending = undefined;
    lastDrawAt = now();
    const lines = render();
    erase();
    stream.write(`${lines.join('\n')}\n`);
    drawnLines = lines.length;
  };
  const schedule = () => {
    if (paused || closed || pending !== undefined) return;
    const wait = Math.max(0, throttleMs - (now() - lastDrawAt));
    pending = setTimeout(draw, wait);
  };
  const ticker = setInterval(draw, 1000);
  ticker.unref();

  const log = (text: string) => {
    if (closed || paused) {
      stream.write(`${text}\n`);
      return;
    }
    erase();
    stream.write(`${text}\n`);
    schedule();
  };

  return {
    event(event: OrchestratorEvent) {
      const changed = board.apply(event);
      const line = describeEvent(event);
      if (line?.notable) {
        log(
          `${style.dim(clockOf(event.time))} ${style.cyan(line.where.padEnd(16))} ${paintLevel(style, line.level, line.text)}`,
        );
      } else if (changed) {
        schedule();
      }
    },
    note(text, level = 'info') {
      log(paintLevel(style, level, sanitizeTerminalText(text)));
    },
    pause() {
      if (pending !== undefined) clearTimeout(pending);
      pending = undefined;
      erase();
      paused = true;
    },
    resume() {
      paused = false;
      draw();
    },
    close() {
      if (closed) return;
      paused = false;
      draw();
      closed = true;
      clearInterval(ticker);
      if (pending !== undefined) clearTimeout(pending);
    },
  };
}

function phaseLabel(style: Style, phase: SubtaskPhase): { icon: string; text: string } {
  const text = phase.padEnd(9);
  switch (phase) {
    case 'merged':
    case 'done':
      return { icon: style.green('✔'), text: style.green(text) };
    case 'failed':
    case 'conflict':
      return { icon: style.red('✖'), text: style.red(text) };
    case 'cancelled':
      return { icon: style.yellow('■'), text: style.yellow(text) };
    case 'codex':
    case 'testing':
    case 'reviewing':
    case 'merging':
      return { icon: style.yellow('●'), text: style.yellow(text) };
    default:
      return { icon: style.dim('○'), text: style.dim(text) };
  }
}
