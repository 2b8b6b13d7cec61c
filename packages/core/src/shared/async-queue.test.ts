import { describe, expect, it } from 'vitest';
import { createAsyncQueue } from './async-queue.js';

describe('createAsyncQueue', () => {
  it('delivers kept items in order, then done once ended', async () => {
    const queue = createAsyncQueue<number>();
    queue.push(1);
    queue.push(2);
    queue.end();
    queue.push(3); // ignored after end
    expect(await queue.shift()).toEqual({ done: false, value: 1 });
    expect(await queue.shift()).toEqual({ done: false, value: 2 });
    expect(await queue.shift()).toEqual({ done: true, value: undefined });
  });

  it('hands a push to the longest-waiting consumer', async () => {
    const queue = createAsyncQueue<string>();
    const first = queue.shift();
    const second = queue.shift();
    queue.push('a');
    queue.push('b');
    expect(await first).toEqual({ done: false, value: 'a' });
    expect(await second).toEqual({ done: false, value: 'b' });
    expect(queue.size).toBe(0);
  });

  it('drops the oldest item when full and counts the loss', async () => {
    const queue = createAsyncQueue<number>({ maxSize: 2 });
    for (const item of [1, 2, 3, 4]) queue.push(item);
    expect(queue.takeDropped()).toBe(2);
    expect(queue.takeDropped()).toBe(0);
    expect((await queue.shift()).value).toBe(3);
    expect((await queue.shift()).value).toBe(4);
  });

  it('ends a wait when its signal aborts, without losing later items', async () => {
    const queue = createAsyncQueue<number>();
    const controller = new AbortController();
    const waiting = queue.shift(controller.signal);
    controller.abort();
    expect(await waiting).toEqual({ done: true, value: undefined });
    queue.push(7);
    expect(await queue.shift(controller.signal)).toEqual({ done: false, value: 7 }); // kept items first
    expect(await queue.shift(controller.signal)).toEqual({ done: true, value: undefined });
  });

  it('interrupts the consumers waiting now, with done or an error, and keeps the queue open', async () => {
    const queue = createAsyncQueue<number>();
    const quiet = queue.shift();
    queue.interruptWaiting();
    expect(await quiet).toEqual({ done: true, value: undefined });
    const failing = queue.shift();
    queue.interruptWaiting(new Error('bot stopped'));
    await expect(failing).rejects.toThrow('bot stopped');
    queue.push(1);
    expect((await queue.shift()).value).toBe(1);
  });

  it('keeps order over many items (compaction)', async () => {
    const queue = createAsyncQueue<number>();
    const seen: number[] = [];
    for (let index = 0; index < 5000; index += 1) {
      queue.push(index);
      if (index % 3 === 0) seen.push((await queue.shift()).value as number);
    }
    queue.end();
    for (let result = await queue.shift(); !result.done; result = await queue.shift())
      seen.push(result.value);
    expect(seen).toEqual([...Array(5000).keys()]);
  });
});
