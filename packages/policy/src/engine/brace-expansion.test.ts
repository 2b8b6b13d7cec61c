import { describe, expect, it } from 'vitest';
import { expandBraceText } from './brace-expansion.js';

describe('expandBraceText', () => {
  it.each([
    ['{a,b}', ['a', 'b']],
    ['{a,{b,c}}', ['a', 'b', 'c']],
    ['{1..3}', ['1', '2', '3']],
    ['{3..1}', ['3', '2', '1']],
    ['{a..c}', ['a', 'b', 'c']],
    ['{0..10..5}', ['0', '5', '10']],
    ['{,x}', ['', 'x']],
    ['{a}', ['{a}']],
    ['{}', ['{}']],
  ])('%s -> %j', (text, expected) => {
    expect(expandBraceText(text, 100)).toEqual(expected);
  });

  it('gives up past the limit instead of producing a huge list', () => {
    expect(expandBraceText('{1..100000}', 256)).toBeUndefined();
    expect(expandBraceText('{a,b}{c,d}{e,f}', 4)).toBeUndefined();
  });
});
