/** Output captured under a byte cap. */
export interface CapturedOutput {
  /** The output, or its head and tail around a line `[... N bytes omitted ...]`. */
  text: string;
  truncated: boolean;
  /** Bytes the stream produced in total. */
  totalBytes: number;
  /** Bytes left out of `text` (0 when not truncated). */
  omittedBytes: number;
}

/** Collects a stream's bytes as they arrive, keeping only the head and the tail. */
export interface OutputCapture {
  write(chunk: Uint8Array | string): void;
  finish(): CapturedOutput;
}

/** The line that marks a cut. */
export function omittedMarker(omittedBytes: number): string {
  return `[... ${omittedBytes} bytes omitted ...]`;
}

const newline = 0x0a;

// A cut lands on a line break when there is one close to the cut (within a quarter of the kept
// part), otherwise on a UTF-8 character boundary. Cutting at line breaks keeps tokens whole, which
// also keeps secret redaction effective after the cut.
function headEnd(head: Buffer): number {
  const lastNewline = head.lastIndexOf(newline);
  if (lastNewline >= 0 && lastNewline >= head.length * 0.75) return lastNewline + 1;
  let end = head.length;
  let back = 0;
  while (back < 4 && end - back - 1 >= 0 && ((head[end - back - 1] ?? 0) & 0xc0) === 0x80) back += 1;
  const lead = head[end - back - 1] ?? 0;
  const sequenceLength = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 1;
  if (sequenceLength > back + 1) end -= back + 1;
  return end;
}

function tailStart(tail: Buffer): number {
  const firstNewline = tail.indexOf(newline);
  if (firstNewline >= 0 && firstNewline < tail.length * 0.25) return firstNewline + 1;
  let start = 0;
  while (start < 4 && start < tail.length && ((tail[start] ?? 0) & 0xc0) === 0x80) start += 1;
  return start;
}

/**
 * Creates a capture that keeps at most `maxBytes` bytes (half head, half tail) while streaming, so
 * a command printing gigabytes never holds more than the cap plus one chunk in memory. Pass
 * `Number.POSITIVE_INFINITY` to keep everything.
 */
export function createOutputCapture(maxBytes: number): OutputCapture {
  const headLimit = Math.floor(maxBytes / 2);
  const tailLimit = maxBytes - headLimit;
  const head: Buffer[] = [];
  let headSize = 0;
  const tail: Buffer[] = [];
  let tailSize = 0;
  let totalBytes = 0;

  return {
    write(chunk) {
      let buffer = typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.from(chunk);
      totalBytes += buffer.length;
      if (headSize < headLimit) {
        const take = Math.min(headLimit - headSize, buffer.length);
        head.push(buffer.subarray(0, take));
        headSize += take;
        buffer = buffer.subarray(take);
      }
      if (buffer.length === 0) return;
      tail.push(buffer);
      tailSize += buffer.length;
      while (tail.length > 1 && tailSize - (tail[0]?.length ?? 0) >= tailLimit) {
        tailSize -= tail.shift()?.length ?? 0;
      }
    },
    finish() {
      const headBuffer = Buffer.concat(head);
      const tailBuffer = Buffer.concat(tail);
      if (totalBytes <= maxBytes) {
        const text = Buffer.concat([headBuffer, tailBuffer]).toString('utf8');
        return { text, truncated: false, totalBytes, omittedBytes: 0 };
      }
      const keptTail = tailBuffer.subarray(Math.max(0, tailBuffer.length - tailLimit));
      const headPart = headBuffer.subarray(0, headEnd(headBuffer));
      const tailPart = keptTail.subarray(tailStart(keptTail));
      const omittedBytes = totalBytes - headPart.length - tailPart.length;
      const headText = headPart.toString('utf8');
      const separator = headText === '' || headText.endsWith('\n') ? '' : '\n';
      const text = `${headText}${separator}${omittedMarker(omittedBytes)}\n${tailPart.toString('utf8')}`;
      return { text, truncated: true, totalBytes, omittedBytes };
    },
  };
}

/** Caps an already complete string the same way (used for handler output). */
export function capText(text: string, maxBytes: number): CapturedOutput {
  const capture = createOutputCapture(maxBytes);
  capture.write(text);
  return capture.finish();
}
