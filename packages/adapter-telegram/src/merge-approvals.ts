import { randomBytes } from 'node:crypto';
import type { MergeApprovalRequest, Task, TaskControl } from '@codex-orchestrator/core';
import { type Api, InputFile } from 'grammy';
import type { CallbackQuery } from 'grammy/types';
import { describeTelegramError } from './describe-telegram-error.js';
import type { TelegramAdapterLogger } from './telegram-adapter-logger.js';
import { TelegramError } from './telegram-error.js';

/** Options of `createMergeApprovals`. */
export interface MergeApprovalsOptions {
  api: Api;
  logger: TelegramAdapterLogger;
  control: () => TaskControl | undefined;
  timeoutMs?: number;
}

/** Where to ask: the task's chat, and the label the chat knows the task by. */
export interface ApprovalTarget {
  chatId: number;
  label: string;
  replyToMessageId?: number;
}

/** Merge approvals asked with inline keyboards, resolved by button presses. */
export interface MergeApprovals {
  request(task: Task, target: ApprovalTarget, request: MergeApprovalRequest): Promise<boolean>;
  /** Handles a press of one of our buttons (the presser is already authorized). */
  handlePress(query: CallbackQuery): Promise<void>;
  /** Rejects every pending approval (the adapter is stopping); resolves when the messages say so. */
  rejectAll(error: Error): Promise<void>;
}

interface Pending {
  id: string;
  taskId: string;
  chatId: number;
  messageId: number;
  text: string;
  /** Settles the promise and edits the message; resolves when the edit is done (or failed). */
  finish(outcome: { approved: boolean; note: string } | { error: Error; note: string }): Promise<void>;
}

/** Callback data: `m:<8 random url-safe chars>:<a|r|c>`, 12 bytes, far below Telegram's 64. */
export const approvalDataPattern = /^m:([A-Za-z0-9_-]{8}):([arc])$/;
const diffStatInline = 2500;

