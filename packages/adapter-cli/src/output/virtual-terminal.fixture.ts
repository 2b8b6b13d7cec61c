import stringWidth from 'string-width';

/**
 * A small terminal screen for tests: it interprets what the live view writes (printable text
 * that wraps at `columns` like a real terminal, `\n`, `\r`, cursor-up `ESC[nA`, erase-down
 * `ESC[J`, colors ignored) and shows what would be left on screen, so a test can see stale
 * lines that a wrong line count leaves behind.
 */
export function createVirtualTerminal(columns: number) {
  const screen: string[][] = [[]];
  let row = 0;
  let column = 0;
  const segmenter = new Intl.Segmenter();
  const line = (index: number): string[] => {
    while (screen.length <= index) screen.push([]);
    return screen[index] as string[];
  };
  const put = (grapheme: string) => {
    const width = stringWidth(grapheme);
    if (width === 0) return;
    if (column + width > columns) {
      row += 1;
      column = 0;
    }
    const cells = line(row);
    while (cells.length < column) cells.push(' ');
    cells[column] = grapheme;
    // A wide character covers the next cell too.
    for (let extra = 1; extra < width; extra += 1) cells[column + extra] = '';
    column += width;
  };
  const write = (chunk: string) => {
    let rest = chunk;
    while (rest.length > 0) {
      const control = /^\u001b\[(\d*)([A-Za-z])/.exec(rest);
      if (control !== null) {
        const [sequence, count, command] = control;
        if (command === 'A') row = Math.max(0, row - Number(count || '1'));
        if (command === 'J') {
          line(row).length = Math.min(line(row).length, column);
          screen.length = row + 1;
        }
        rest = rest.slice(sequence.length);
        continue;
      }
      const char = rest[0] as string;
      if (char === '\n') {
        row += 1;
        column = 0;
        line(row);
        rest = rest.slice(1);
      } else if (char === '\r') {
        column = 0;
        rest = rest.slice(1);
      } else {
        const text = /^[^\u001b\r\n]+/.exec(rest)?.[0] ?? char;
        for (const { segment } of segmenter.segment(text)) put(segment);
        rest = rest.slice(text.length);
      }
    }
    return true;
  };
  return {
    isTTY: true as const,
    columns,
    write,
    /** The screen's lines, without trailing spaces, the empty last line left out. */
    lines(): string[] {
      const lines = screen.map((cells) => cells.join('').trimEnd());
      while (lines.length > 0 && lines.at(-1) === '') lines.pop();
      return lines;
    },
  };
}
