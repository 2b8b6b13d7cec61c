import type { Task, TaskOutcome, TaskSource, TaskState, TaskStatusEntry } from '../types.js';

/** One task the dispatcher holds in memory (queued, running, interrupted, or recently ended). */
export interface TaskSlot {
  task: Task;
  state: TaskState;
  /** Attempts started so far, across restarts. */
  attempts: number;
  /** The next attempt resumes an interrupted one. */
  resume: boolean;
  /** The source to ack when the task ends. */
  source?: TaskSource;
  startedAt?: string;
  endedAt?: string;
  error?: string;
  controller?: AbortController;
  cancelRequested?: boolean;
  shutdownRequested?: boolean;
  /** `stop()` gave up waiting for the runner; its late result is ignored. */
  abandoned?: boolean;
}

/**
 * The dispatcher's book of tasks: every id ever seen (for dedupe), the tasks not ended yet, the
 * FIFO queue, and the last `keepEnded` ended tasks for `list()`. Memory per ended task is one map
 * entry (its id and outcome).
 */
export class TaskBook {
  /** Every task id seen: its outcome once ended, `active` before. */
  readonly seen = new Map<string, TaskOutcome | 'active'>();
  /** Tasks not ended yet, in arrival order. */
  readonly active = new Map<string, TaskSlot>();
  /** Tasks waiting to run, FIFO (a Map keeps insertion order and removes in O(1)). */
  readonly queue = new Map<string, TaskSlot>();
  readonly #ended: TaskSlot[] = [];
  readonly #keepEnded: number;

  constructor(keepEnded: number) {
    this.#keepEnded = keepEnded;
  }

  /** Adds a task that has not ended; `queued` puts it at the back of the queue. */
  admit(slot: TaskSlot, queued: boolean): void {
    this.seen.set(slot.task.id, 'active');
    this.active.set(slot.task.id, slot);
    if (queued) this.queue.set(slot.task.id, slot);
  }

  /** Removes and returns the oldest queued task. */
  takeNext(): TaskSlot | undefined {
    const slot = this.queue.values().next().value;
    if (slot !== undefined) this.queue.delete(slot.task.id);
    return slot;
  }

  /** Records the end of a task: it will never run again in this process. */
  markEnded(slot: TaskSlot, outcome: TaskOutcome, error: string | undefined, time: string): void {
    Object.assign(slot, { state: outcome, endedAt: time, controller: undefined });
    if (error !== undefined) slot.error = error;
    this.seen.set(slot.task.id, outcome);
    this.active.delete(slot.task.id);
    this.queue.delete(slot.task.id);
    this.#ended.push(slot);
    if (this.#ended.length > this.#keepEnded) this.#ended.splice(0, this.#ended.length - this.#keepEnded);
  }

  /** Running tasks first, then queued and interrupted ones, then recently ended ones (newest first). */
  list(): TaskStatusEntry[] {
    const active = [...this.active.values()];
    const running = active.filter((slot) => slot.state === 'running');
    const waiting = active.filter((slot) => slot.state !== 'running');
    return [...running, ...waiting, ...[...this.#ended].reverse()].map(toStatusEntry);
  }
}

function toStatusEntry(slot: TaskSlot): TaskStatusEntry {
  const entry: TaskStatusEntry = { task: slot.task, state: slot.state };
  if (slot.startedAt !== undefined) entry.startedAt = slot.startedAt;
  if (slot.endedAt !== undefined) entry.endedAt = slot.endedAt;
  if (slot.attempts > 0) entry.attempt = slot.attempts;
  if (slot.error !== undefined) entry.error = slot.error;
  return entry;
}
