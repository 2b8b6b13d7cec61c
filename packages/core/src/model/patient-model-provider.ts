/**
 * A model provider that is patient and clear: each request attempt has a deadline, a streamed
 * response an idle timeout; dropped connections, bodies cut short or malformed (JSON or SSE),
 * timeouts and HTTP 408/409/429/5xx are retried with backoff and jitter (the shared
 * `retryWithBackoff`), honouring `retry-after` up to a cap; and a request that fails for good
 * throws a `ModelRequestError` whose one-line message names the endpoint.
 *
 * The Agents SDK has runner-managed retries too (`modelSettings.retry`), but no stream idle
 * timeout, no cap on `retry-after` and no messages naming the endpoint; wrapping the `Model`
 * keeps all of it in one place for any provider. Give the wrapped client `maxRetries: 0` so
 * retries are not multiplied.
 */
import { EventEmitter, on } from 'node:events';
import type { Model, ModelProvider, ModelRequest, ModelResponse, StreamEvent } from '@openai/agents';
import { retryWithBackoff } from '../shared/retry-with-backoff.js';
import {
  classifyModelFailure,
  ModelAttemptTimeout,
  type ModelFailure,
  ModelStreamCutShort,
} from './model-failure.js';
import { ModelRequestError } from './model-request-error.js';
import type { ResolvedModelRequestOptions } from './model-request-options.js';

/** A retry about to happen, for events and logs. */
export interface ModelRetryNotice {
  /** Model name asked of the provider. */
  model: string;
  /** 1-based number of the attempt that failed. */
  attempt: number;
  /** Pause before the next attempt. */
  delayMs: number;
  /** One line: what went wrong, naming the endpoint. */
  reason: string;
}

/** Options of `createPatientModelProvider`. */
export interface PatientModelProviderOptions {
  provider: ModelProvider;
  /** Named in every message: the base URL, or a description of a custom provider. */
  endpoint: string;
  requests: ResolvedModelRequestOptions;
  /** Told before each pause between attempts. */
  onRetry?: (notice: ModelRetryNotice) => void;
}

/** Deadline and idle timer of one attempt, and the signal that ends it. */
function attemptScope(parent: AbortSignal | undefined, timeoutMs: number) {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const arm = (kind: 'deadline' | 'idle', milliseconds: number) => {
    clearTimeout(timer);
    timer = setTimeout(() => controller.abort(new ModelAttemptTimeout(kind, milliseconds)), milliseconds);
  };
  const onParentAbort = () => controller.abort(parent?.reason);
  if (parent?.aborted) onParentAbort();
  else parent?.addEventListener('abort', onParentAbort, { once: true });
  arm('deadline', timeoutMs);
  return {
    signal: controller.signal,
    arm,
    /** Settles like `promise`, or rejects as soon as the attempt is aborted (a model may ignore its signal). */
    race<T>(promise: Promise<T>): Promise<T> {
      return new Promise<T>((resolve, reject) => {
        const onAbort = () => reject(controller.signal.reason);
        if (controller.signal.aborted) onAbort();
        else controller.signal.addEventListener('abort', onAbort, { once: true });
        promise.then(
          (value) => {
            controller.signal.removeEventListener('abort', onAbort);
            resolve(value);
          },
          (error: unknown) => {
            controller.signal.removeEventListener('abort', onAbort);
            reject(error);
          },
        );
      });
    },
    /** Our timer's error when it fired (the underlying error is then only its echo). */
    timedOut: (): ModelAttemptTimeout | undefined =>
      controller.signal.reason instanceof ModelAttemptTimeout ? controller.signal.reason : undefined,
    dispose() {
      clearTimeout(timer);
      parent?.removeEventListener('abort', onParentAbort);
    },
  };
}

/**
 * Wraps `options.provider` so that every model it returns is patient and clear (see the module
 * comment).
 *
 * @example
 * const provider = createPatientModelProvider({
 *   provider: new OpenAIProvider({ openAIClient: new OpenAI({ baseURL, apiKey, maxRetries: 0 }) }),
 *   endpoint: baseURL,
 *   requests: resolveModelRequestOptions({ retries: 2 }),
 * });
 */
