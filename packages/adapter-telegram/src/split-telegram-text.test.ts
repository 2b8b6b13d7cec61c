import { describe, expect, it } from 'vitest';
import { splitTelegramText } from './split-telegram-text.js';

describe('splitTelegramText', () => {
  it('keeps short text whole and drops blank text', () => {
    expect(splitTelegramText('one\ntwo')).toEqual(['one\ntwo']);
    expect(splitTelegramText(' \n\n ')).toEqual([]);
  });

  it('cuts on line boundaries, every chunk within the limit', () => {
    const lines = Array.from({ length: 300 }, (_, index) => `line ${index} ${'x'.repeat(40)}`);
    const chunks = splitTelegramText(lines.join('\n'));
    expect(chunks.length).toBeGreaterThan(1);
    for (const chunk of chunks) expect(chunk.length).toBeLessThanOrEqual(4096);
    expect(chunks.join('\n')).toBe(lines.join('\n'));
    expect(chunks.every((chunk) => chunk.startsWith('line '))).toBe(true);
  });

  it('cuts a single over-long line hard, without splitting surrogate pairs', () => {
    const line = `${'a'.repeat(4095)}😀${'b'.repeat(5000)}`;
    const chunks = splitTelegramText(`head\n${line}\ntail`);
    expect(chunks[0]).toBe('head');
    expect(chunks[1]).toBe('a'.repeat(4095));
    expect(chunks[2]?.startsWith('😀')).toBe(true);
    for (const chunk of chunks) expect(chunk.length).toBeLessThanOrEqual(4096);
    expect(chunks.join('')).toBe(`head${line}\ntail`);
  });
});
