import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TaskJournalError } from './dispatcher-errors.js';
import { createFileTaskStore } from './file-task-store.js';
import type { TaskJournalRecord } from './task-journal.js';
import { createRecordingLogger } from './test-helpers.js';

const time = '2026-01-01T00:00:00.000Z';
const receive = (id: string): TaskJournalRecord => ({
  v: 1,
  type: 'task-receive',
  time,
  task: { id, text: `text of ${id}`, source: 'memory' },
});
const start = (id: string, attempt = 1): TaskJournalRecord => ({
  v: 1,
  type: 'task-start',
  time,
  taskId: id,
  attempt,
  resume: false,
});
const end = (id: string): TaskJournalRecord => ({
  v: 1,
  type: 'task-end',
  time,
  taskId: id,
  outcome: 'completed',
});

let dir: string;
let path: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'file-task-store-'));
  path = join(dir, 'state', 'journal.jsonl');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('createFileTaskStore', () => {
  it('appends one JSON line per record and replays them into task states', async () => {
    const store = createFileTaskStore(path, { logger: createRecordingLogger() });
    expect(await store.load()).toEqual([]);
    await Promise.all([receive('a'), receive('b'), receive('c')].map((record) => store.append(record)));
    await store.append(start('a'));
    await store.append(end('a'));
    await store.append(start('b'));
    await store.close();
    const lines = readFileSync(path, 'utf8').trimEnd().split('\n');
    expect(lines).toHaveLength(6);
    expect(JSON.parse(lines[0]!)).toEqual(receive('a'));

    const reopened = createFileTaskStore(path, { logger: createRecordingLogger() });
    const entries = await reopened.load();
    expect(entries.map((entry) => [entry.taskId, entry.state, entry.attempts])).toEqual([
      ['a', 'completed', 1],
      ['b', 'running', 1],
      ['c', 'queued', 0],
    ]);
    expect(entries[0]?.task).toBeUndefined();
    expect(entries[1]?.task?.text).toBe('text of b');
    await reopened.close();
  });

  it('drops a torn last line with a warning and truncates it away', async () => {
    const logger = createRecordingLogger();
    path = join(dir, 'journal.jsonl');
    writeFileSync(
      path,
      `${JSON.stringify(receive('a'))}\n${JSON.stringify(start('a'))}\n{"v":1,"type":"task-e`,
    );
    const store = createFileTaskStore(path, { logger });
    const entries = await store.load();
    expect(entries.map((entry) => entry.state)).toEqual(['running']);
    expect(logger.lines).toHaveLength(1);
    expect(logger.lines[0]).toMatch(/ends with a torn record \(21 bytes/);
    await store.append(end('a'));
    await store.close();
    const lines = readFileSync(path, 'utf8').trimEnd().split('\n');
    expect(lines.map((line) => JSON.parse(line).type)).toEqual(['task-receive', 'task-start', 'task-end']);
  });

  it('refuses a journal with a corrupt record in the middle, naming the line', async () => {
    path = join(dir, 'journal.jsonl');
    writeFileSync(path, `${JSON.stringify(receive('a'))}\nnot json at all\n${JSON.stringify(end('a'))}\n`);
    const store = createFileTaskStore(path, { logger: createRecordingLogger() });
    const error = await store.load().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(TaskJournalError);
    expect((error as TaskJournalError).line).toBe(2);
    expect((error as Error).message).toMatch(/line 2 \(not a JSON object\)\. Fix or delete that line/);
    // The failed load released the lock, so a fixed journal can be opened.
    writeFileSync(path, `${JSON.stringify(receive('a'))}\n`);
    const fixed = createFileTaskStore(path);
    expect(await fixed.load()).toHaveLength(1);
    await fixed.close();
  });

  it('refuses records written by a newer version', async () => {
    path = join(dir, 'journal.jsonl');
    writeFileSync(path, `${JSON.stringify({ ...receive('a'), v: 2 })}\n`);
    await expect(createFileTaskStore(path, { logger: createRecordingLogger() }).load()).rejects.toThrow(
      /written by a newer version \(record version 2, this one reads 1\)/,
    );
  });

  it('locks the journal against a second live dispatcher and takes over a dead owner’s lock', async () => {
    const first = createFileTaskStore(path, { logger: createRecordingLogger() });
    await first.load();
    const second = createFileTaskStore(path, { logger: createRecordingLogger() });
    await expect(second.load()).rejects.toThrow(/already open in this process/);
    await first.close();
    const deadPid = spawnSync(process.execPath, ['-e', '0']).pid;
    writeFileSync(`${path}.lock`, `${deadPid}\n`);
    const third = createFileTaskStore(path, { logger: createRecordingLogger() });
    await third.load();
    expect(JSON.parse(readFileSync(`${path}.lock`, 'utf8')).pid).toBe(process.pid);
    await third.close();
    writeFileSync(`${path}.lock`, `${process.ppid}\n`);
    await expect(createFileTaskStore(path).load()).rejects.toThrow(
      new RegExp(`in use by process ${process.ppid}\\. Stop that dispatcher`),
    );
  });

  it('compacts the journal once it outgrows its live content, keeping every state', async () => {
    const store = createFileTaskStore(path, { logger: createRecordingLogger(), compactAfterRecords: 20 });
    await store.load();
    for (let index = 0; index < 10; index += 1) {
      const id = `t${index}`;
      await store.append(receive(id));
      await store.append(start(id));
      if (index < 9) await store.append(end(id));
    }
    await store.append(receive('queued'));
    await store.close();
    const lines = readFileSync(path, 'utf8').trimEnd().split('\n');
    expect(lines.length).toBeLessThan(20);
    const reopened = createFileTaskStore(path, { logger: createRecordingLogger() });
    const states = Object.fromEntries((await reopened.load()).map((entry) => [entry.taskId, entry.state]));
    await reopened.close();
    expect(states).toMatchObject({ t0: 'completed', t8: 'completed', t9: 'running', queued: 'queued' });
    expect(Object.keys(states)).toHaveLength(11);
  });

  it('rejects a record that cannot be serialised without failing the others of its batch', async () => {
    const store = createFileTaskStore(path, { logger: createRecordingLogger() });
    await store.load();
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    const bad = {
      ...receive('bad'),
      task: { id: 'bad', text: 'x', source: 'm', metadata: circular },
    } as const;
    const results = await Promise.allSettled([store.append(receive('good')), store.append(bad)]);
    expect(results.map((result) => result.status)).toEqual(['fulfilled', 'rejected']);
    await store.close();
    expect(readFileSync(path, 'utf8').trimEnd().split('\n')).toHaveLength(1);
  });
});
