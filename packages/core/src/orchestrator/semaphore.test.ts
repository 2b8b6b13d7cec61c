import { describe, expect, it } from 'vitest';
import { createSemaphore } from './semaphore.js';

const tick = () => new Promise((resolve) => setTimeout(resolve, 5));

describe('createSemaphore', () => {
  it('never lets more than capacity holders run, and serves waiters in order', async () => {
    const slots = createSemaphore(2);
    let running = 0;
    let peak = 0;
    const order: number[] = [];
    await Promise.all(
      Array.from({ length: 6 }, (_, index) =>
        slots.use(async () => {
          order.push(index);
          running += 1;
          peak = Math.max(peak, running);
          await tick();
          running -= 1;
        }),
      ),
    );
    expect(peak).toBe(2);
    expect(order).toEqual([0, 1, 2, 3, 4, 5]);
    expect(slots.active).toBe(0);
  });

  it('drops an aborted waiter from the queue and rejects with the reason', async () => {
    const slots = createSemaphore(1);
    const release = await slots.acquire();
    const controller = new AbortController();
    const waiting = slots.acquire({ signal: controller.signal });
    expect(slots.waiting).toBe(1);
    controller.abort(new Error('stop waiting'));
    await expect(waiting).rejects.toThrow('stop waiting');
    expect(slots.waiting).toBe(0);
    release();
    release(); // idempotent
    expect(slots.active).toBe(0);
  });

  it('refuses a capacity that is not a positive integer', () => {
    expect(() => createSemaphore(0)).toThrow(/positive integer, got 0/);
  });
});
