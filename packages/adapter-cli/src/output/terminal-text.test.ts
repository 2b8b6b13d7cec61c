import { describe, expect, it } from 'vitest';
import { columnsOf, padEndColumns, truncate } from './terminal-text.js';

describe('truncate', () => {
  it('cuts by terminal columns: wide characters count two, and the result never overshoots', () => {
    const text = `codex $ echo ${'很长的命令'.repeat(40)}`;
    for (let columns = 1; columns <= 60; columns += 1)
      expect(columnsOf(truncate(text, columns))).toBeLessThanOrEqual(columns);
    expect(truncate(text, 29)).toBe('codex $ echo 很长的命令很长…');
    expect(truncate('Straße', 10)).toBe('Straße');
    expect(truncate('abcdef', 4)).toBe('abc…');
  });

  it('pads to a column count', () => {
    expect(padEndColumns('中文', 6)).toBe('中文  ');
    expect(columnsOf(padEndColumns('task-中文', 20))).toBe(20);
  });
});
