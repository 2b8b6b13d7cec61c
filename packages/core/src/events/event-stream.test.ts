import { describe, expect, it } from 'vitest';
import type { OrchestratorEvent } from '../events.js';
import { createEventStream } from './event-stream.js';

const denied = (command: string) =>
  ({ type: 'command-denied', callId: 'c1', worktree: 'main', command, reason: 'no' }) as const;

async function collect(iterable: AsyncIterable<OrchestratorEvent>): Promise<OrchestratorEvent[]> {
  const events: OrchestratorEvent[] = [];
  for await (const event of iterable) events.push(event);
  return events;
}

describe('createEventStream', () => {
  it('stamps time and delivers to typed, once and onAny listeners', () => {
    const events = createEventStream();
    const typed: string[] = [];
    const once: string[] = [];
    const any: string[] = [];
    events.on('command-denied', (event) => typed.push(event.command));
    events.once('command-denied', (event) => once.push(event.command));
    events.onAny((event) => any.push(event.type));
    const emitted = events.emit(denied('git push'));
    events.emit(denied('git rebase'));
    events.emit({ type: 'error', code: 'x', message: 'boom' });
    expect(Date.parse(emitted.time)).not.toBeNaN();
    expect(typed).toEqual(['git push', 'git rebase']);
    expect(once).toEqual(['git push']);
    expect(any).toEqual(['command-denied', 'command-denied', 'error']);
  });

  it('removes listeners with off and with the returned function', () => {
    const events = createEventStream();
    const seen: string[] = [];
    const listener = (event: { command: string }) => void seen.push(event.command);
    events.on('command-denied', listener);
    const stopAny = events.onAny(() => void seen.push('any'));
    events.off('command-denied', listener);
    stopAny();
    events.emit(denied('a'));
    expect(seen).toEqual([]);
  });

  it('keeps delivering when a listener throws and reports the failure as an error event', async () => {
    const events = createEventStream();
    const errors: string[] = [];
    const seen: string[] = [];
    events.on('error', (event) => errors.push(event.code));
    events.on('command-denied', () => {
      throw new Error('listener bug');
    });
    events.on('command-denied', async () => {
      throw new Error('async bug');
    });
    events.on('command-denied', (event) => seen.push(event.command));
    events.on('error', () => {
      throw new Error('error listener bug is swallowed');
    });
    expect(() => events.emit(denied('ls'))).not.toThrow();
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(seen).toEqual(['ls']);
    expect(errors).toEqual(['event-listener-failed', 'event-listener-failed']);
  });

  it('gives every concurrent iterator every event emitted after it started, and ends on close', async () => {
    const events = createEventStream();
    events.emit(denied('before'));
    const first = collect(events);
    const second = collect(events.iterate());
    events.emit(denied('one'));
    events.emit(denied('two'));
    events.close();
    events.emit(denied('after close'));
    const commands = (list: OrchestratorEvent[]) =>
      list.map((event) => (event.type === 'command-denied' ? event.command : event.type));
    expect(commands(await first)).toEqual(['one', 'two']);
    expect(commands(await second)).toEqual(['one', 'two']);
    expect(await collect(events)).toEqual([]);
  });

  it('unsubscribes an iterator left with break, and ends one whose signal aborts', async () => {
    const events = createEventStream();
    const controller = new AbortController();
    const aborted = collect(events.iterate({ signal: controller.signal }));
    const broken = (async () => {
      for await (const event of events) return event.type;
    })();
    events.emit(denied('x'));
    expect(await broken).toBe('command-denied');
    controller.abort();
    expect(await aborted).toHaveLength(1);
  });

  it('bounds a slow consumer buffer and says how many events it dropped', async () => {
    const events = createEventStream();
    const iterator = events.iterate({ bufferSize: 2 });
    for (const command of ['a', 'b', 'c', 'd']) events.emit(denied(command));
    const overflow = await iterator.next();
    expect(overflow.value).toMatchObject({ type: 'error', code: 'event-stream-overflow' });
    expect((overflow.value as { message: string }).message).toMatch(/^2 events were dropped/);
    expect((await iterator.next()).value).toMatchObject({ command: 'c' });
    expect((await iterator.next()).value).toMatchObject({ command: 'd' });
    await iterator.return?.();
  });
});
