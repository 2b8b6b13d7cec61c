import { appendFile, mkdir } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { errorMessage } from '../shared/error-message.js';
import type { TaskSink } from '../types.js';

/**
 * Machine-readable output: one JSON line per event (`{"kind":"event","taskId":...,"event":{...}}`)
 * and one per task end (`{"kind":"task-end","taskId":...,"outcome":...,"reportMarkdown":...}`).
 * Pass a file path (appended to, folders created) or a stream such as `process.stdout` (the CLI's
 * `--json`). Writes are ordered: the dispatcher calls a sink one call at a time.
 */
export function createJsonlTaskSink(target: string | NodeJS.WritableStream): TaskSink {
  let ready: Promise<unknown> | undefined;
  const path = typeof target === 'string' ? resolve(target) : undefined;

  async function writeLine(value: Record<string, unknown>): Promise<void> {
    const line = `${safeStringify(value)}\n`;
    if (path !== undefined) {
      ready ??= mkdir(dirname(path), { recursive: true });
      await ready;
      await appendFile(path, line);
      return;
    }
    const stream = target as NodeJS.WritableStream;
    if (!stream.write(line)) await new Promise((done) => stream.once('drain', done));
  }

  return {
    name: 'jsonl',
    onEvent(task, event) {
      return writeLine({ kind: 'event', taskId: task.id, source: task.source, event });
    },
    onTaskEnd(task, result) {
      return writeLine({ kind: 'task-end', taskId: task.id, source: task.source, ...result });
    },
  };
}

/** JSON of `value`; a value JSON cannot hold (a cycle, a BigInt) is replaced by a note, not thrown. */
function safeStringify(value: Record<string, unknown>): string {
  try {
    return JSON.stringify(value);
  } catch (error) {
    const { report: _report, event: _event, ...rest } = value;
    return JSON.stringify({
      ...rest,
      unserializable: errorMessage(error),
    });
  }
}
