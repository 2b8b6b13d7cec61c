/**
 * Renders a scripted turn as an OpenAI Responses API response: the JSON object of a
 * non-streaming call, and the SSE event sequence of a streaming one.
 */
import type { ScriptedOutputItem, ScriptedUsage } from './scripted-model-turns.js';

/** Token counts used when a turn does not set them. */
export const defaultScriptedUsage: Required<ScriptedUsage> = {
  inputTokens: 100,
  cachedInputTokens: 0,
  outputTokens: 10,
  reasoningOutputTokens: 0,
};

type ApiItem = Record<string, unknown>;

/** Renders one output item with ids from `nextId`. */
export function renderOutputItem(item: ScriptedOutputItem, nextId: (prefix: string) => string): ApiItem {
  switch (item.type) {
    case 'message':
      return {
        type: 'message',
        id: nextId('msg'),
        status: 'completed',
        role: 'assistant',
        content: [{ type: 'output_text', text: item.text, annotations: [], logprobs: [] }],
      };
    case 'function_call':
      return {
        type: 'function_call',
        id: nextId('fc'),
        call_id: item.callId ?? nextId('call'),
        name: item.name,
        arguments: item.arguments,
        status: 'completed',
      };
    case 'custom_tool_call':
      return {
        type: 'custom_tool_call',
        id: nextId('ctc'),
        call_id: item.callId ?? nextId('call'),
        name: item.name,
        input: item.input,
        status: 'completed',
      };
  }
}

/** The `usage` object of a response. */
export function renderUsage(usage: ScriptedUsage | undefined, defaults = defaultScriptedUsage): ApiItem {
  const merged = { ...defaults, ...usage };
  return {
    input_tokens: merged.inputTokens,
    input_tokens_details: { cached_tokens: merged.cachedInputTokens },
    output_tokens: merged.outputTokens,
    output_tokens_details: { reasoning_tokens: merged.reasoningOutputTokens },
    total_tokens: merged.inputTokens + merged.outputTokens,
  };
}

/** A complete response object (`status: "completed"`). */
export function renderResponse(options: {
  id: string;
  model: string;
  output: ApiItem[];
  usage: ApiItem | null;
  status?: 'in_progress' | 'completed';
}): ApiItem {
  return {
    id: options.id,
    object: 'response',
    created_at: Math.floor(Date.now() / 1000),
    status: options.status ?? 'completed',
    error: null,
    incomplete_details: null,
    instructions: null,
    model: options.model,
    output: options.output,
    parallel_tool_calls: true,
    tool_choice: 'auto',
    tools: [],
    usage: options.usage,
  };
}

/** The events between `response.output_item.added` and `.done` that carry an item's content. */
function contentEvents(item: ApiItem, outputIndex: number): ApiItem[] {
  const itemId = item.id;
  if (item.type === 'message') {
    const text = ((item.content as ApiItem[])[0]?.text as string | undefined) ?? '';
    const part = { type: 'output_text', text: '', annotations: [] };
    return [
      {
        type: 'response.content_part.added',
        item_id: itemId,
        output_index: outputIndex,
        content_index: 0,
        part,
      },
      {
        type: 'response.output_text.delta',
        item_id: itemId,
        output_index: outputIndex,
        content_index: 0,
        delta: text,
        logprobs: [],
      },
      {
        type: 'response.output_text.done',
        item_id: itemId,
        output_index: outputIndex,
        content_index: 0,
        text,
        logprobs: [],
      },
      {
        type: 'response.content_part.done',
        item_id: itemId,
        output_index: outputIndex,
        content_index: 0,
        part: { ...part, text },
      },
    ];
  }
  if (item.type === 'function_call') {
    return [
      {
        type: 'response.function_call_arguments.delta',
        item_id: itemId,
        output_index: outputIndex,
        delta: item.arguments,
      },
      {
        type: 'response.function_call_arguments.done',
        item_id: itemId,
        output_index: outputIndex,
        arguments: item.arguments,
      },
    ];
  }
  return [
    {
      type: 'response.custom_tool_call_input.delta',
      item_id: itemId,
      output_index: outputIndex,
      delta: item.input,
    },
    {
      type: 'response.custom_tool_call_input.done',
      item_id: itemId,
      output_index: outputIndex,
      input: item.input,
    },
  ];
}

/** The item as announced by `response.output_item.added` (content not yet streamed). */
function pendingItem(item: ApiItem): ApiItem {
  if (item.type === 'message') return { ...item, status: 'in_progress', content: [] };
  if (item.type === 'function_call') return { ...item, status: 'in_progress', arguments: '' };
  return { ...item, status: 'in_progress', input: '' };
}

/** The SSE events of the opening of a streamed response. */
export function openingEvents(response: ApiItem): ApiItem[] {
  const pending = { ...response, status: 'in_progress', output: [], usage: null };
  return [
    { type: 'response.created', response: pending },
    { type: 'response.in_progress', response: pending },
  ];
}

/** The SSE events that stream the output items and complete the response. */
export function outputEvents(response: ApiItem): ApiItem[] {
  const events: ApiItem[] = [];
  (response.output as ApiItem[]).forEach((item, outputIndex) => {
    events.push({ type: 'response.output_item.added', output_index: outputIndex, item: pendingItem(item) });
    events.push(...contentEvents(item, outputIndex));
    events.push({ type: 'response.output_item.done', output_index: outputIndex, item });
  });
  events.push({ type: 'response.completed', response });
  return events;
}

/** One SSE frame (`event:` + `data:`), with the sequence number set on the payload. */
export function sseFrame(event: ApiItem, sequenceNumber: number): string {
  return `event: ${String(event.type)}\ndata: ${JSON.stringify({ ...event, sequence_number: sequenceNumber })}\n\n`;
}
