import { describe, expect, it } from 'vitest';
import type { ArgWord } from './arg-word.js';
import { scanArguments } from './option-scan.js';

const words = (...values: string[]): ArgWord[] =>
  values.map((value) => ({ value, text: value, pos: 0, end: 0 }));

describe('scanArguments', () => {
  it('separates options, their values and positionals', () => {
    const scanned = scanArguments(words('-n', '5', '--output=x', '-ofile', 'a', '--', '-b'), {
      values: { '-n': 'data', '--output': 'write', '-o': 'write' },
    });
    expect(scanned.map((item) => [item.role, item.word.value, item.kind, item.inlineValue])).toEqual([
      ['option', '-n', 'data', undefined],
      ['value', '5', 'data', undefined],
      ['option', '--output=x', 'write', 'x'],
      ['option', '-ofile', 'write', 'file'],
      ['positional', 'a', 'path', undefined],
      ['option', '--', 'data', undefined],
      ['positional', '-b', 'path', undefined],
    ]);
    expect(scanned.at(-1)?.optionCapable).toBe(false);
  });

  it('stops reading options at the first positional when options come first', () => {
    const scanned = scanArguments(words('-x', 'cmd', '-y'), { optionsFirst: true });
    expect(scanned.map((item) => item.role)).toEqual(['option', 'positional', 'positional']);
  });

  it('reads go-style single-dash long options', () => {
    const scanned = scanArguments(words('-coverprofile=/tmp/c.out', '-run', 'TestX'), {
      values: { '-coverprofile': 'write', '-run': 'data' },
      singleDashLong: true,
    });
    expect(scanned[0]).toMatchObject({ option: '-coverprofile', inlineValue: '/tmp/c.out', kind: 'write' });
    expect(scanned[2]).toMatchObject({ role: 'value', kind: 'data' });
  });
});
