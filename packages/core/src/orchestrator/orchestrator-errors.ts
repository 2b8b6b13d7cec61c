/** Errors of `runOrchestrator`. All extend `OrchestratorError` (see `errors.ts`). */
import { OrchestratorError } from '../errors.js';
import { errorMarkerPrefix, hasErrorMarker, markErrorClass } from '../shared/error-marker.js';

const budgetMarker = Symbol.for(`${errorMarkerPrefix}.BudgetExceededError`);

/** A budget cap was reached: thrown to stop new model calls and refuse new worker runs. */
export class BudgetExceededError extends OrchestratorError<'budget-exceeded'> {
  static {
    markErrorClass(BudgetExceededError, budgetMarker);
  }
  readonly limit: 'tokens' | 'cost-usd';
  readonly cap: number;
  readonly used: number;

  constructor(limit: 'tokens' | 'cost-usd', cap: number, used: number, options: { taskId?: string } = {}) {
    const what =
      limit === 'tokens'
        ? `${used} tokens used, the budget is ${cap} tokens`
        : `an estimated $${used.toFixed(4)} spent, the budget is $${cap.toFixed(4)}`;
    super(
      `Budget exceeded: ${what}. No new codex run or model call starts; raise budget.${limit === 'tokens' ? 'tokens' : 'costUsd'} to allow more.`,
      { code: 'budget-exceeded', ...options },
    );
    this.limit = limit;
    this.cap = cap;
    this.used = used;
  }

  /** True for a `BudgetExceededError` from any copy of the package. */
  static override isInstance(value: unknown): value is BudgetExceededError {
    return hasErrorMarker(value, budgetMarker);
  }
}

const cancelledMarker = Symbol.for(`${errorMarkerPrefix}.RunCancelledError`);

/** The run was cancelled (by `run.cancel()` or the caller's signal). */
export class RunCancelledError extends OrchestratorError<'run-cancelled'> {
  static {
    markErrorClass(RunCancelledError, cancelledMarker);
  }

  constructor(reason: string, options: { taskId?: string; cause?: unknown } = {}) {
    super(`The orchestrator run was cancelled: ${reason}`, { code: 'run-cancelled', ...options });
  }

  /** True for a `RunCancelledError` from any copy of the package. */
  static override isInstance(value: unknown): value is RunCancelledError {
    return hasErrorMarker(value, cancelledMarker);
  }
}
