/**
 * Wraps a `ModelProvider` so every model call of an agent is timed, reported (`model-call-start`
 * / `model-call-end` with token usage) and refused once the budget is spent. Refusing the next
 * call is how the run stops "after the current turn": the tool calls of the turn finish, then the
 * next request to the model throws `BudgetExceededError`.
 */
import type { Model, ModelProvider, ModelRequest, ModelResponse, StreamEvent } from '@openai/agents';
import type { EventStream } from '../events/event-stream.js';
import { errorMessage } from '../shared/error-message.js';
import type { TokenUsage } from '../types.js';

/** Options of `createMeteredModelProvider`. */
export interface MeteredModelProviderOptions {
  provider: ModelProvider;
  events: EventStream;
  /** Name of the agent in events (`orchestrator`, `reviewer`). */
  agent: string;
  /** Called before each model call; throws to refuse it (the budget check). */
  beforeCall?: () => void;
  taskId?: string;
}

/** The SDK's usage of one response as a `TokenUsage`. */
export function tokenUsageOf(usage: {
  inputTokens: number;
  outputTokens: number;
  totalTokens: number;
  inputTokensDetails?: unknown;
  outputTokensDetails?: unknown;
}): TokenUsage {
  const sum = (entries: Array<Record<string, number>> | Record<string, number> | undefined, key: string) =>
    (Array.isArray(entries) ? entries : entries ? [entries] : []).reduce(
      (total, entry) => total + (entry?.[key] ?? 0),
      0,
    );
  return {
    inputTokens: usage.inputTokens,
    cachedInputTokens: sum(usage.inputTokensDetails as Array<Record<string, number>>, 'cached_tokens'),
    outputTokens: usage.outputTokens,
    reasoningOutputTokens: sum(
      usage.outputTokensDetails as Array<Record<string, number>>,
      'reasoning_tokens',
    ),
    totalTokens: usage.totalTokens || usage.inputTokens + usage.outputTokens,
  };
}

/** Creates the metered provider; `modelName` given to `getModel` is reported in events. */
export function createMeteredModelProvider(options: MeteredModelProviderOptions): ModelProvider {
  const { provider, events, agent } = options;
  const taskField = options.taskId === undefined ? {} : { taskId: options.taskId };
  let turn = 0;

  const wrap = (model: Model, modelName: string): Model => {
    const start = () => {
      options.beforeCall?.();
      turn += 1;
      events.emit({ type: 'model-call-start', agent, model: modelName, turn, ...taskField });
      return { turn, started: performance.now() };
    };
    const end = (call: { turn: number; started: number }, usage: TokenUsage | undefined, error?: unknown) => {
      events.emit({
        type: 'model-call-end',
        agent,
        model: modelName,
        turn: call.turn,
        durationMs: Math.round(performance.now() - call.started),
        ...(usage ? { usage } : {}),
        ...(error === undefined ? {} : { error: errorMessage(error) }),
        ...taskField,
      });
    };
    const wrapped: Model = {
      async getResponse(request: ModelRequest): Promise<ModelResponse> {
        const call = start();
        try {
          const response = await model.getResponse(request);
          end(call, tokenUsageOf(response.usage));
          return response;
        } catch (error) {
          end(call, undefined, error);
          throw error;
        }
      },
      async *getStreamedResponse(request: ModelRequest): AsyncIterable<StreamEvent> {
        const call = start();
        let usage: TokenUsage | undefined;
        try {
          for await (const event of model.getStreamedResponse(request)) {
            if (event.type === 'response_done') {
              const raw = event.response.usage;
              usage = tokenUsageOf(raw);
            }
            yield event;
          }
          end(call, usage);
        } catch (error) {
          end(call, undefined, error);
          throw error;
        }
      },
    };
    if (model.getRetryAdvice) wrapped.getRetryAdvice = model.getRetryAdvice.bind(model);
    return wrapped;
  };

  return {
    async getModel(modelName?: string) {
      return wrap(await provider.getModel(modelName), modelName ?? 'default');
    },
  };
}
