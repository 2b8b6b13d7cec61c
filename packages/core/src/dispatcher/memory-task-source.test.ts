import { describe, expect, it } from 'vitest';
import type { Task } from '../types.js';
import { createIterableTaskSource, createMemoryTaskSource } from './memory-task-source.js';

describe('createMemoryTaskSource', () => {
  it('delivers pushed tasks in order, waits for more, and ends after end()', async () => {
    const source = createMemoryTaskSource({ name: 'queue' });
    source.push({ text: 'first' });
    const received: Task[] = [];
    const reading = (async () => {
      for await (const task of source.tasks(new AbortController().signal)) received.push(task);
    })();
    await new Promise((resolve) => setTimeout(resolve, 5));
    source.push({ id: 'custom', text: 'second', metadata: { chat: 1 } });
    source.end();
    await reading;
    expect(received).toEqual([
      { id: 'queue-1', text: 'first', source: 'queue' },
      { id: 'custom', text: 'second', source: 'queue', metadata: { chat: 1 } },
    ]);
    expect(() => source.push({ text: 'late' })).toThrow(/has ended/);
    await source.ack?.(received[0]!, 'failed');
    expect(source.acks).toEqual([{ taskId: 'queue-1', outcome: 'failed' }]);
  });

  it('ends the iteration when the signal aborts', async () => {
    const source = createMemoryTaskSource();
    const controller = new AbortController();
    const reading = (async () => {
      for await (const _task of source.tasks(controller.signal)) {
        // no tasks
      }
    })();
    controller.abort();
    await reading;
  });
});

describe('createIterableTaskSource', () => {
  it('wraps any iterable and names the tasks after the source', async () => {
    async function* poll() {
      yield { id: 'a', text: 'a' } as Task;
      yield { id: 'b', text: 'b', source: 'tracker' };
    }
    const source = createIterableTaskSource(poll(), { name: 'api' });
    const received: Task[] = [];
    for await (const task of source.tasks(new AbortController().signal)) received.push(task);
    expect(received.map((task) => task.source)).toEqual(['api', 'tracker']);
  });
});
