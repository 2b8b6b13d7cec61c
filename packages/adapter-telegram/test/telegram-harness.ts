import type { Task, TaskControl, TaskState, TaskStatusEntry } from '@codex-orchestrator/core';
import { createTelegramAdapter, type TelegramAdapter, type TelegramAdapterSettings } from '../src/index.js';
import { createFakeBotApi, type FakeBotApi } from '../src/testing/index.js';

/** The allowlisted user of the tests (private chat id = user id). */
export const owner = 111_111;
/** A user nobody allowlisted. */
export const stranger = 222_222;
/** A group chat (negative id, as in Telegram). */
export const group = -100_500;

/** One log line the adapter wrote. */
export interface LogLine {
  level: 'info' | 'warn' | 'error';
  message: string;
  details?: Record<string, unknown>;
}

/** A real adapter on a fake Bot API server, with a task iterator and a log. */
export interface Harness {
  telegram: FakeBotApi;
  adapter: TelegramAdapter;
  logs: LogLine[];
  /** The next task the source yields (rejects after `timeoutMs`). */
  nextTask(timeoutMs?: number): Promise<Task>;
  close(): Promise<void>;
}

/**
 * Starts a fake server (or uses `shared`, which it then does not close) and an adapter against it,
 * with fast throttling and short polls.
 */
export async function createHarness(
  settings: Partial<TelegramAdapterSettings> = {},
  shared?: FakeBotApi,
): Promise<Harness> {
  const server = shared ?? (await createFakeBotApi());
  const logs: LogLine[] = [];
  const log = (level: LogLine['level']) => (message: string, details?: Record<string, unknown>) => {
    logs.push(details === undefined ? { level, message } : { level, message, details });
  };
  const adapter = createTelegramAdapter({
    token: server.token,
    apiRoot: server.apiRoot,
    allowedUserIds: [owner],
    progressIntervalMs: 150,
    pollingTimeoutSeconds: 5,
    logger: { info: log('info'), warn: log('warn'), error: log('error') },
    env: {},
    ...settings,
  });
  await adapter.start();
  const controller = new AbortController();
  const iterator = adapter.source.tasks(controller.signal)[Symbol.asyncIterator]();
  return {
    telegram: server,
    adapter,
    logs,
    async nextTask(timeoutMs = 3000) {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no task within ${timeoutMs} ms`)), timeoutMs);
      });
      try {
        const result = await Promise.race([iterator.next(), timeout]);
        if (result.done) throw new Error('the task source ended');
        return result.value;
      } finally {
        clearTimeout(timer);
      }
    },
    async close() {
      controller.abort();
      await adapter.stop();
      if (shared === undefined) await server.close();
    },
  };
}

/** A TaskControl for tests: tasks are added by hand, cancellations recorded. */
export interface FakeControl extends TaskControl {
  add(task: Task, state?: TaskState): void;
  cancelled: string[];
}

/** Creates a fake dispatcher control surface. */
export function createFakeControl(): FakeControl {
  const entries: TaskStatusEntry[] = [];
  const cancelled: string[] = [];
  return {
    cancelled,
    add(task, state = 'running') {
      entries.push({ task, state });
    },
    list: () => entries.map((entry) => ({ ...entry })),
    cancel(taskId) {
      const entry = entries.find((candidate) => candidate.task.id === taskId);
      if (entry === undefined || (entry.state !== 'running' && entry.state !== 'queued')) return false;
      entry.state = 'cancelled';
      cancelled.push(taskId);
      return true;
    },
  };
}

/** The first message of the bot whose text matches `pattern` (a `waitFor` predicate). */
export function botSaid(telegram: FakeBotApi, pattern: RegExp) {
  return () => telegram.messages.find((message) => pattern.test(message.text));
}
