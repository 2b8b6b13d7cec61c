/**
 * Live token and cost totals of one run, and the budget check. Listens to the event stream (the
 * one source of truth the report also reads): `model-call-end` for the orchestrator and reviewer,
 * `worker-usage` (or `worker-end` for workers that report no per-turn usage) for workers.
 */
import type { EventStream } from '../events/event-stream.js';
import type { BudgetExceedEvent } from '../events.js';
import type { TokenUsage } from '../types.js';
import { BudgetExceededError } from './orchestrator-errors.js';
import { estimateCostUsd, type PriceTable } from './price-table.js';
import { addTokenUsage, emptyTokenUsage } from './token-usage.js';

/** Budget caps of one run. */
export interface BudgetOptions {
  /** Most tokens (orchestrator + reviewer + workers, input + output). */
  tokens?: number;
  /** Most estimated cost in USD (from the price table). */
  costUsd?: number;
  /**
   * What happens to worker runs in progress when a cap is reached: `finish-running` (default)
   * lets them end, `cancel-running` kills them. Either way no new run or model call starts.
   */
  onExceeded?: 'finish-running' | 'cancel-running';
}

/** Options of `createUsageMeter`. */
export interface UsageMeterOptions {
  events: EventStream;
  prices: PriceTable;
  /** Model used to price worker tokens. */
  workerModel: string;
  budget?: BudgetOptions;
  taskId?: string;
}

/** Totals of a run so far. */
export interface UsageTotals {
  orchestrator: TokenUsage;
  workers: TokenUsage;
  costUsd: number;
}

/** See `createUsageMeter`. */
export interface UsageMeter {
  totals(): UsageTotals;
  /** The budget-exceed event, once a cap was reached. */
  readonly exceeded: BudgetExceedEvent | undefined;
  /** Aborted when a cap is reached and `onExceeded` is `cancel-running`. */
  readonly cancelSignal: AbortSignal;
  /** Throws `BudgetExceededError` once a cap was reached. */
  assertWithinBudget(): void;
  /** Stops listening. */
  dispose(): void;
}

/** Creates the meter and starts listening to `events`. */
export function createUsageMeter(options: UsageMeterOptions): UsageMeter {
  const { events, prices, workerModel, budget = {}, taskId } = options;
  const orchestrator = emptyTokenUsage();
  const workers = emptyTokenUsage();
  const workerRunsWithUsage = new Set<string>();
  const cancel = new AbortController();
  let costUsd = 0;
  let exceeded: BudgetExceedEvent | undefined;
  const taskField = taskId === undefined ? {} : { taskId };

  const check = () => {
    if (exceeded) return;
    const action = budget.onExceeded ?? 'finish-running';
    const tokens = orchestrator.totalTokens + workers.totalTokens;
    let limit: 'tokens' | 'cost-usd' | undefined;
    let cap = 0;
    let used = 0;
    if (budget.tokens !== undefined && tokens >= budget.tokens) {
      limit = 'tokens';
      cap = budget.tokens;
      used = tokens;
    } else if (budget.costUsd !== undefined && costUsd >= budget.costUsd) {
      limit = 'cost-usd';
      cap = budget.costUsd;
      used = costUsd;
    }
    if (limit === undefined) return;
    exceeded = events.emit({
      type: 'budget-exceed',
      limit,
      cap,
      used,
      action,
      ...taskField,
    }) as BudgetExceedEvent;
    if (action === 'cancel-running') cancel.abort(new BudgetExceededError(limit, cap, used, taskField));
  };

  const update = () => {
    events.emit({
      type: 'usage-update',
      orchestrator: { ...orchestrator },
      workers: { ...workers },
      costUsd,
      ...taskField,
    });
    check();
  };

  const addWorker = (usage: TokenUsage) => {
    addTokenUsage(workers, usage);
    costUsd += estimateCostUsd(workerModel, usage, prices);
    update();
  };

  const unsubscribers = [
    events.on('model-call-end', (event) => {
      if (!event.usage) return;
      addTokenUsage(orchestrator, event.usage);
      costUsd += estimateCostUsd(event.model, event.usage, prices);
      update();
    }),
    events.on('worker-usage', (event) => {
      workerRunsWithUsage.add(event.workerRunId);
      addWorker(event.usage);
    }),
    events.on('worker-end', (event) => {
      if (!workerRunsWithUsage.has(event.workerRunId)) addWorker(event.result.usage);
    }),
  ];

  return {
    totals: () => ({ orchestrator: { ...orchestrator }, workers: { ...workers }, costUsd }),
    get exceeded() {
      return exceeded;
    },
    cancelSignal: cancel.signal,
    assertWithinBudget() {
      if (exceeded) throw new BudgetExceededError(exceeded.limit, exceeded.cap, exceeded.used, taskField);
    },
    dispose() {
      for (const unsubscribe of unsubscribers) unsubscribe();
    },
  };
}
