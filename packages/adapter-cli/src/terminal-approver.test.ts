import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createCollector } from './output/events.fixture.js';
import { createMergePrompter } from './terminal-approver.js';

const request = (branch: string, signal?: AbortSignal) => ({
  branch,
  worktree: branch,
  diffStat: ' a.ts | 2 +-',
  commit: 'abc1234',
  ...(signal === undefined ? {} : { signal }),
});

describe('createMergePrompter', () => {
  it('asks one question at a time and keeps answers typed ahead for the next one', async () => {
    const input = new PassThrough();
    const output = createCollector();
    const prompter = createMergePrompter({ input, output });
    input.write('y\nmaybe\nno\n');
    const first = prompter.ask(request('task-a'));
    const second = prompter.ask(request('task-b'));
    expect(await first).toBe(true);
    expect(await second).toBe(false); // "maybe" asked again, then "no"
    expect(output.text.match(/Merge\? \[y\/N\]/g)).toHaveLength(3);
    prompter.close();
  });

  it('answers no when the request is aborted or the input ends', async () => {
    const input = new PassThrough();
    const output = createCollector();
    const prompter = createMergePrompter({ input, output });
    const controller = new AbortController();
    const aborted = prompter.ask(request('task-a', controller.signal));
    await new Promise((resolve) => setImmediate(resolve));
    controller.abort();
    expect(await aborted).toBe(false);
    const ended = prompter.ask(request('task-b'));
    input.end();
    expect(await ended).toBe(false);
    expect(output.text).toContain('(no answer: not merged)');
  });
});
