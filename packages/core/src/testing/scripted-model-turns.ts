/**
 * The vocabulary of a scripted model turn: what the scripted model server answers to one
 * `POST /v1/responses` request. Build turns with the helpers below; they are plain data, so a
 * script can also be written as object literals.
 */
import type { RecordedModelRequest } from './scripted-model-request.js';

/** An assistant message (`type: "message"`, one `output_text` part). */
export interface ScriptedMessageItem {
  type: 'message';
  text: string;
}

/** A function tool call. Codex runs shell commands through the `exec_command` function. */
export interface ScriptedFunctionCallItem {
  type: 'function_call';
  name: string;
  /** JSON text of the arguments, sent as is. */
  arguments: string;
  /** Generated (`call_<n>`) when omitted. */
  callId?: string;
}

/** A freeform (custom) tool call; codex applies patches through `apply_patch` this way. */
export interface ScriptedCustomToolCallItem {
  type: 'custom_tool_call';
  name: string;
  input: string;
  callId?: string;
}

/** One output item of a model turn. */
export type ScriptedOutputItem = ScriptedMessageItem | ScriptedFunctionCallItem | ScriptedCustomToolCallItem;

/** Token counts reported in `usage` of the response. Missing fields take the server defaults. */
export interface ScriptedUsage {
  inputTokens?: number;
  cachedInputTokens?: number;
  outputTokens?: number;
  reasoningOutputTokens?: number;
}

/** A successful model turn. */
export interface ScriptedReply {
  type: 'reply';
  output: ScriptedOutputItem[];
  usage?: ScriptedUsage;
  /** Milliseconds to wait before the output is sent (streaming: after `response.created`). */
  delayMs?: number;
}

/** A failed model turn. */
export interface ScriptedFailure {
  type: 'failure';
  /**
   * `status`: answer with an HTTP error status and an OpenAI-style error body (and `retry-after`).
   * `hang`: never send headers (until the client gives up or the server closes).
   * `stall`: send headers and the start of the body (streaming: `response.created`), then nothing.
   * `drop`: send headers and part of the body, then destroy the connection.
   * `truncate`: send headers and half of the body, then end the response cleanly.
   * `malformed`: streaming: an SSE event whose data is not JSON; otherwise a body that is not JSON.
   */
  failure: 'status' | 'hang' | 'stall' | 'drop' | 'truncate' | 'malformed';
  status?: number;
  message?: string;
  /** `status` only: the `retry-after` header, in seconds (a number) or as sent (a string). */
  retryAfter?: number | string;
  delayMs?: number;
}

/** A turn computed from the request that receives it (e.g. to echo a tool output). */
export type ScriptedTurnFunction = (
  request: RecordedModelRequest,
) =>
  | ScriptedReply
  | ScriptedFailure
  | ScriptedOutputItem[]
  | Promise<ScriptedReply | ScriptedFailure | ScriptedOutputItem[]>;

/**
 * One scripted model turn: a reply, a failure, a bare list of output items (a reply with default
 * usage), or a function of the request.
 */
export type ScriptedTurn = ScriptedReply | ScriptedFailure | ScriptedOutputItem[] | ScriptedTurnFunction;

/** An assistant message. */
export function assistantMessage(text: string): ScriptedMessageItem {
  return { type: 'message', text };
}

/** A function call; `args` objects are serialised to JSON. */
export function functionCall(
  name: string,
  args: Record<string, unknown> | string = {},
  options: { callId?: string } = {},
): ScriptedFunctionCallItem {
  const item: ScriptedFunctionCallItem = {
    type: 'function_call',
    name,
    arguments: typeof args === 'string' ? args : JSON.stringify(args),
  };
  if (options.callId !== undefined) item.callId = options.callId;
  return item;
}

/**
 * A codex shell command (`exec_command`). `login: false` (the default here) runs `bash -c`,
 * about a second faster than a login shell.
 */
export function execCommand(
  command: string,
  options: { workdir?: string; login?: boolean; callId?: string } = {},
): ScriptedFunctionCallItem {
  const args: Record<string, unknown> = { cmd: command, login: options.login ?? false };
  if (options.workdir !== undefined) args.workdir = options.workdir;
  return functionCall('exec_command', args, options.callId === undefined ? {} : { callId: options.callId });
}

/** A codex patch (`apply_patch` freeform tool), e.g. `*** Begin Patch\n*** Add File: a.txt\n+hi\n*** End Patch\n`. */
export function applyPatch(patch: string, options: { callId?: string } = {}): ScriptedCustomToolCallItem {
  const item: ScriptedCustomToolCallItem = { type: 'custom_tool_call', name: 'apply_patch', input: patch };
  if (options.callId !== undefined) item.callId = options.callId;
  return item;
}

/** A patch that adds one file with the given text (lines are prefixed with `+`). */
export function addFilePatch(path: string, text: string): string {
  const lines = text.endsWith('\n') ? text.slice(0, -1).split('\n') : text.split('\n');
  return `*** Begin Patch\n*** Add File: ${path}\n${lines.map((line) => `+${line}`).join('\n')}\n*** End Patch\n`;
}

/** A successful turn with explicit usage and/or delay. */
export function reply(
  output: ScriptedOutputItem | ScriptedOutputItem[],
  options: { usage?: ScriptedUsage; delayMs?: number } = {},
): ScriptedReply {
  return { type: 'reply', output: Array.isArray(output) ? output : [output], ...options };
}

/** A turn answered with an HTTP error status (default 500), optionally with `retry-after`. */
export function failWithStatus(
  status = 500,
  message?: string,
  options: { delayMs?: number; retryAfter?: number | string } = {},
): ScriptedFailure {
  return {
    type: 'failure',
    failure: 'status',
    status,
    message: message ?? `scripted failure: HTTP ${status}`,
    ...options,
  };
}

/** A turn that never sends response headers. */
export function hangWithoutHeaders(): ScriptedFailure {
  return { type: 'failure', failure: 'hang' };
}

/** A turn whose connection is destroyed after the headers and the first event. */
export function dropMidStream(options: { delayMs?: number } = {}): ScriptedFailure {
  return { type: 'failure', failure: 'drop', ...options };
}

/** A turn that sends headers and the start of the body, then stalls (until the client gives up). */
export function stallMidStream(options: { delayMs?: number } = {}): ScriptedFailure {
  return { type: 'failure', failure: 'stall', ...options };
}

/** A turn whose body is cut in half, the response then ended cleanly (no error on the socket). */
export function truncateBody(options: { delayMs?: number } = {}): ScriptedFailure {
  return { type: 'failure', failure: 'truncate', ...options };
}

/** A turn answered with a malformed SSE event (streaming) or a body that is not JSON. */
export function malformedEvent(options: { delayMs?: number } = {}): ScriptedFailure {
  return { type: 'failure', failure: 'malformed', ...options };
}
