/** One part of a `multipart/form-data` body. */
export interface MultipartPart {
  name: string;
  /** Present for file parts. grammY writes it unquoted (`filename=report.md`), browsers quoted. */
  fileName?: string;
  content: Buffer;
}

/**
 * Parses a `multipart/form-data` body. Written by hand because grammY's encoding (unquoted
 * `filename=`, no space after `;`) is not accepted by every parser, while the real Bot API takes it.
 */
export function parseMultipart(body: Buffer, contentType: string): MultipartPart[] {
  const boundaryMatch = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  const boundary = boundaryMatch?.[1] ?? boundaryMatch?.[2];
  if (boundary === undefined) throw new Error(`multipart body without a boundary: ${contentType}`);
  const delimiter = Buffer.from(`--${boundary}`);
  const parts: MultipartPart[] = [];
  let position = body.indexOf(delimiter);
  while (position !== -1) {
    let start = position + delimiter.length;
    if (body.subarray(start, start + 2).toString() === '--') break;
    if (body.subarray(start, start + 2).toString() === '\r\n') start += 2;
    const next = body.indexOf(delimiter, start);
    if (next === -1) break;
    // The part ends with CRLF before the next delimiter.
    const end = body.subarray(next - 2, next).toString() === '\r\n' ? next - 2 : next;
    const part = parsePart(body.subarray(start, end));
    if (part !== undefined) parts.push(part);
    position = next;
  }
  return parts;
}

function parsePart(raw: Buffer): MultipartPart | undefined {
  const headerEnd = raw.indexOf('\r\n\r\n');
  if (headerEnd === -1) return undefined;
  const headers = raw.subarray(0, headerEnd).toString('utf8');
  const content = raw.subarray(headerEnd + 4);
  const disposition = headers.split('\r\n').find((line) => /^content-disposition\s*:/i.test(line));
  if (disposition === undefined) return undefined;
  const name = /\bname="([^"]*)"/i.exec(disposition)?.[1];
  if (name === undefined) return undefined;
  const fileMatch = /\bfilename=(?:"([^"]*)"|([^;\r\n]*))/i.exec(disposition);
  const fileName = fileMatch?.[1] ?? fileMatch?.[2]?.trim();
  return fileName === undefined ? { name, content } : { name, fileName, content };
}
