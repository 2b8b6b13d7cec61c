/**
 * What the scripted model server records about each request, and the text views of a Responses
 * API body that matchers and turn functions use.
 */
import type { IncomingHttpHeaders } from 'node:http';

/** The output of a tool call, as sent back by the client in `input`. */
export interface RecordedToolOutput {
  callId: string;
  /** `function_call_output` or `custom_tool_call_output`. */
  type: string;
  output: string;
}

/** One request the scripted model server received. */
export interface RecordedModelRequest {
  /** 0-based position among all requests to this server. */
  index: number;
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  /** Parsed JSON body (`undefined` when it was not JSON). */
  body: Record<string, unknown> | undefined;
  /** Size of the raw body in bytes. */
  byteSize: number;
  /** `model` of the body, when present. */
  model: string | undefined;
  /** True when the body asked for SSE (`stream: true`). */
  stream: boolean;
  /** `session-id` / `thread-id` / `x-scripted-session` header, when present. */
  sessionHeader: string | undefined;
  /** Key of the session this request was routed to (header value, or `anonymous-<n>`). */
  sessionKey: string | undefined;
  /** Name of the script that answered it. */
  scriptName: string | undefined;
  /** 0-based turn of that script that answered it. */
  turnIndex: number | undefined;
  /** Instructions and every text found in `input`, joined by newlines: what string matchers search. */
  text: string;
  /** Tool outputs found in `input`, in order. */
  toolOutputs: RecordedToolOutput[];
}

/** Header names that identify a session, in order of preference. */
export const sessionHeaderNames = ['session-id', 'thread-id', 'x-scripted-session'] as const;

function textOf(value: unknown, into: string[]): void {
  if (typeof value === 'string') {
    into.push(value);
    return;
  }
  if (Array.isArray(value)) {
    for (const part of value) textOf(part, into);
    return;
  }
  if (value !== null && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    for (const key of ['text', 'content', 'output', 'arguments', 'input']) {
      if (key in record) textOf(record[key], into);
    }
  }
}

/** Instructions plus every text in `input` (messages, tool calls and outputs). */
export function requestText(body: Record<string, unknown> | undefined): string {
  if (body === undefined) return '';
  const parts: string[] = [];
  if (typeof body.instructions === 'string') parts.push(body.instructions);
  textOf(body.input, parts);
  return parts.join('\n');
}

/** The tool outputs a client sent back in `input`. */
export function requestToolOutputs(body: Record<string, unknown> | undefined): RecordedToolOutput[] {
  if (body === undefined || !Array.isArray(body.input)) return [];
  const outputs: RecordedToolOutput[] = [];
  for (const item of body.input as unknown[]) {
    if (item === null || typeof item !== 'object') continue;
    const record = item as Record<string, unknown>;
    if (typeof record.type !== 'string' || !record.type.endsWith('_output')) continue;
    const parts: string[] = [];
    textOf(record.output, parts);
    outputs.push({ callId: String(record.call_id ?? ''), type: record.type, output: parts.join('\n') });
  }
  return outputs;
}

/** The session header of a request, when it has one. */
export function sessionHeaderOf(headers: IncomingHttpHeaders): string | undefined {
  for (const name of sessionHeaderNames) {
    const value = headers[name];
    if (typeof value === 'string' && value !== '') return value;
  }
  return undefined;
}
