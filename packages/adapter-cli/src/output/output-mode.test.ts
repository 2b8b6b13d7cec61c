import { describe, expect, it } from 'vitest';
import { createStyle, detectOutputMode } from './output-mode.js';

describe('detectOutputMode', () => {
  const tty = { write: () => true, isTTY: true };
  const pipe = { write: () => true, isTTY: false };

  it('draws the live view with colors on a terminal', () => {
    expect(detectOutputMode(tty, {})).toEqual({ view: 'live', color: true });
  });

  it('uses plain lines in CI, on a dumb terminal, and without a terminal', () => {
    expect(detectOutputMode(tty, { CI: 'true' }).view).toBe('plain');
    expect(detectOutputMode(tty, { CI: '0' }).view).toBe('live');
    expect(detectOutputMode(tty, { TERM: 'dumb' })).toEqual({ view: 'plain', color: false });
    expect(detectOutputMode(pipe, {})).toEqual({ view: 'plain', color: false });
  });

  it('respects NO_COLOR, and FORCE_COLOR without a terminal', () => {
    expect(detectOutputMode(tty, { NO_COLOR: '1' })).toEqual({ view: 'live', color: false });
    expect(detectOutputMode(tty, { NO_COLOR: '' }).color).toBe(true);
    expect(detectOutputMode(pipe, { FORCE_COLOR: '1' }).color).toBe(true);
  });

  it('styles only when colors are on', () => {
    expect(createStyle(true).red('x')).toBe('\u001b[31mx\u001b[39m');
    expect(createStyle(false).red('x')).toBe('x');
  });
});
