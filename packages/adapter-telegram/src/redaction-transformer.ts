import { InputFile, type Transformer } from 'grammy';

const maxDocumentBytes = 50 * 1024 * 1024;

/**
 * A grammY API transformer that redacts every string of every outgoing call (texts, captions,
 * button labels, callback answers) and the content of every uploaded file, so no code path can
 * send a secret: install it last (`bot.api.config.use(...)`) so it runs before anything else.
 * Files are read into memory to be redacted; files over 50 MB are refused.
 */
export function createRedactionTransformer(redact: (text: string) => string): Transformer {
  return async (previous, method, payload, signal) => {
    if (method === 'getUpdates' || payload === undefined || payload === null) {
      return previous(method, payload, signal);
    }
    const redacted = await redactPayload(payload, redact);
    return previous(method, redacted as typeof payload, signal);
  };
}

async function redactPayload(value: unknown, redact: (text: string) => string): Promise<unknown> {
  if (typeof value === 'string') return redact(value);
  if (value instanceof InputFile) return redactFile(value, redact);
  if (Array.isArray(value)) return Promise.all(value.map((item) => redactPayload(item, redact)));
  if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    const entries = await Promise.all(
      Object.entries(value).map(async ([key, item]) => [key, await redactPayload(item, redact)] as const),
    );
    return Object.fromEntries(entries);
  }
  return value;
}

async function redactFile(file: InputFile, redact: (text: string) => string): Promise<InputFile> {
  // `toRaw` is grammY's own reader: bytes as they are, or a stream for paths and iterables.
  const raw = await (file as unknown as { toRaw(): Promise<Uint8Array | AsyncIterable<Uint8Array>> }).toRaw();
  const chunks: Uint8Array[] = [];
  let size = 0;
  if (raw instanceof Uint8Array) chunks.push(raw);
  else {
    for await (const chunk of raw) {
      size += chunk.length;
      if (size > maxDocumentBytes)
        throw new Error(`refusing to send ${file.filename ?? 'a file'}: over 50 MB`);
      chunks.push(chunk);
    }
  }
  const bytes = Buffer.concat(chunks);
  return new InputFile(redactBytes(bytes, redact), file.filename);
}

/** Redacts text in a buffer: as UTF-8 when it is valid UTF-8, else byte for byte as latin1. */
function redactBytes(bytes: Buffer, redact: (text: string) => string): Buffer {
  let text: string | undefined;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    text = undefined;
  }
  if (text !== undefined) return Buffer.from(redact(text), 'utf8');
  return Buffer.from(redact(bytes.toString('latin1')), 'latin1');
}
