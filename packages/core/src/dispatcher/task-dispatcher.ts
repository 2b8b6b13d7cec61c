import { OrchestratorError } from '../errors.js';
import type { OrchestratorEvent, OrchestratorEventInput } from '../events.js';
import { errorMessage } from '../shared/error-message.js';
import type { Task, TaskControl, TaskOutcome, TaskSource, TaskStatusEntry } from '../types.js';
import { ackTask } from './ack-task.js';
import { consumeSource } from './consume-source.js';
import { DispatcherConfigurationError, DispatcherStateError } from './dispatcher-errors.js';
import {
  type ResolvedDispatcherOptions,
  resolveDispatcherOptions,
  type TaskDispatcherOptions,
} from './dispatcher-options.js';
import { routeMergeApproval } from './route-merge-approval.js';
import { createSinkFanout, type SinkFanout, type TaskEndResult } from './sink-fanout.js';
import { TaskBook, type TaskSlot } from './task-book.js';
import { isEndedState, journalRecord, type TaskJournalEntry } from './task-journal.js';
import { normalizeRunResult, validateTask } from './validate-task.js';
import { settlesWithin } from './with-timeout.js';

type Phase = 'created' | 'starting' | 'running' | 'stopping' | 'stopped';

/**
 * Runs tasks from any number of sources through a runner, with a concurrency limit, a durable
 * journal and isolated sinks. Implements `TaskControl` for chat bots and CLIs.
 *
 * Guarantees:
 * - A task id is run at most once per journal: a task seen before (in this process or in the
 *   journal) is never started again. A duplicate delivery of a task that already ended is acked
 *   again with its recorded outcome (acks must be idempotent); one still queued or running is
 *   ignored.
 * - The `received` record is durable before a task is queued, `started` before the runner is
 *   called, `ended` before the source is acked.
 * - On `start()`, queued tasks of the journal are queued again and tasks that were running are
 *   handled per `onInterrupted` (retry, resume, fail); nothing is lost.
 * - A runner that throws fails only its task; a sink or `ack` that throws or hangs is logged and
 *   bounded by `callTimeoutMs`; a failing source is retried with backoff while others flow.
 * - A crash after a runner finished but before its end record was synced makes the task count as
 *   interrupted: it runs again (`resume: true` with the default policy). Runners must therefore be
 *   idempotent where it matters: `runOrchestrator`'s merge queue merges a branch only when
 *   `git merge-base --is-ancestor <branch> main` says it is not merged yet.
 *
 * Task ids must be unique across sources (the built-in sources prefix theirs with their name).
 * Tasks delivered by a source get `task.source` set to that source's name, which routes acks and
 * merge approvals after a restart. The dispatcher remembers every id it has seen (about 0.1 KB
 * each, plus the journal's own index), so a journal suits up to a few hundred thousand tasks.
 *
 * @example
 * const dispatcher = createTaskDispatcher({
 *   sources: [createEnvTaskSource()],
 *   sinks: [createConsoleTaskSink()],
 *   run: async (task, { signal }) => ({ outcome: 'completed' }),
 *   store: '/srv/orchestrator/dispatch-journal.jsonl',
 * });
 * await dispatcher.start();
 * await dispatcher.drain();
 * await dispatcher.stop();
 */
export class TaskDispatcher implements TaskControl {
  readonly #options: ResolvedDispatcherOptions;
  readonly #fanout: SinkFanout;
  readonly #sourcesByName: Map<string, TaskSource>;
  readonly #book: TaskBook;
  readonly #running = new Map<string, { slot: TaskSlot; done: Promise<void> }>();
  /** Work that `drain()` and `stop()` wait for: durable receives, task ends, acks. */
  readonly #background = new Set<Promise<unknown>>();
  #phase: Phase = 'created';
  #intake = new AbortController();
  #consumers: Promise<void>[] = [];
  #openSources = 0;
  /** Tasks accepted whose `received` record is not durable yet. */
  #receiving = 0;
  #quietWaiters: (() => void)[] = [];
  #spaceWaiters: (() => void)[] = [];
  #starting?: Promise<void>;
  #stopping?: Promise<void>;

