import { describe, expect, it } from 'vitest';
import { sanitizeTerminalText, stringifyForTerminal, truncateText } from './terminal-text.js';

const ESC = '\u001b';
const BEL = '\u0007';

/** True when `text` holds nothing a terminal would interpret as a control. */
function isInert(text: string): boolean {
  return !/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200e\u200f\u061c\u202a-\u202e\u2066-\u2069]/.test(text);
}

describe('sanitizeTerminalText', () => {
  it('keeps printable text, line feeds, tabs and non-ASCII letters as they are', () => {
    const text = 'Straße 1\tŁódź → 東京 ✓ emoji 🎉\nsecond line';
    expect(sanitizeTerminalText(text)).toBe(text);
  });

  it('removes CSI sequences: clear screen, cursor moves, colours, private modes', () => {
    expect(sanitizeTerminalText(`a${ESC}[2J${ESC}[H${ESC}[3Jb`)).toBe('ab');
    expect(sanitizeTerminalText(`${ESC}[31;1mred${ESC}[0m ${ESC}[?1049h${ESC}[10A`)).toBe('red ');
    expect(sanitizeTerminalText('x\u009b2Jy')).toBe('xy'); // the 8-bit CSI
  });

  it('removes OSC window titles and OSC 8 links with either terminator, keeping the link text', () => {
    expect(sanitizeTerminalText(`${ESC}]0;pwned title${BEL}after`)).toBe('after');
    expect(sanitizeTerminalText(`${ESC}]2;title${ESC}\\after`)).toBe('after');
    expect(
      sanitizeTerminalText(`see ${ESC}]8;;https://evil.example/${ESC}\\docs${ESC}]8;;${ESC}\\ here`),
    ).toBe('see docs here');
    expect(sanitizeTerminalText('x\u009d0;title\u009cy')).toBe('xy');
    expect(sanitizeTerminalText(`${ESC}]52;c;Y2xpcGJvYXJk${BEL}clip`)).toBe('clip');
  });

  it('removes DCS, SOS, PM and APC strings, 7-bit and 8-bit', () => {
    expect(
      sanitizeTerminalText(`a${ESC}P1$r0m${ESC}\\b${ESC}Xsos${ESC}\\c${ESC}^pm${ESC}\\d${ESC}_apc${ESC}\\e`),
    ).toBe('abcde');
    expect(sanitizeTerminalText('a\u0090dcs\u009cb\u0098sos\u009cc\u009epm\u009cd\u009fapc\u009ce')).toBe(
      'abcde',
    );
  });

  it('drops only the introducer of an unterminated string, so the rest stays visible and clean', () => {
    expect(sanitizeTerminalText(`${ESC}]0;title without end\nrest`)).toBe('0;title without end\nrest');
    // A new ESC ends the string (as in a terminal), and starts a sequence of its own.
    expect(sanitizeTerminalText(`${ESC}]0;hidden${ESC}[2Jrest`)).toBe('rest');
    expect(sanitizeTerminalText(`${ESC}]0;aborted\u0018text`)).toBe('text');
  });

  it('removes other escapes and a lone ESC', () => {
    expect(sanitizeTerminalText(`a${ESC}cb${ESC}7c${ESC}8d${ESC}(Be${ESC}`)).toBe('abcde');
    expect(sanitizeTerminalText(`a${ESC}${ESC}b`)).toBe('a');
    expect(sanitizeTerminalText(`a${ESC}\nb`)).toBe('a\nb');
  });

  it('removes NUL, CR, backspace, bell, DEL and C1 controls; CRLF becomes LF', () => {
    expect(sanitizeTerminalText('a\u0000b\rc\bd\u0007e\u007ff\u0085g\u008dh')).toBe('abcdefgh');
    expect(sanitizeTerminalText('one\r\ntwo\r\n')).toBe('one\ntwo\n');
    expect(sanitizeTerminalText('progress 10%\rprogress 100%')).toBe('progress 10%progress 100%');
  });

  it('removes bidi overrides, isolates and marks', () => {
    expect(sanitizeTerminalText('access\u202e\u2066level\u2069\u202c\u200e\u200f\u061cok')).toBe(
      'accesslevelok',
    );
  });

  it('turns tabs into spaces on request, and collapses whitespace to one line with singleLine', () => {
    expect(sanitizeTerminalText('a\tb', { tabs: 'space' })).toBe('a b');
    expect(sanitizeTerminalText(`  first\n\tsecond${ESC}[2J \r\n third  `, { singleLine: true })).toBe(
      'first second third',
    );
  });

  it('cuts to maxLength after cleaning', () => {
    expect(sanitizeTerminalText(`${ESC}[2Jabcdef`, { maxLength: 4 })).toBe('abc…');
  });

  it('leaves nothing a terminal interprets, whatever bytes it is fed', () => {
    let seed = 7;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const alphabet = [
      ESC,
      '[',
      ']',
      'P',
      '\\',
      BEL,
      '\u009b',
      '\u009c',
      '\u009d',
      '\r',
      '\u0000',
      '\u202e',
      'a',
      '0',
      ';',
      '\n',
      '\u0018',
    ];
    for (let round = 0; round < 2000; round += 1) {
      let text = '';
      const length = Math.floor(random() * 40);
      for (let index = 0; index < length; index += 1)
        text += alphabet[Math.floor(random() * alphabet.length)];
      const clean = sanitizeTerminalText(text);
      expect(isInert(clean), JSON.stringify(text)).toBe(true);
      expect(sanitizeTerminalText(clean)).toBe(clean);
    }
  });
});

describe('truncateText', () => {
  it('marks the cut and never splits a surrogate pair', () => {
    expect(truncateText('abcdef', 6)).toBe('abcdef');
    expect(truncateText('abcdef', 4)).toBe('abc…');
    expect(truncateText('ab🎉cd', 4)).toBe('ab…');
    expect(truncateText('abc', 1)).toBe('a');
  });
});

describe('stringifyForTerminal', () => {
  it('is the same JSON value, with every control a terminal could act on escaped', () => {
    const value = { text: `a${ESC}]0;t${BEL}\u009b2J\u202e\u2028\u007fz`, n: 1 };
    const json = stringifyForTerminal(value);
    expect(JSON.parse(json)).toEqual(value);
    expect(isInert(json)).toBe(true);
    expect(json).toContain('\\u009b');
  });
});
