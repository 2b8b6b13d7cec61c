import type { CliOutput } from '../cli-io.js';

/** How human-facing output is drawn. */
export interface OutputMode {
  /** `live`: a board of subtasks redrawn in place (a terminal); `plain`: one line per event. */
  view: 'live' | 'plain';
  /** ANSI colors on. */
  color: boolean;
}

/**
 * Picks the output mode for a stream: the live view only on an interactive terminal outside CI
 * (`CI` set, or `TERM=dumb`, gives plain lines); colors only on a terminal and never with
 * `NO_COLOR` (https://no-color.org); `FORCE_COLOR` (not `0`) turns them on anywhere.
 */
export function detectOutputMode(stream: CliOutput, env: Record<string, string | undefined>): OutputMode {
  const terminal = stream.isTTY === true && env.TERM !== 'dumb';
  const inCi = env.CI !== undefined && env.CI !== '' && env.CI !== '0' && env.CI !== 'false';
  const noColor = env.NO_COLOR !== undefined && env.NO_COLOR !== '';
  const forceColor = env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0' && env.FORCE_COLOR !== 'false';
  return {
    view: terminal && !inCi ? 'live' : 'plain',
    color: !noColor && (terminal || forceColor),
  };
}

/** ANSI styling that turns into plain text when colors are off. */
export interface Style {
  bold(text: string): string;
  dim(text: string): string;
  red(text: string): string;
  green(text: string): string;
  yellow(text: string): string;
  cyan(text: string): string;
}

/** Creates the styling functions for `color` on or off. */
export function createStyle(color: boolean): Style {
  const wrap = (open: number, close: number) => (text: string) =>
    color ? `\u001b[${open}m${text}\u001b[${close}m` : text;
  return {
    bold: wrap(1, 22),
    dim: wrap(2, 22),
    red: wrap(31, 39),
    green: wrap(32, 39),
    yellow: wrap(33, 39),
    cyan: wrap(36, 39),
  };
}