/** Creates the approval flow used by the sink's `approveMerge`. */
export function createMergeApprovals(options: MergeApprovalsOptions): MergeApprovals {
  const pending = new Map<string, Pending>();

  const settle = async (entry: Pending, result: boolean | Error, note: string) => {
    if (!pending.delete(entry.id)) return;
    await entry.finish(result instanceof Error ? { error: result, note } : { approved: result, note });
  };

  return {
    async request(task, target, request) {
      const id = randomBytes(6).toString('base64url');
      const text = approvalText(target.label, request);
      const keyboard = {
        inline_keyboard: [
          [
            { text: '✅ Approve merge', callback_data: `m:${id}:a` },
            { text: '❌ Reject', callback_data: `m:${id}:r` },
          ],
          [{ text: '🛑 Cancel task', callback_data: `m:${id}:c` }],
        ],
      };
      if (request.signal?.aborted) throw withdrawnError(request);
      let message: { message_id: number };
      try {
        message = await options.api.sendMessage(target.chatId, text, {
          reply_markup: keyboard,
          ...(target.replyToMessageId === undefined
            ? {}
            : {
                reply_parameters: { message_id: target.replyToMessageId, allow_sending_without_reply: true },
              }),
        });
        if (request.diffStat.length > diffStatInline) {
          const file = new InputFile(
            Buffer.from(request.diffStat, 'utf8'),
            `diffstat-${safeName(request.branch)}.txt`,
          );
          await options.api.sendDocument(target.chatId, file, {
            caption: `Full diff stat of ${request.branch}`,
          });
        }
      } catch (error) {
        // Never the raw grammY error as cause: its inner error may carry the request URL.
        throw new TelegramError(
          `Could not ask for merge approval in Telegram: ${describeTelegramError(error)}`,
          {
            code: 'telegram-approval-send-failed',
            taskId: task.id,
          },
        );
      }
      return new Promise<boolean>((resolve, reject) => {
        let timer: NodeJS.Timeout | undefined;
        const entry: Pending = {
          id,
          taskId: task.id,
          chatId: target.chatId,
          messageId: message.message_id,
          text,
          finish(outcome) {
            if (timer !== undefined) clearTimeout(timer);
            request.signal?.removeEventListener('abort', onAbort);
            if ('error' in outcome) reject(outcome.error);
            else resolve(outcome.approved);
            // Editing without reply_markup removes the keyboard, so nobody presses twice.
            return options.api
              .editMessageText(target.chatId, message.message_id, `${text}\n\n${outcome.note}`)
              .then(
                () => undefined,
                (error: unknown) => {
                  options.logger.warn('could not update an approval message', {
                    error: describeTelegramError(error),
                  });
                },
              );
          },
        };
        const onAbort = () =>
          void settle(entry, withdrawnError(request), '⏹ Withdrawn: the run no longer waits for it.');
        pending.set(id, entry);
        request.signal?.addEventListener('abort', onAbort, { once: true });
        // The run may have been aborted while the question was on its way.
        if (request.signal?.aborted) onAbort();
        if (options.timeoutMs !== undefined) {
          const wait =
            options.timeoutMs >= 1000
              ? `${Math.round(options.timeoutMs / 1000)} s`
              : `${options.timeoutMs} ms`;
          timer = setTimeout(
            () => void settle(entry, false, `⌛ No answer within ${wait}: not merged.`),
            options.timeoutMs,
          );
        }
      });
    },

    async handlePress(query) {
      const match = approvalDataPattern.exec(query.data ?? '');
      const entry = match === null ? undefined : pending.get(match[1]!);
      const chatId = query.message?.chat.id;
      if (
        match === null ||
        entry === undefined ||
        chatId !== entry.chatId ||
        query.message?.message_id !== entry.messageId
      ) {
        await options.api.answerCallbackQuery(query.id, { text: 'This approval is no longer pending.' });
        // A keyboard left over from before a restart: take it away so nobody presses it again.
        if (match !== null && entry === undefined && chatId !== undefined && query.message !== undefined) {
          await options.api.editMessageReplyMarkup(chatId, query.message.message_id).catch(() => undefined);
        }
        return;
      }
      const who = `${query.from.first_name} (${query.from.id})`;
      const action = match[2] as 'a' | 'r' | 'c';
      const answers = { a: 'Merge approved', r: 'Merge rejected', c: 'Task cancelled' };
      // Answer first: Telegram shows a spinner on the button until the query is answered.
      await options.api.answerCallbackQuery(query.id, { text: answers[action] });
      if (action === 'a') await settle(entry, true, `✅ Approved by ${who}.`);
      else if (action === 'r')
        await settle(entry, false, `❌ Rejected by ${who}: the branch stays unmerged.`);
      else {
        const cancelled = options.control()?.cancel(entry.taskId) ?? false;
        const note = cancelled
          ? `🛑 Task cancelled by ${who}.`
          : `❌ Not merged: ${who} asked to cancel the task, but it is not running here.`;
        await settle(entry, false, note);
      }
    },

    async rejectAll(error) {
      await Promise.all(
        [...pending.values()].map((entry) => settle(entry, error, '⏹ Withdrawn: the bot stopped.')),
      );
    },
  };
}

function withdrawnError(request: MergeApprovalRequest): TelegramError {
  return new TelegramError(
    `Merge approval for branch "${request.branch}" was withdrawn: the run was aborted`,
    {
      code: 'telegram-approval-withdrawn',
      ...(request.taskId === undefined ? {} : { taskId: request.taskId }),
    },
  );
}

function approvalText(label: string, request: MergeApprovalRequest): string {
  const lines = [
    `🔀 Merge approval · task ${label}`,
    `Branch: ${request.branch} (worktree ${request.worktree})`,
  ];
  if (request.review)
    lines.push(`Review: ${request.review.verdict}: ${request.review.summary.slice(0, 600)}`);
  const stat = request.diffStat.trim();
  if (stat.length > 0) {
    const shown =
      stat.length > diffStatInline ? `${stat.slice(0, diffStatInline)}\n… (full diff stat attached)` : stat;
    lines.push('', shown);
  }
  // Room is left for the decision line appended later (a message holds 4096 characters).
  return lines.join('\n').slice(0, 3500);
}

function safeName(branch: string): string {
  return branch.replace(/[^A-Za-z0-9._-]+/g, '-').slice(0, 60) || 'branch';
}
