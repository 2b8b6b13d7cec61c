import { describe, expect, it } from 'vitest';
import { createEventStream } from '../events/event-stream.js';
import type { OrchestratorEvent } from '../events.js';
import type { TokenUsage, Worker, WorkerRequest, WorkerResult } from '../types.js';
import { createGatedWorker } from './gated-worker.js';
import { BudgetExceededError } from './orchestrator-errors.js';
import { createSemaphore } from './semaphore.js';
import { emptyTokenUsage } from './token-usage.js';
import { createUsageMeter } from './usage-meter.js';

const usage = (input: number, output: number): TokenUsage => ({
  ...emptyTokenUsage(),
  inputTokens: input,
  outputTokens: output,
  totalTokens: input + output,
});
const prices = { 'model-a': { input: 1, output: 2 }, 'worker-model': { input: 10, output: 10 } };

/** A worker that waits until released or aborted, recording what it saw. */
class HoldingWorker implements Worker {
  readonly name = 'holding';
  running = 0;
  peak = 0;
  readonly releases: Array<() => void> = [];
  async run(request: WorkerRequest, options: { signal?: AbortSignal } = {}): Promise<WorkerResult> {
    this.running += 1;
    this.peak = Math.max(this.peak, this.running);
    const cancelled = await new Promise<boolean>((resolve) => {
      this.releases.push(() => resolve(false));
      options.signal?.addEventListener('abort', () => resolve(true), { once: true });
    });
    this.running -= 1;
    return {
      status: cancelled ? 'cancelled' : 'completed',
      finalMessage: request.prompt,
      filesChanged: [],
      commands: [],
      usage: emptyTokenUsage(),
      exitCode: cancelled ? null : 0,
      durationMs: 1,
      errors: [],
    };
  }
}

const until = async (condition: () => boolean) => {
  for (let index = 0; index < 200 && !condition(); index++)
    await new Promise((resolve) => setTimeout(resolve, 5));
  expect(condition()).toBe(true);
};

describe('usage meter', () => {
  it('sums orchestrator and worker usage, prices it, and emits usage-update', () => {
    const events = createEventStream();
    const seen: OrchestratorEvent[] = [];
    events.onAny((event) => void seen.push(event));
    const meter = createUsageMeter({ events, prices, workerModel: 'worker-model' });
    events.emit({
      type: 'model-call-end',
      agent: 'orchestrator',
      model: 'model-a',
      turn: 1,
      durationMs: 5,
      usage: usage(1_000_000, 500_000),
    });
    events.emit({ type: 'worker-usage', workerRunId: 'w1', worktree: 'task-a', usage: usage(100_000, 0) });
    // worker-end of a run that reported per-turn usage is not counted twice...
    events.emit({
      type: 'worker-end',
      workerRunId: 'w1',
      worktree: 'task-a',
      result: { usage: usage(100_000, 0) } as WorkerResult,
    });
    // ...but a worker without per-turn usage is counted from its result.
    events.emit({
      type: 'worker-end',
      workerRunId: 'w2',
      worktree: 'task-b',
      result: { usage: usage(0, 100_000) } as WorkerResult,
    });
    const totals = meter.totals();
    expect(totals.orchestrator.totalTokens).toBe(1_500_000);
    expect(totals.workers.totalTokens).toBe(200_000);
    expect(totals.costUsd).toBeCloseTo(1 + 1 + 1 + 1, 10);
    expect(seen.filter((event) => event.type === 'usage-update')).toHaveLength(3);
    expect(meter.exceeded).toBeUndefined();
  });

  it('reports the budget once, refuses new runs and cancels running ones when asked to', async () => {
    const events = createEventStream();
    const exceeded: OrchestratorEvent[] = [];
    events.on('budget-exceed', (event) => void exceeded.push(event));
    const meter = createUsageMeter({
      events,
      prices,
      workerModel: 'worker-model',
      budget: { tokens: 1000, onExceeded: 'cancel-running' },
    });
    const inner = new HoldingWorker();
    const worker = createGatedWorker(inner, {
      slots: createSemaphore(1),
      assertMayStart: () => meter.assertWithinBudget(),
      cancelSignal: meter.cancelSignal,
    });
    const request = { worktree: 'task-a', cwd: '/nowhere', prompt: 'p' };
    const first = worker.run(request);
    const queued = worker.run({ ...request, prompt: 'queued' });
    await until(() => inner.running === 1);

    events.emit({
      type: 'model-call-end',
      agent: 'orchestrator',
      model: 'model-a',
      turn: 1,
      durationMs: 1,
      usage: usage(900, 200),
    });
    events.emit({
      type: 'model-call-end',
      agent: 'orchestrator',
      model: 'model-a',
      turn: 2,
      durationMs: 1,
      usage: usage(10, 10),
    });
    expect(exceeded).toMatchObject([
      { type: 'budget-exceed', limit: 'tokens', cap: 1000, used: 1100, action: 'cancel-running' },
    ]);
    expect((await first).status).toBe('cancelled');
    await expect(queued).rejects.toBeInstanceOf(BudgetExceededError);
    await expect(worker.run(request)).rejects.toThrow(
      /Budget exceeded: 1100 tokens used, the budget is 1000 tokens/,
    );
    expect(inner.peak).toBe(1);
  });

  it('lets running workers finish under finish-running, and caps concurrency', async () => {
    const events = createEventStream();
    const meter = createUsageMeter({ events, prices, workerModel: 'worker-model', budget: { costUsd: 0.5 } });
    const inner = new HoldingWorker();
    const worker = createGatedWorker(inner, {
      slots: createSemaphore(2),
      assertMayStart: () => meter.assertWithinBudget(),
      cancelSignal: meter.cancelSignal,
    });
    const runs = [1, 2, 3].map((index) =>
      worker.run({ worktree: `task-${index}`, cwd: '/nowhere', prompt: String(index) }),
    );
    await until(() => inner.running === 2);
    events.emit({ type: 'worker-usage', workerRunId: 'w', worktree: 'task-1', usage: usage(50_000, 0) });
    expect(meter.exceeded).toMatchObject({ limit: 'cost-usd', action: 'finish-running' });
    for (const release of inner.releases.splice(0)) release();
    const [first, second, third] = await Promise.allSettled(runs);
    expect(first).toMatchObject({ status: 'fulfilled', value: { status: 'completed' } });
    expect(second).toMatchObject({ status: 'fulfilled', value: { status: 'completed' } });
    expect(third).toMatchObject({ status: 'rejected' });
    expect(inner.peak).toBe(2);
  });
});
