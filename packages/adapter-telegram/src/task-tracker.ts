import type { Task } from '@codex-orchestrator/core';
import type { Api } from 'grammy';
import { createProgressMessage, type ProgressMessage } from './progress-message.js';
import { createProgressView, type ProgressView } from './progress-view.js';
import type { TelegramAdapterLogger } from './telegram-adapter-logger.js';

/** What the adapter keeps per task it reports on. */
export interface TrackedTask {
  task: Task;
  chatId: number;
  /** The user's message that created the task, when known. */
  messageId?: number;
  /** How the chat refers to the task: `#<message id>`. */
  label: string;
  view: ProgressView;
  progress: ProgressMessage;
  /** True once the dispatcher reported anything about the task (an event or its end). */
  touched: boolean;
}

/** Options of `createTaskTracker`. */
export interface TaskTrackerOptions {
  api: Api;
  logger: TelegramAdapterLogger;
  sourceName: string;
  progressIntervalMs: number;
  /** Chats the sink may write to: allowlisted users' private chats and configured groups. */
  isAllowedChat(chatId: number): boolean;
}

/** The tasks the adapter reports on, keyed by task id. */
export interface TaskTracker {
  /**
   * The tracked task, created from `task.metadata` when needed; undefined for foreign tasks and
   * for tasks already ended here (a late event must not open a second progress message).
   */
  track(task: Task): TrackedTask | undefined;
  /** Stops tracking a task that ended. */
  forget(taskId: string): void;
  all(): TrackedTask[];
}

/** The stable task id of a chat message: redeliveries of the same message map to the same id. */
export function telegramTaskId(sourceName: string, chatId: number, messageId: number): string {
  return `${sourceName}:${chatId}:${messageId}`;
}

/**
 * Creates the tracker. Tasks created by this adapter are tracked from intake; after a restart the
 * dispatcher may resume a task this process never saw, so it is rebuilt from `task.metadata`.
 */
export function createTaskTracker(options: TaskTrackerOptions): TaskTracker {
  const tracked = new Map<string, TrackedTask>();
  const ended = new Set<string>();
  return {
    track(task) {
      const existing = tracked.get(task.id);
      if (existing !== undefined) return existing;
      if (task.source !== options.sourceName || ended.has(task.id)) return undefined;
      // Numbers as the intake set them; strings after a trip through the service store.
      const chatId = asId(task.metadata?.['chatId']);
      const messageId = asId(task.metadata?.['messageId']);
      if (typeof chatId !== 'number' || !options.isAllowedChat(chatId)) {
        options.logger.warn('not reporting on a task whose chat is not allowlisted', { taskId: task.id });
        return undefined;
      }
      const entry: TrackedTask = {
        task,
        chatId,
        label: typeof messageId === 'number' ? `#${messageId}` : task.id,
        view: createProgressView(typeof messageId === 'number' ? `#${messageId}` : task.id, task.text),
        progress: createProgressMessage({
          api: options.api,
          chatId,
          intervalMs: options.progressIntervalMs,
          logger: options.logger,
          ...(typeof messageId === 'number' ? { replyToMessageId: messageId } : {}),
        }),
        touched: false,
      };
      if (typeof messageId === 'number') entry.messageId = messageId;
      tracked.set(task.id, entry);
      return entry;
    },
    forget(taskId) {
      tracked.get(taskId)?.progress.dispose();
      tracked.delete(taskId);
      ended.add(taskId);
      if (ended.size > 10_000) ended.delete(ended.values().next().value as string);
    },
    all: () => [...tracked.values()],
  };
}

/** A Telegram id from task metadata: a safe integer, or its decimal string. */
function asId(value: unknown): number | undefined {
  const id = typeof value === 'string' && /^-?\d{1,16}$/.test(value) ? Number(value) : value;
  return typeof id === 'number' && Number.isSafeInteger(id) ? id : undefined;
}
