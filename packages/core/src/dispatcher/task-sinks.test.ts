import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import type { Task } from '../types.js';
import { createConsoleTaskSink } from './console-task-sink.js';
import { createJsonlTaskSink } from './jsonl-task-sink.js';

const task: Task = { id: 'env-1-abc', text: 'x', source: 'env' };
const time = '2026-01-01T12:03:04.000Z';

function capture() {
  const stream = new PassThrough();
  let output = '';
  stream.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  return { stream, output: () => output };
}

let dir: string | undefined;
afterEach(() => {
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
});

describe('createConsoleTaskSink', () => {
  it('prints plain lines, strips escape sequences from hostile text, and prints the report', async () => {
    const { stream, output } = capture();
    const sink = createConsoleTaskSink({ stream, color: false });
    await sink.onEvent?.(task, {
      type: 'task-start',
      time,
      taskId: task.id,
      source: 'env',
      attempt: 2,
      resume: true,
    });
    await sink.onEvent?.(task, {
      type: 'command-start',
      time,
      callId: 'c',
      worktree: 'main',
      command: 'git status\u001b]0;pwned\u0007\u001b[2J\nrm -rf /',
      dryRun: false,
    });
    await sink.onEvent?.(task, {
      type: 'worker-usage',
      time,
      workerRunId: 'w',
      worktree: 'main',
      usage: {} as never,
    });
    await sink.onTaskEnd?.(task, {
      outcome: 'failed',
      error: 'tests\u001b[31m failed',
      reportMarkdown: '# Report\n- merged',
    });
    const lines = output().split('\n');
    expect(lines.slice(0, 2)).toEqual([
      '12:03:04 [env-1-abc] started, attempt 2, resuming',
      '12:03:04 [env-1-abc] main $ git status rm -rf /',
    ]);
    expect(lines[2]).toMatch(/^\d\d:\d\d:\d\d \[env-1-abc\] failed: tests failed$/);
    expect(lines.slice(3)).toEqual(['# Report', '- merged', '']);
    expect(output()).not.toContain('\u001b');
  });

  it('prints a report with clear screen, window title, OSC 8, NUL, CR and C1 controls as plain text', async () => {
    const { stream, output } = capture();
    const sink = createConsoleTaskSink({ stream, color: false });
    const hostile =
      '\u001b[2J\u001b]0;title\u0007\u001b]8;;https://evil.example/\u001b\\link\u001b]8;;\u001b\\ a\u0000b c\rd \u009b2J\u009d0;t\u009c \u202eBIDI';
    await sink.onTaskEnd?.(task, {
      outcome: 'completed',
      reportMarkdown: `# Report\n\nSummary: ${hostile}\n- task: ${hostile}`,
    });
    const text = output();
    expect(text).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e]/);
    expect(text).toContain('Summary: link ab cd  BIDI');
    expect(text).not.toContain('evil.example');
  });

  it('prints other event types with their well-known fields, and chatty ones only when verbose', async () => {
    const quiet = capture();
    const loud = capture();
    const merge = {
      type: 'merge-end',
      time,
      branch: 'task-x',
      status: 'merged',
      diff: { big: true },
    } as never;
    const message = {
      type: 'worker-message',
      time,
      workerRunId: 'w',
      worktree: 'x',
      kind: 'message',
      text: 'hi',
    };
    for (const [output, verbose] of [
      [quiet, false],
      [loud, true],
    ] as const) {
      const sink = createConsoleTaskSink({ stream: output.stream, color: false, verbose });
      await sink.onEvent?.(task, merge);
      await sink.onEvent?.(task, message as never);
    }
    expect(quiet.output()).toBe('12:03:04 [env-1-abc] merge-end branch=task-x status=merged\n');
    expect(loud.output().split('\n')[1]).toBe('12:03:04 [env-1-abc] worker-message worktree=x text=hi');
  });

  it('colours outcomes only when asked or on a TTY without NO_COLOR', async () => {
    const coloured = capture();
    await createConsoleTaskSink({ stream: coloured.stream, color: true }).onTaskEnd?.(task, {
      outcome: 'completed',
    });
    expect(coloured.output()).toContain('\u001b[32mcompleted\u001b[0m');
    const tty = Object.assign(capture().stream, { isTTY: true });
    const previous = process.env.NO_COLOR;
    process.env.NO_COLOR = '1';
    try {
      let written = '';
      tty.on('data', (chunk: Buffer) => {
        written += chunk.toString();
      });
      await createConsoleTaskSink({ stream: tty }).onTaskEnd?.(task, { outcome: 'completed' });
      expect(written).not.toContain('\u001b');
    } finally {
      if (previous === undefined) delete process.env.NO_COLOR;
      else process.env.NO_COLOR = previous;
    }
  });
});

describe('createJsonlTaskSink', () => {
  it('appends one JSON line per event and per task end to a file', async () => {
    dir = mkdtempSync(join(tmpdir(), 'jsonl-sink-'));
    const path = join(dir, 'logs', 'events.jsonl');
    const sink = createJsonlTaskSink(path);
    await sink.onEvent?.(task, {
      type: 'task-start',
      time,
      taskId: task.id,
      source: 'env',
      attempt: 1,
      resume: false,
    });
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    await sink.onTaskEnd?.(task, { outcome: 'completed', reportMarkdown: '# ok', report: circular });
    const lines = readFileSync(path, 'utf8')
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(lines[0]).toEqual({
      kind: 'event',
      taskId: task.id,
      source: 'env',
      event: { type: 'task-start', time, taskId: task.id, source: 'env', attempt: 1, resume: false },
    });
    expect(lines[1]).toMatchObject({
      kind: 'task-end',
      taskId: task.id,
      outcome: 'completed',
      reportMarkdown: '# ok',
    });
    expect(lines[1].unserializable).toMatch(/circular/i);
  });

  it('writes to a stream such as stdout', async () => {
    const { stream, output } = capture();
    const sink = createJsonlTaskSink(stream);
    await sink.onTaskEnd?.(task, { outcome: 'cancelled' });
    expect(JSON.parse(output())).toEqual({
      kind: 'task-end',
      taskId: task.id,
      source: 'env',
      outcome: 'cancelled',
    });
  });
});