export function createPatientModelProvider(options: PatientModelProviderOptions): ModelProvider {
  const { endpoint, requests } = options;

  const finalError = (error: unknown, failure: ModelFailure, attempts: number): unknown => {
    if (failure.code === undefined) return error;
    const tries = attempts === 1 ? '' : ` after ${attempts} attempts`;
    const fix =
      failure.retryable && attempts > requests.retries
        ? ' Check that the endpoint is up and answers complete responses, or raise modelRequests.retries or its timeouts.'
        : failure.status === 401 || failure.status === 403
          ? ' Check the API key.'
          : '';
    return new ModelRequestError(`The model endpoint ${endpoint} failed${tries}: ${failure.detail}.${fix}`, {
      code: failure.code,
      endpoint,
      attempts,
      ...(failure.status === undefined ? {} : { status: failure.status }),
      cause: error,
    });
  };

  /** The retry loop shared by both call styles; `attempt` runs one attempt under `scope`. */
  const withRetries = async <T>(
    model: string,
    request: ModelRequest,
    attempt: (scope: ReturnType<typeof attemptScope>) => Promise<T>,
  ): Promise<T> => {
    let attempts = 0;
    let lastFailure: ModelFailure | undefined;
    try {
      return await retryWithBackoff(
        async () => {
          attempts += 1;
          const scope = attemptScope(request.signal, requests.timeoutMs);
          try {
            return await attempt(scope);
          } catch (error) {
            throw scope.timedOut() ?? error;
          } finally {
            scope.dispose();
          }
        },
        {
          retries: requests.retries,
          initialDelayMs: requests.initialRetryDelayMs,
          maxDelayMs: requests.maxRetryDelayMs,
          ...(request.signal ? { signal: request.signal } : {}),
          shouldRetry: (error) => {
            if (request.signal?.aborted) return false;
            lastFailure = classifyModelFailure(error);
            if (!lastFailure.retryable) return false;
            const asked = lastFailure.retryAfterMs;
            if (asked === undefined) return true;
            if (asked > requests.maxRetryAfterMs) {
              throw new ModelRequestError(
                `The model endpoint ${endpoint} answered ${lastFailure.detail} and asked to retry after ` +
                  `${Math.ceil(asked / 1000)} s, longer than modelRequests.maxRetryAfterMs (${Math.ceil(requests.maxRetryAfterMs / 1000)} s): ` +
                  'giving up now instead of waiting; raise maxRetryAfterMs to wait that long.',
                {
                  code: 'model-retry-after-too-long',
                  endpoint,
                  attempts,
                  ...(lastFailure.status === undefined ? {} : { status: lastFailure.status }),
                  cause: error,
                },
              );
            }
            return { retry: true, delayMs: asked };
          },
          onRetry: ({ attempt: failed, delayMs }) =>
            options.onRetry?.({
              model,
              attempt: failed,
              delayMs,
              reason: `The model endpoint ${endpoint} failed (attempt ${failed} of ${requests.retries + 1}): ${lastFailure?.detail ?? 'unknown error'}`,
            }),
        },
      );
    } catch (error) {
      if (request.signal?.aborted || ModelRequestError.isInstance(error)) throw error;
      throw finalError(error, classifyModelFailure(error), attempts);
    }
  };

  const wrap = (model: Model, modelName: string): Model => {
    const wrapped: Model = {
      getResponse(request: ModelRequest): Promise<ModelResponse> {
        return withRetries(modelName, request, (scope) =>
          scope.race(model.getResponse({ ...request, signal: scope.signal })),
        );
      },
      async *getStreamedResponse(request: ModelRequest): AsyncIterable<StreamEvent> {
        // Each attempt streams into an emitter that this generator drains (node's `on` buffers),
        // so the idle timer measures the endpoint's silence, not a slow consumer. Events of a
        // failed attempt were already passed on; the retry streams the response again in full.
        const channel = new EventEmitter();
        const stop = new AbortController();
        const attemptRequest = { ...request, signal: anySignal(request.signal, stop.signal) };
        const done = withRetries(modelName, attemptRequest, async (scope) => {
          const iterator = model
            .getStreamedResponse({ ...request, signal: scope.signal })
            [Symbol.asyncIterator]();
          let completed = false;
          try {
            for (;;) {
              const next = await scope.race(iterator.next());
              if (next.done === true) break;
              scope.arm('idle', requests.streamIdleTimeoutMs);
              if (next.value.type === 'response_done') completed = true;
              channel.emit('event', next.value);
            }
          } finally {
            iterator.return?.()?.catch(() => undefined);
          }
          if (!completed) throw new ModelStreamCutShort();
        }).then(
          () => {
            if (!stop.signal.aborted) channel.emit('end');
          },
          (error: unknown) => {
            if (!stop.signal.aborted) channel.emit('error', error);
          },
        );
        try {
          for await (const [event] of on(channel, 'event', { close: ['end'] })) yield event as StreamEvent;
        } finally {
          stop.abort(new Error('the stream consumer stopped'));
          await done;
        }
      },
    };
    if (model.getRetryAdvice) wrapped.getRetryAdvice = model.getRetryAdvice.bind(model);
    return wrapped;
  };

  return {
    async getModel(modelName?: string) {
      return wrap(await options.provider.getModel(modelName), modelName ?? 'default');
    },
  };
}

function anySignal(first: AbortSignal | undefined, second: AbortSignal): AbortSignal {
  return first === undefined ? second : AbortSignal.any([first, second]);
}
