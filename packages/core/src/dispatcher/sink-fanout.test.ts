import { describe, expect, it } from 'vitest';
import type { OrchestratorEvent } from '../events.js';
import type { Task, TaskSink } from '../types.js';
import { createSinkFanout } from './sink-fanout.js';
import { createRecordingLogger } from './test-helpers.js';

const task: Task = { id: 't', text: 't', source: 's' };
const event = (code: string): OrchestratorEvent => ({ type: 'error', code, message: code, time: '' });

describe('createSinkFanout', () => {
  it('delivers to each sink in order, one call at a time, even when a sink is async', async () => {
    const seen: string[] = [];
    let concurrent = 0;
    const slow: TaskSink = {
      name: 'slow',
      async onEvent(_task, current) {
        concurrent += 1;
        expect(concurrent).toBe(1);
        await new Promise((resolve) => setTimeout(resolve, 2));
        seen.push(current.type === 'error' ? current.code : '');
        concurrent -= 1;
      },
    };
    const fanout = createSinkFanout([slow], { timeoutMs: 1000, logger: createRecordingLogger() });
    for (const code of ['1', '2', '3', '4']) fanout.event(task, event(code));
    await fanout.idle();
    expect(seen).toEqual(['1', '2', '3', '4']);
  });

  it('cuts off a sink whose call hangs until that call returns, then delivers again', async () => {
    const logger = createRecordingLogger();
    let release!: () => void;
    const seen: string[] = [];
    const sticky: TaskSink = {
      name: 'sticky',
      onEvent(_task, current) {
        const code = current.type === 'error' ? current.code : '';
        seen.push(code);
        if (code === 'hang') return new Promise<void>((resolve) => (release = resolve));
      },
    };
    const other: string[] = [];
    const healthy: TaskSink = { name: 'healthy', onEvent: (_task, current) => void other.push(current.type) };
    const fanout = createSinkFanout([sticky, healthy], { timeoutMs: 20, logger });
    for (const code of ['hang', 'dropped-1', 'dropped-2']) fanout.event(task, event(code));
    // idle() resolving at all is the proof: the hanging call is never released before this line.
    await fanout.idle();
    expect(seen).toEqual(['hang']);
    expect(other).toHaveLength(3);
    release();
    await new Promise((resolve) => setTimeout(resolve, 0));
    fanout.event(task, event('after'));
    await fanout.idle();
    expect(seen).toEqual(['hang', 'after']);
    expect(logger.lines.join('\n')).toMatch(/did not answer within 20 ms[\s\S]*2 events were dropped/);
  });

  it('drops events beyond maxPending for a slow sink but always queues task ends', async () => {
    let events = 0;
    let ends = 0;
    const slow: TaskSink = {
      name: 'slow',
      onEvent: async () => {
        events += 1;
        await new Promise((resolve) => setTimeout(resolve, 1));
      },
      onTaskEnd: () => {
        ends += 1;
      },
    };
    const fanout = createSinkFanout([slow], {
      timeoutMs: 1000,
      logger: createRecordingLogger(),
      maxPending: 5,
    });
    for (let index = 0; index < 50; index += 1) fanout.event(task, event(String(index)));
    for (let index = 0; index < 20; index += 1) fanout.taskEnd(task, { outcome: 'completed' });
    await fanout.idle();
    expect(events).toBe(6); // the one in flight plus five waiting
    expect(ends).toBe(20);
  });
});