  constructor(options: TaskDispatcherOptions) {
    this.#options = resolveDispatcherOptions(options);
    this.#fanout = createSinkFanout(this.#options.sinks, {
      timeoutMs: this.#options.callTimeoutMs,
      logger: this.#options.logger,
    });
    this.#sourcesByName = new Map(this.#options.sources.map((source) => [source.name, source]));
    this.#book = new TaskBook(this.#options.keepEnded);
  }

  /** True between a successful `start()` and the beginning of `stop()`. */
  get isRunning(): boolean {
    return this.#phase === 'running';
  }

  /** Replays the journal, then starts reading every source and running tasks. Call once. */
  start(): Promise<void> {
    if (this.#phase !== 'created') {
      const error = new DispatcherStateError(
        `TaskDispatcher.start() was already called (the dispatcher is ${this.#phase}); create a new dispatcher to start again.`,
        { code: 'dispatcher-already-started' },
      );
      return Promise.reject(error);
    }
    this.#phase = 'starting';
    this.#starting = this.#start();
    return this.#starting;
  }

  async #start(): Promise<void> {
    try {
      await this.#replay(await this.#options.store.load());
    } catch (error) {
      this.#phase = 'stopped';
      await this.#options.store.close().catch(() => undefined);
      this.#notifyQuiet();
      throw error;
    }
    this.#phase = 'running';
    this.#openSources = this.#options.sources.length;
    for (const source of this.#options.sources) {
      const consumer = consumeSource(source, {
        signal: this.#intake.signal,
        retry: this.#options.sourceRetry,
        logger: this.#options.logger,
        onTask: (task) => this.#receiveFromSource(task, source),
      }).then(() => {
        this.#openSources -= 1;
        this.#notifyQuiet();
      });
      this.#consumers.push(consumer);
    }
    this.#pump();
    this.#notifyQuiet();
  }

  /**
   * Stops intake, then waits for running tasks. With `cancelRunning`, tasks still running after
   * `gracePeriodMs` are aborted and recorded as interrupted (not cancelled): the next `start()`
   * on the same journal retries or resumes them per `onInterrupted`. Queued tasks stay queued in
   * the journal. A runner that ignores its signal for another `gracePeriodMs` is abandoned (the
   * journal still says running, so it counts as interrupted too). Then sinks are flushed and the
   * store is closed. Safe to call more than once.
   */
  stop(options: { cancelRunning?: boolean } = {}): Promise<void> {
    this.#stopping ??= this.#stop(options.cancelRunning === true);
    return this.#stopping;
  }

  /**
   * Resolves once every source is exhausted and no task is queued or running, acks and sink
   * calls included (or once the dispatcher has stopped). The CLI's `dispatch` command waits for
   * this before it exits. Waits for `start()` when called before it.
   */
  async drain(): Promise<void> {
    for (;;) {
      await new Promise<void>((resolve) => {
        if (this.#isQuiet()) resolve();
        else this.#quietWaiters.push(resolve);
      });
      await this.#fanout.idle();
      if (this.#isQuiet()) return;
    }
  }

  /** Running tasks first, then queued and interrupted ones, then recently ended ones (newest first). */
  list(): TaskStatusEntry[] {
    return this.#book.list();
  }

  /**
   * Cancels one task: a queued one is removed and ends `cancelled` at once; a running one has its
   * signal aborted and ends `cancelled` when its runner gives up. `false` when the task is not
   * queued, running or interrupted.
   */
  cancel(taskId: string): boolean {
    const slot = this.#book.active.get(taskId);
    if (slot === undefined || isEndedState(slot.state)) return false;
    if (slot.state === 'running') {
      slot.cancelRequested = true;
      slot.controller?.abort(
        new OrchestratorError(`Task ${taskId} was cancelled.`, { code: 'task-cancelled', taskId }),
      );
      return true;
    }
    this.#book.queue.delete(taskId);
    this.#wakeSpaceWaiters();
    this.#track(this.#finish(slot, { outcome: 'cancelled' }, 0));
    return true;
  }

  /**
   * Adds a task from code. Resolves `true` once it is durably queued, `false` when its id was seen
   * before (see dedupe). Throws a `DispatcherConfigurationError` for an invalid task and a
   * `DispatcherStateError` when the dispatcher is not running.
   */
  async enqueue(task: Task): Promise<boolean> {
    if (this.#phase !== 'running') {
      throw new DispatcherStateError(
        `TaskDispatcher.enqueue() needs a running dispatcher (it is ${this.#phase}); call start() first.`,
        { code: 'dispatcher-not-running' },
      );
    }
    const problem = validateTask(task);
    if (problem !== undefined) {
      throw new DispatcherConfigurationError(`Cannot enqueue task ${JSON.stringify(task?.id)}: ${problem}.`, {
        code: 'task-invalid',
      });
    }
    await this.#waitForQueueSpace();
    return this.#accept({ ...task }, this.#sourcesByName.get(task.source));
  }

  async #receiveFromSource(task: Task, source: TaskSource): Promise<void> {
    const problem = validateTask(task);
    if (problem !== undefined) {
      this.#options.logger.warn(
        `Task source "${source.name}" delivered an unusable task (${problem}); skipped.`,
      );
      return;
    }
    await this.#waitForQueueSpace();
    // The source may deliver its next task while this one's record is being synced (group commit);
    // records resolve in order, so the queue stays FIFO.
    const accepted = this.#accept({ ...task, source: source.name }, source).catch((error: unknown) => {
      this.#options.logger.error(
        `Task ${task.id} from "${source.name}" could not be recorded and was not queued: ${errorMessage(error)}`,
      );
    });
    this.#track(accepted);
  }

  async #waitForQueueSpace(): Promise<void> {
    while (this.#book.queue.size + this.#receiving >= this.#options.maxQueued && this.#phase === 'running') {
      await new Promise<void>((resolve) => this.#spaceWaiters.push(resolve));
    }
  }

  /** Dedupes, then records the task durably and queues it. The dedupe check is synchronous. */
  async #accept(task: Task, source: TaskSource | undefined): Promise<boolean> {
    const known = this.#book.seen.get(task.id);
    if (known === 'active') return false;
    if (known !== undefined) {
      this.#options.logger.info?.(`Task ${task.id} already ended (${known}) per the journal; not run again.`);
      if (source !== undefined) this.#ack(source, task, known);
      return false;
    }
    this.#book.seen.set(task.id, 'active');
    this.#receiving += 1;
    try {
      await this.#options.store.append(journalRecord.receive(task));
    } catch (error) {
      this.#book.seen.delete(task.id);
      this.#wakeSpaceWaiters();
      throw error;
    } finally {
      this.#receiving -= 1;
    }
    this.#book.admit({ task, state: 'queued', attempts: 0, resume: false, ...(source && { source }) }, true);
    this.#emit(task, { type: 'task-queue', taskId: task.id, source: task.source, reason: 'received' });
    this.#pump();
    return true;
  }

  async #replay(entries: TaskJournalEntry[]): Promise<void> {
    const { onInterrupted, maxAttempts, store } = this.#options;
    for (const entry of entries) {
      if (isEndedState(entry.state) || entry.task === undefined) {
        this.#book.seen.set(entry.taskId, entry.outcome ?? 'failed');
        continue;
      }
      const { task, attempts } = entry;
      const source = this.#sourcesByName.get(task.source);
      const slot: TaskSlot = { task, state: 'queued', attempts, resume: false, ...(source && { source }) };
      if (entry.state === 'queued') {
        this.#book.admit(slot, true);
        this.#emit(task, { type: 'task-queue', taskId: task.id, source: task.source, reason: 'replayed' });
        continue;
      }
      const action = attempts >= maxAttempts ? 'fail' : onInterrupted;
      this.#book.admit(slot, false);
      await store.append(journalRecord.interrupt(task.id, attempts, action));
      this.#emit(task, {
        type: 'task-interrupt',
        taskId: task.id,
        source: task.source,
        attempt: attempts,
        action,
      });
      if (action === 'fail') {
        const error =
          onInterrupted === 'fail'
            ? 'The task was interrupted (the process stopped while it ran) and onInterrupted is "fail".'
            : `The task was interrupted ${attempts} times (the process stopped while it ran); maxAttempts is ${maxAttempts}.`;
        await this.#finish(slot, { outcome: 'failed', error }, 0);
        continue;
      }
      Object.assign(slot, { state: 'interrupted', resume: action === 'resume' });
      this.#book.queue.set(task.id, slot);
      this.#emit(task, { type: 'task-queue', taskId: task.id, source: task.source, reason: 'interrupted' });
    }
  }

  #pump(): void {
    while (this.#phase === 'running' && this.#running.size < this.#options.concurrency) {
      const slot = this.#book.takeNext();
      if (slot === undefined) return;
      this.#wakeSpaceWaiters();
      const done = this.#execute(slot)
        .catch((error: unknown) => {
          this.#options.logger.error(`Task ${slot.task.id} could not be run: ${errorMessage(error)}`);
        })
        .finally(() => {
          this.#running.delete(slot.task.id);
          this.#pump();
          this.#notifyQuiet();
        });
      this.#running.set(slot.task.id, { slot, done });
    }
  }

  async #execute(slot: TaskSlot): Promise<void> {
    const { task } = slot;
    const attempt = slot.attempts + 1;
    const resume = slot.resume;
    const controller = new AbortController();
    Object.assign(slot, { state: 'running', attempts: attempt, startedAt: now(), controller });
    try {
      await this.#options.store.append(journalRecord.start(task.id, attempt, resume));
    } catch (error) {
      const message = `The start of the task could not be recorded in the journal: ${errorMessage(error)}`;
      await this.#finish(slot, { outcome: 'failed', error: message }, 0, { journal: false });
      return;
    }
    const startedAt = Date.now();
    this.#emit(task, { type: 'task-start', taskId: task.id, source: task.source, attempt, resume });
    let result: TaskEndResult;
    try {
      if (slot.cancelRequested) throw controller.signal.reason;
      const approveMerge = routeMergeApproval(task, this.#options.sinks, {
        signal: controller.signal,
        logger: this.#options.logger,
      });
      result = normalizeRunResult(
        await this.#options.run(task, {
          signal: controller.signal,
          emit: (event) => this.#emit(task, event),
          ...(approveMerge === undefined ? {} : { approveMerge }),
          attempt,
          resume,
        }),
      );
    } catch (error) {
      result = { outcome: slot.cancelRequested ? 'cancelled' : 'failed', error: errorMessage(error) };
    }
    if (slot.abandoned) return;
    const gaveUp = result.outcome === 'cancelled' || result.outcome === 'failed';
    if (slot.shutdownRequested && !slot.cancelRequested && gaveUp) {
      await this.#interruptForShutdown(slot);
      return;
    }
    // The slot is free once the runner returns: the next task's start record can share a sync with
    // this task's end record. A crash before the end is durable makes this task count as
    // interrupted, exactly as if it had crashed a moment earlier.
    this.#track(this.#finish(slot, result, Date.now() - startedAt));
  }

  async #interruptForShutdown(slot: TaskSlot): Promise<void> {
    const { task } = slot;
    slot.state = 'interrupted';
    await this.#options.store
      .append(journalRecord.interrupt(task.id, slot.attempts, 'defer'))
      .catch((error: unknown) => this.#options.logger.warn(errorMessage(error)));
    const event = { taskId: task.id, source: task.source, attempt: slot.attempts, action: 'defer' } as const;
    this.#emit(task, { type: 'task-interrupt', ...event });
  }

  async #finish(slot: TaskSlot, result: TaskEndResult, durationMs: number, options = { journal: true }) {
    const { task } = slot;
    const { outcome, error } = result;
    slot.state = outcome; // cancel() and list() see the end at once; it is durable below
    let durable = options.journal;
    if (options.journal) {
      await this.#options.store
        .append(journalRecord.end(task.id, outcome, task.source, error))
        .catch((cause) => {
          durable = false;
          this.#options.logger.error(
            `The end of task ${task.id} could not be recorded: ${errorMessage(cause)}`,
          );
        });
    }
    this.#book.markEnded(slot, outcome, error, now());
    this.#emit(task, {
      type: 'task-end',
      taskId: task.id,
      source: task.source,
      outcome,
      attempt: slot.attempts,
      durationMs,
      ...(error === undefined ? {} : { error }),
    });
    this.#fanout.taskEnd(task, result);
    if (durable && slot.source !== undefined) this.#ack(slot.source, task, outcome);
  }

  #ack(source: TaskSource, task: Task, outcome: TaskOutcome): void {
    const { callTimeoutMs, logger } = this.#options;
    this.#track(ackTask(source, task, outcome, { timeoutMs: callTimeoutMs, logger }));
  }

  #emit(task: Task, input: OrchestratorEventInput): void {
    if (this.#options.sinks.length === 0) return;
    const event = {
      ...input,
      time: input.time ?? now(),
      taskId: input.taskId ?? task.id,
    } as OrchestratorEvent;
    this.#fanout.event(task, event);
  }

  async #stop(cancelRunning: boolean): Promise<void> {
    if (this.#phase === 'created') {
      this.#phase = 'stopped';
      this.#notifyQuiet();
      return;
    }
    if (this.#phase === 'starting') await this.#starting?.catch(() => undefined);
    if (this.#phase === 'stopped') return;
    this.#phase = 'stopping';
    this.#intake.abort();
    this.#wakeSpaceWaiters();
    const { gracePeriodMs, logger } = this.#options;
    const runningDone = () => Promise.all([...this.#running.values()].map((entry) => entry.done));
    if (cancelRunning && !(await settlesWithin(runningDone(), gracePeriodMs))) {
      for (const { slot } of this.#running.values()) {
        slot.shutdownRequested = true;
        slot.controller?.abort(
          new OrchestratorError('The dispatcher is stopping.', { code: 'dispatcher-stopping' }),
        );
      }
      if (!(await settlesWithin(runningDone(), gracePeriodMs))) {
        for (const { slot } of this.#running.values()) {
          slot.abandoned = true;
          logger.warn(
            `Task ${slot.task.id} ignored its abort signal for ${gracePeriodMs} ms and was abandoned; the journal ` +
              'still says it is running, so the next start treats it as interrupted.',
          );
        }
      }
    } else if (!cancelRunning) {
      await runningDone();
    }
    await Promise.all(this.#consumers);
    while (this.#background.size > 0) await Promise.all(this.#background);
    await this.#fanout.idle();
    await this.#options.store.close().catch((error: unknown) => logger.error(errorMessage(error)));
    this.#phase = 'stopped';
    this.#notifyQuiet();
  }

  #isQuiet(): boolean {
    if (this.#phase === 'stopped') return true;
    return (
      this.#phase === 'running' &&
      this.#openSources === 0 &&
      this.#book.queue.size === 0 &&
      this.#running.size === 0 &&
      this.#background.size === 0
    );
  }

  #notifyQuiet(): void {
    if (this.#quietWaiters.length === 0 || !this.#isQuiet()) return;
    const waiters = this.#quietWaiters;
    this.#quietWaiters = [];
    for (const resolve of waiters) resolve();
  }

  #wakeSpaceWaiters(): void {
    const waiters = this.#spaceWaiters;
    this.#spaceWaiters = [];
    for (const resolve of waiters) resolve();
  }

  #track(promise: Promise<unknown>): void {
    const tracked = promise
      .catch((error: unknown) => this.#options.logger.error(errorMessage(error)))
      .finally(() => {
        this.#background.delete(tracked);
        this.#notifyQuiet();
      });
    this.#background.add(tracked);
  }
}

/**
 * Creates a `TaskDispatcher` (see there for the guarantees).
 *
 * @example
 * const inbox = createInboxTaskSource({ dir: '/srv/orchestrator/inbox' });
 * const dispatcher = createTaskDispatcher({ sources: [inbox], run, store: '/srv/orchestrator/journal.jsonl' });
 * await dispatcher.start();
 */
export function createTaskDispatcher(options: TaskDispatcherOptions): TaskDispatcher {
  return new TaskDispatcher(options);
}

function now(): string {
  return new Date().toISOString();
}
