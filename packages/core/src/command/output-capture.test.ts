import { describe, expect, it } from 'vitest';
import { capText, createOutputCapture } from './output-capture.js';

describe('createOutputCapture', () => {
  it('keeps output under the cap unchanged', () => {
    expect(capText('hello\nworld\n', 100)).toEqual({
      text: 'hello\nworld\n',
      truncated: false,
      totalBytes: 12,
      omittedBytes: 0,
    });
  });

  it('keeps head and tail of streamed chunks, cut at line breaks, with the omitted byte count', () => {
    const capture = createOutputCapture(40);
    const lines = Array.from({ length: 1000 }, (_, index) => `line ${index}\n`);
    for (const line of lines) capture.write(line);
    const result = capture.finish();
    const total = lines.join('').length;
    expect(result.truncated).toBe(true);
    expect(result.totalBytes).toBe(total);
    expect(result.text).toBe(
      `line 0\nline 1\nline 2\n[... ${result.omittedBytes} bytes omitted ...]\nline 998\nline 999\n`,
    );
    // The head is the first 20 bytes ("line 2" has no line break within them); the tail starts after
    // the first line break of the last 20 bytes.
    expect(result.omittedBytes).toBe(total - 'line 0\nline 1\nline 2'.length - 'line 998\nline 999\n'.length);
  });

  it('never splits a multi-byte character', () => {
    const result = capText('é'.repeat(1000), 101);
    expect(result.truncated).toBe(true);
    expect(result.text).not.toContain('\uFFFD');
    expect(result.text).toMatch(/^é+\n\[\.\.\. \d+ bytes omitted \.\.\.\]\né+$/);
  });

  it('keeps everything with an infinite cap', () => {
    const big = 'x'.repeat(100_000);
    expect(capText(big, Number.POSITIVE_INFINITY).text).toBe(big);
  });
});
