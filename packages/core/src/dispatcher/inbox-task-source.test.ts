import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DispatcherConfigurationError } from './dispatcher-errors.js';
import { createRecordingSink } from './dispatcher-recorders.fixture.js';
import { createInboxTaskSource } from './inbox-task-source.js';
import { createTaskDispatcher } from './task-dispatcher.js';

let root: string;
let inbox: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'inbox-source-'));
  inbox = join(root, 'inbox');
  mkdirSync(inbox);
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('createInboxTaskSource', () => {
  it('runs each finished task file and moves it to done/ or failed/', async () => {
    writeFileSync(join(inbox, 'b-fix-login.md'), '\uFEFFFix the login test\n');
    writeFileSync(join(inbox, 'a-health.txt'), 'Add a /health endpoint');
    writeFileSync(join(inbox, 'notes.md.tmp'), 'still being written');
    writeFileSync(join(inbox, '.hidden.md'), 'editor swap file');
    writeFileSync(join(inbox, 'image.png'), 'not a task');
    mkdirSync(join(inbox, 'folder.md'));
    const source = createInboxTaskSource({ dir: inbox, pollIntervalMs: 10, stopWhenEmpty: true });
    const sink = createRecordingSink();
    const texts: string[] = [];
    const dispatcher = createTaskDispatcher({
      sources: [source],
      sinks: [sink],
      store: join(root, 'journal.jsonl'),
      run: async (task) => {
        texts.push(task.text);
        return { outcome: task.text.startsWith('Fix') ? 'failed' : 'completed' };
      },
    });
    await dispatcher.start();
    await dispatcher.drain();
    await dispatcher.stop();
    expect(texts).toEqual(['Add a /health endpoint', 'Fix the login test']);
    expect(sink.ends[0]?.task.id).toMatch(/^inbox-a-health\.txt-[0-9a-f]{12}$/);
    expect(readdirSync(join(inbox, 'done'))).toEqual(['a-health.txt']);
    expect(readdirSync(join(inbox, 'failed'))).toEqual(['b-fix-login.md']);
    expect(readdirSync(inbox).sort()).toEqual([
      '.hidden.md',
      'done',
      'failed',
      'folder.md',
      'image.png',
      'notes.md.tmp',
    ]);
  });

  it('waits until a file stops changing before reading it', async () => {
    const source = createInboxTaskSource({ dir: inbox, pollIntervalMs: 30 });
    const controller = new AbortController();
    const iterator = source.tasks(controller.signal)[Symbol.asyncIterator]();
    writeFileSync(join(inbox, 'growing.md'), 'part one');
    const next = iterator.next();
    await new Promise((resolve) => setTimeout(resolve, 15));
    writeFileSync(join(inbox, 'growing.md'), 'part one, part two, and the end');
    const first = await next;
    expect(first.value?.text).toBe('part one, part two, and the end');
    controller.abort();
  });

  it('moves oversized and empty files to failed/ with a note instead of running them', async () => {
    writeFileSync(join(inbox, 'huge.md'), 'x'.repeat(2000));
    writeFileSync(join(inbox, 'empty.md'), '  \n');
    const source = createInboxTaskSource({
      dir: inbox,
      pollIntervalMs: 5,
      maxFileBytes: 1000,
      stopWhenEmpty: true,
    });
    const delivered: string[] = [];
    for await (const task of source.tasks(new AbortController().signal)) delivered.push(task.id);
    expect(delivered).toEqual([]);
    expect(readdirSync(join(inbox, 'failed')).sort()).toEqual([
      'empty.md',
      'empty.md.error.txt',
      'huge.md',
      'huge.md.error.txt',
    ]);
    expect(readFileSync(join(inbox, 'failed', 'huge.md.error.txt'), 'utf8')).toMatch(
      /2000 bytes; the inbox takes at most 1000/,
    );
  });

  it('acks idempotently, keeps an older done file, and ignores names that leave the inbox', async () => {
    const source = createInboxTaskSource({ dir: inbox });
    mkdirSync(join(inbox, 'done'));
    writeFileSync(join(inbox, 'done', 'task.md'), 'older run');
    writeFileSync(join(inbox, 'task.md'), 'newer run');
    const task = { id: 'inbox-task', text: 'newer run', source: 'inbox', metadata: { file: 'task.md' } };
    await source.ack?.(task, 'completed');
    await source.ack?.(task, 'completed');
    const done = readdirSync(join(inbox, 'done')).sort();
    expect(done).toHaveLength(2);
    expect(readFileSync(join(inbox, 'done', 'task.md'), 'utf8')).toBe('older run');
    writeFileSync(join(root, 'outside.md'), 'not in the inbox');
    await source.ack?.({ ...task, metadata: { file: '../outside.md' } }, 'completed');
    expect(existsSync(join(root, 'outside.md'))).toBe(true);
  });

  it('names the missing folder and how to create it', () => {
    const missing = join(root, 'nope');
    expect(() => createInboxTaskSource({ dir: missing })).toThrow(DispatcherConfigurationError);
    expect(() => createInboxTaskSource({ dir: missing })).toThrow(
      `The inbox folder ${missing} does not exist`,
    );
    expect(() => createInboxTaskSource({ dir: missing })).toThrow(`mkdir -p ${missing}`);
  });
});
