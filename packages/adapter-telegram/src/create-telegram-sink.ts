import { setTimeout as delay } from 'node:timers/promises';
import {
  orchestratorReportSchema,
  renderReportAppendix,
  type Task,
  type TaskOutcome,
  type TaskSink,
} from '@codex-orchestrator/core';
import { type Api, InputFile } from 'grammy';
import { describeTelegramError } from './describe-telegram-error.js';
import type { MergeApprovals } from './merge-approvals.js';
import { applyProgressEvent, finishProgressView, outcomeIcons, renderProgressView } from './progress-view.js';
import { splitTelegramText } from './split-telegram-text.js';
import type { TaskTracker, TrackedTask } from './task-tracker.js';
import type { TelegramAdapterLogger } from './telegram-adapter-logger.js';
import { TelegramError } from './telegram-error.js';

/** Options of `createTelegramSink`. */
export interface TelegramSinkOptions {
  name: string;
  api: Api;
  logger: TelegramAdapterLogger;
  tracker: TaskTracker;
  approvals: MergeApprovals;
  /** Reports longer than this are sent as `report.md`. */
  reportDocumentThreshold: number;
}

/** Telegram's limit for one message. */
const telegramLimit = 4096;

/**
 * The report's appendix (where things are, files per branch, tests and failures) shortened for a
 * chat message of at most `room` characters, cut at a line; empty when the result carries no
 * orchestrator report. The same data as the CLI's and the file report's appendix.
 */
function chatAppendix(report: unknown, room: number): string {
  const parsed = orchestratorReportSchema.safeParse(report);
  if (!parsed.success || room < 200) return '';
  const text = renderReportAppendix(parsed.data, { maxItems: 6, maxFilesPerBranch: 5 }).trim();
  if (text.length <= room) return text;
  const cut = text.slice(0, room - 2);
  return `${cut.slice(0, Math.max(0, cut.lastIndexOf('\n')))}\n…`;
}

/**
 * Creates the sink half of the adapter: progress edits from events, the final report, and merge
 * approvals, for tasks that came from this adapter's chats (other tasks are ignored). Telegram
 * failures are logged (described safely) and never thrown at the dispatcher.
 */
export function createTelegramSink(options: TelegramSinkOptions): TaskSink {
  const { api, logger, tracker } = options;

  const send = async (tracked: TrackedTask, text: string, reply: boolean) => {
    await api.sendMessage(
      tracked.chatId,
      text,
      reply && tracked.messageId !== undefined
        ? { reply_parameters: { message_id: tracked.messageId, allow_sending_without_reply: true } }
        : {},
    );
  };

  const sendReport = async (
    tracked: TrackedTask,
    result: { outcome: TaskOutcome; reportMarkdown?: string; error?: string; report?: unknown },
  ) => {
    const head = `${outcomeIcons[result.outcome] ?? '•'} Task ${tracked.label} ${result.outcome}${
      result.error ? `: ${result.error.slice(0, 500)}` : ''
    }`;
    const report = result.reportMarkdown?.trim() ?? '';
    if (report.length === 0) {
      await send(tracked, head, true);
    } else if (report.length > options.reportDocumentThreshold) {
      const lines = report.split('\n').length;
      const attached = `The report (${lines} lines) is attached as report.md.`;
      const where = chatAppendix(result.report, telegramLimit - head.length - attached.length - 4);
      await send(tracked, `${head}\n${where === '' ? '' : `\n${where}\n\n`}${attached}`, true);
      const file = new InputFile(Buffer.from(`${report}\n`, 'utf8'), 'report.md');
      await api.sendDocument(tracked.chatId, file, { caption: `Report · task ${tracked.label}` });
    } else {
      const chunks = splitTelegramText(`${head}\n\n${report}`);
      for (const [index, chunk] of chunks.entries()) await send(tracked, chunk, index === 0);
    }
  };

  return {
    name: options.name,

    onEvent(task, event) {
      const tracked = tracker.track(task);
      if (tracked === undefined) return;
      tracked.touched = true;
      applyProgressEvent(tracked.view, event);
      tracked.progress.update(renderProgressView(tracked.view));
    },

    async onTaskEnd(task, result) {
      const tracked = tracker.track(task);
      if (tracked === undefined) return;
      tracked.touched = true;
      try {
        finishProgressView(tracked.view, result.outcome, result.error);
        tracked.progress.update(renderProgressView(tracked.view));
        await tracked.progress.flush();
        await sendReport(tracked, result);
      } catch (error) {
        logger.error('could not send a task report', {
          taskId: task.id,
          error: describeTelegramError(error),
        });
      } finally {
        tracker.forget(task.id);
      }
    },

    async approveMerge(task, request) {
      const tracked = tracker.track(task);
      if (tracked === undefined) {
        throw new TelegramError(
          `Cannot ask for merge approval of task "${task.id}" in Telegram: it did not come from an allowlisted Telegram chat (source "${task.source}"); give approvals for other sources to another approver`,
          { code: 'telegram-approval-unroutable', kind: 'user', taskId: task.id },
        );
      }
      await tracked.progress.flush();
      const target = { chatId: tracked.chatId, label: tracked.label };
      return options.approvals.request(
        task,
        tracked.messageId === undefined ? target : { ...target, replyToMessageId: tracked.messageId },
        request,
      );
    },
  };
}

/**
 * The source's `ack`. The dispatcher acks a duplicate of a task that ended in an earlier process
 * (a message redelivered after a crash) without running it, so no sink call ever closes the
 * "queued" message the bot posted for it: close it here. Real runs are touched by their events
 * long before their ack; the short wait covers a run that ended without any event.
 */
export async function acknowledgeTelegramTask(
  tracker: TaskTracker,
  task: Task,
  outcome: TaskOutcome,
): Promise<void> {
  const tracked = tracker.track(task);
  if (tracked === undefined || tracked.touched) return;
  await delay(1000, undefined, { ref: false });
  if (tracked.touched) return;
  finishProgressView(
    tracked.view,
    outcome,
    'Handled before this message was delivered again; not run again.',
  );
  tracked.progress.update(renderProgressView(tracked.view));
  await tracked.progress.flush();
  tracker.forget(task.id);
}
