import { describe, expect, it } from 'vitest';
import type { ArgWord } from './arg-word.js';
import { compileOptionSpec, scanArguments } from './option-scan.js';

const words = (...values: string[]): ArgWord[] =>
  values.map((value) => ({ value, text: value, pos: 0, end: 0 }));

describe('scanArguments', () => {
  it('separates options, their values and positionals', () => {
    const scanned = scanArguments(
      words('-n', '5', '--output=x', '-ofile', 'a', '--', '-b'),
      compileOptionSpec({ values: { '-n': 'data', '--output': 'write', '-o': 'write' } }),
    );
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

  it('resolves unique long-option prefixes only when the spec allows them', () => {
    const values = { '--output': 'write', '--outline': 'data', '--max-count': 'data' } as const;
    const prefixed = compileOptionSpec({ values, longPrefixes: true });
    expect(scanArguments(words('--max', '3'), prefixed).map((item) => item.role)).toEqual([
      'option',
      'value',
    ]);
    // `--out` is ambiguous (output, outline): not resolved, so it takes no value.
    expect(scanArguments(words('--out', 'x'), prefixed).map((item) => item.role)).toEqual([
      'option',
      'positional',
    ]);
    const exact = compileOptionSpec({ values });
    expect(scanArguments(words('--max', '3'), exact).map((item) => item.role)).toEqual([
      'option',
      'positional',
    ]);
  });

  it('stops reading options at the first positional when options come first', () => {
    const scanned = scanArguments(words('-x', 'cmd', '-y'), compileOptionSpec({ optionsFirst: true }));
    expect(scanned.map((item) => item.role)).toEqual(['option', 'positional', 'positional']);
  });

  it('reads go-style single-dash long options', () => {
    const scanned = scanArguments(
      words('-coverprofile=/tmp/c.out', '-run', 'TestX'),
      compileOptionSpec({ values: { '-coverprofile': 'write', '-run': 'data' }, singleDashLong: true }),
    );
    expect(scanned[0]).toMatchObject({ option: '-coverprofile', inlineValue: '/tmp/c.out', kind: 'write' });
    expect(scanned[2]).toMatchObject({ role: 'value', kind: 'data' });
  });
});
