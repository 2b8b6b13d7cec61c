import type { BackoffOptions } from '../shared/retry-with-backoff.js';
import type { TaskSink, TaskSource } from '../types.js';
import { DispatcherConfigurationError } from './dispatcher-errors.js';
import type { DispatcherLogger } from './dispatcher-logger.js';
import { createStderrDispatcherLogger } from './dispatcher-logger.js';
import { createFileTaskStore } from './file-task-store.js';
import type { TaskRunner } from './task-runner.js';
import { createMemoryTaskStore, type TaskStore } from './task-store.js';

/** What to do at start-up with tasks that were running when the process died or stopped. */
/** Backoff of a failing task source, and after how many failures in a row to give up on it. */
export interface SourceRetryOptions extends BackoffOptions {
  /** Consecutive failures after which the dispatcher gives up on the source (default: never). */
  maxAttempts?: number;
}

export type InterruptedTaskPolicy = 'retry' | 'resume' | 'fail';

/** Options of `createTaskDispatcher`. */
export interface TaskDispatcherOptions {
  /** Where tasks come from; all are consumed concurrently. */
  sources: TaskSource[];
  /** Where events, reports and merge approvals go. */
  sinks?: TaskSink[];
  /** Runs one task (adapts `runOrchestrator`, or your own function). */
  run: TaskRunner;
  /** Tasks run at the same time (default 1). */
  concurrency?: number;
  /**
   * Where task states are kept. A path makes a durable JSONL journal (`createFileTaskStore`);
   * `'memory'` (or `createMemoryTaskStore()`) keeps them for this process only; any `TaskStore`
   * works. Required, so losing state on a crash is always a choice.
   */
  store: string | 'memory' | TaskStore;
  /**
   * Tasks found running in the journal at start-up (the process died) or stopped with
   * `cancelRunning`: run them again from scratch (`retry`), run them again with `resume: true`
   * (`resume`, default), or end them as `failed` (`fail`).
   */
  onInterrupted?: InterruptedTaskPolicy;
  /** Attempts a task gets before an interruption fails it instead (default 3). */
  maxAttempts?: number;
  /** Backoff of a source whose iteration throws (defaults 500 ms doubling up to 30 s, no limit). */
  sourceRetry?: SourceRetryOptions;
  /** How long `stop({ cancelRunning: true })` lets running tasks finish before aborting them (default 10 s). */
  gracePeriodMs?: number;
  /** Longest wait for one sink call or one source `ack` before moving on (default 10 s). */
  callTimeoutMs?: number;
  /** Most tasks waiting in the queue; sources are not read further while it is full (default 1000). */
  maxQueued?: number;
  /** Ended tasks `list()` keeps showing (default 100). */
  keepEnded?: number;
  /** Source failures, sink failures, journal warnings (default: one line on stderr each). */
  logger?: DispatcherLogger;
}

/** The options with defaults applied and checked. */
export interface ResolvedDispatcherOptions {
  sources: TaskSource[];
  sinks: TaskSink[];
  run: TaskRunner;
  concurrency: number;
  store: TaskStore;
  onInterrupted: InterruptedTaskPolicy;
  maxAttempts: number;
  sourceRetry: SourceRetryOptions;
  gracePeriodMs: number;
  callTimeoutMs: number;
  maxQueued: number;
  keepEnded: number;
  logger: DispatcherLogger;
}

/** Applies defaults and rejects bad values with a message naming the option. */
export function resolveDispatcherOptions(options: TaskDispatcherOptions): ResolvedDispatcherOptions {
  if (typeof options?.run !== 'function')
    fail('run', options?.run, 'a function (task, options) => Promise<{ outcome }>');
  if (!Array.isArray(options.sources))
    fail('sources', options.sources, 'an array of task sources ([] is fine)');
  const names = new Set<string>();
  for (const source of options.sources) {
    if (typeof source?.tasks !== 'function' || typeof source.name !== 'string' || source.name === '') {
      fail('sources', source?.name, 'task sources with a non-empty "name" and a "tasks(signal)" method');
    }
    if (names.has(source.name))
      fail('sources', source.name, 'sources with distinct names (acks are routed by name)');
    names.add(source.name);
  }
  const logger = options.logger ?? createStderrDispatcherLogger();
  const onInterrupted = options.onInterrupted ?? 'resume';
  if (!['retry', 'resume', 'fail'].includes(onInterrupted))
    fail('onInterrupted', onInterrupted, "'retry', 'resume' or 'fail'");
  return {
    sources: options.sources,
    sinks: options.sinks ?? [],
    run: options.run,
    concurrency: positiveInteger('concurrency', options.concurrency, 1),
    store: resolveStore(options.store, logger),
    onInterrupted,
    maxAttempts: positiveInteger('maxAttempts', options.maxAttempts, 3),
    sourceRetry: options.sourceRetry ?? {},
    gracePeriodMs: nonNegative('gracePeriodMs', options.gracePeriodMs, 10_000),
    callTimeoutMs: positiveInteger('callTimeoutMs', options.callTimeoutMs, 10_000),
    maxQueued: positiveInteger('maxQueued', options.maxQueued, 1000),
    keepEnded: nonNegative('keepEnded', options.keepEnded, 100),
    logger,
  };
}

function resolveStore(store: TaskDispatcherOptions['store'], logger: DispatcherLogger): TaskStore {
  if (store === 'memory') return createMemoryTaskStore();
  if (typeof store === 'string' && store.trim() !== '') return createFileTaskStore(store, { logger });
  if (typeof store === 'object' && store !== null && typeof store.append === 'function') return store;
  throw new DispatcherConfigurationError(
    `TaskDispatcher needs a task store, got ${describe(store)}. Pass store: "<path>/dispatch-journal.jsonl" ` +
      "to survive crashes, or store: 'memory' to keep task states in this process only.",
    { code: 'dispatcher-store-missing' },
  );
}

function positiveInteger(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 1) fail(name, value, 'a whole number of 1 or more');
  return value;
}

function nonNegative(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0)
    fail(name, value, 'a number of 0 or more');
  return value;
}

function fail(name: string, value: unknown, expected: string): never {
  throw new DispatcherConfigurationError(
    `TaskDispatcher option "${name}" is ${describe(value)}; it must be ${expected}.`,
    { code: 'dispatcher-option-invalid' },
  );
}

function describe(value: unknown): string {
  if (value === undefined) return 'missing';
  if (typeof value === 'function') return 'a function';
  try {
    return JSON.stringify(value)?.slice(0, 80) ?? String(value);
  } catch {
    return String(value);
  }
}
