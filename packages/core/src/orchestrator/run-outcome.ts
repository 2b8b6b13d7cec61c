/** How a run ended, in words: the status and error text of the report. */
import { MaxTurnsExceededError } from '@openai/agents';
import { ModelRequestError } from '../model/model-request-error.js';
import { errorMessage } from '../shared/error-message.js';
import type { TaskOutcome } from '../types.js';
import type { UsageMeter } from './usage-meter.js';

/** The message of an error or abort reason. */
export function reasonText(reason: unknown): string | undefined {
  if (reason === undefined) return undefined;
  return errorMessage(reason);
}

/** The budget-exceeded text of the report. */
export function budgetText(meter: UsageMeter): string {
  const exceeded = meter.exceeded;
  if (!exceeded) return 'budget exceeded';
  return exceeded.limit === 'tokens'
    ? `Budget exceeded: ${exceeded.used} tokens used, the cap is ${exceeded.cap}.`
    : `Budget exceeded: an estimated $${exceeded.used.toFixed(4)} spent, the cap is $${exceeded.cap.toFixed(4)}.`;
}

/**
 * Classifies what stopped the agent: the run's own abort (cancelled), the budget, maxTurns, the
 * model endpoint (HTTP status or unreachable, naming the endpoint), or anything else (failed).
 */
export function classifyRunFailure(
  caught: unknown,
  context: { signal: AbortSignal; meter: UsageMeter; maxTurns: number; baseURL: string | undefined },
): { status: TaskOutcome; error: string } {
  if (context.signal.aborted)
    return { status: 'cancelled', error: reasonText(context.signal.reason) ?? 'cancelled' };
  if (context.meter.exceeded) return { status: 'budget-exceeded', error: budgetText(context.meter) };
  if (caught instanceof MaxTurnsExceededError) {
    return {
      status: 'failed',
      error: `The orchestrator used all ${context.maxTurns} turns (maxTurns) without finishing; raise maxTurns or split the task.`,
    };
  }
  // The model client's own error already names the endpoint and the fix.
  if (caught instanceof ModelRequestError) return { status: 'failed', error: caught.message };
  const endpoint = context.baseURL ?? 'https://api.openai.com/v1';
  const message = reasonText(caught) ?? 'unknown error';
  const httpStatus = (caught as { status?: unknown } | undefined)?.status;
  if (typeof httpStatus === 'number') {
    return {
      status: 'failed',
      error: `The model endpoint ${endpoint} answered HTTP ${httpStatus}: ${message}`,
    };
  }
  const name = (caught as { name?: unknown } | undefined)?.name;
  if (name === 'APIConnectionError' || name === 'APIConnectionTimeoutError') {
    return { status: 'failed', error: `Could not reach the model endpoint ${endpoint}: ${message}` };
  }
  return { status: 'failed', error: message };
}

/** Waits until every promise settled, or `timeoutMs` passed. */
export async function settleWithin(calls: ReadonlySet<Promise<unknown>>, timeoutMs: number): Promise<void> {
  if (calls.size === 0) return;
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    Promise.allSettled([...calls]),
    new Promise((resolve) => {
      timer = setTimeout(resolve, timeoutMs);
    }),
  ]);
  clearTimeout(timer);
}
