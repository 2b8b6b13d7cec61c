import type { OrchestratorService, StoredApproval, StoredTask } from '@codex-orchestrator/core/service';
import type { Api } from 'grammy';
import type { CallbackQuery } from 'grammy/types';
import { describeTelegramError } from './describe-telegram-error.js';
import { telegramTaskId } from './task-tracker.js';
import type { TelegramAdapterLogger } from './telegram-adapter-logger.js';

/**
 * What the bot needs from `orchestrator serve` (an `OrchestratorService` has all of it): the
 * store to look up tasks and approvals, decisions, project answers, and `/status` / `/cancel`.
 */
export type TelegramServiceHandle = Pick<OrchestratorService, 'tasks' | 'answerProject'> & {
  readonly store: Pick<OrchestratorService['store'], 'getTask' | 'getApproval'>;
  readonly control: Pick<OrchestratorService['control'], 'decide' | 'projects'>;
};

/** Options of `createServiceBridge`. */
export interface ServiceBridgeOptions {
  api: Api;
  logger: TelegramAdapterLogger;
  sourceName: string;
  /** Where approvals of tasks from other sources (API, inbox, trackers) are asked, if anywhere. */
  approvalChatId?: number;
  service(): TelegramServiceHandle | undefined;
}

/** The bot's side of `orchestrator serve`: durable approval buttons and "which project?" answers. */
export interface ServiceBridge {
  /** Sends an approval with buttons that name the durable approval, so they work after restarts. */
  notifyApproval(approval: StoredApproval): Promise<void>;
  /** Asks the chat a task came from which project it is for, with a button per project. */
  askProject(task: StoredTask, question: string): Promise<void>;
  /** Handles a press of a service button; false when `query` is not one (another handler's). */
  handlePress(query: CallbackQuery): Promise<boolean>;
}

/** `d:<a|r>:<approval id>`: the id is the durable approval's, the same after a restart. */
const durableApprovalData = /^d:([ar]):(approval-[0-9a-f]{20})$/;
/** `p:<message id of the task>:<project name>`; names are at most 40 characters. */
const projectAnswerData = /^p:(\d{1,12}):([a-z0-9][a-z0-9-]{0,39})$/;
const diffStatInline = 2500;

/**
 * Creates the bridge. Nothing in it lives only in memory: a button sent before a restart carries
 * everything its press needs (the approval id, or the task's message id and the project), and the
 * service's store says whether the approval is still pending, so pressing Approve twice, or after
 * a decision made through the API, merges at most once.
 */
export function createServiceBridge(options: ServiceBridgeOptions): ServiceBridge {
  const { api, logger } = options;

  /** The chat of a task this bot created, or undefined for other sources. */
  const chatOf = (task: StoredTask | undefined) => {
    if (task === undefined || task.source !== options.sourceName) return undefined;
    const chatId = Number(task.metadata['chatId']);
    const messageId = Number(task.metadata['messageId']);
    if (!Number.isSafeInteger(chatId)) return undefined;
    return { chatId, ...(Number.isSafeInteger(messageId) ? { messageId } : {}) };
  };

  const replyTo = (messageId: number | undefined) =>
    messageId === undefined
      ? {}
      : { reply_parameters: { message_id: messageId, allow_sending_without_reply: true } };

  const removeKeyboard = async (query: CallbackQuery, note: string) => {
    const message = query.message;
    if (message === undefined) return;
    const text = 'text' in message && typeof message.text === 'string' ? message.text : '';
    await api
      .editMessageText(message.chat.id, message.message_id, `${text}\n\n${note}`.slice(0, 4096))
      .catch((error: unknown) =>
        logger.warn('could not update a service message', { error: describeTelegramError(error) }),
      );
  };

  return {
    async notifyApproval(approval) {
      const service = options.service();
      const task = await service?.store.getTask(approval.taskId);
      const target =
        chatOf(task) ??
        (options.approvalChatId === undefined ? undefined : { chatId: options.approvalChatId });
      if (target === undefined) {
        // A task of another source (a tracker asks on its issue) and no approvalChatId.
        logger.info?.('a merge waits for approval outside Telegram (its source or the API decides it)', {
          approvalId: approval.id,
          taskId: approval.taskId,
        });
        return;
      }
      const label =
        'messageId' in target && target.messageId !== undefined ? `#${target.messageId}` : approval.taskId;
      await api.sendMessage(target.chatId, durableApprovalText(label, approval), {
        reply_markup: {
          inline_keyboard: [
            [
              { text: '✅ Approve merge', callback_data: `d:a:${approval.id}` },
              { text: '❌ Reject', callback_data: `d:r:${approval.id}` },
            ],
          ],
        },
        ...replyTo('messageId' in target ? target.messageId : undefined),
      });
    },

    async askProject(task, question) {
      const target = chatOf(task);
      const service = options.service();
      if (target === undefined || service === undefined) return;
      const buttons =
        target.messageId === undefined
          ? []
          : service.control
              .projects()
              .slice(0, 12)
              .map((project) => ({
                text: project.name,
                callback_data: `p:${target.messageId}:${project.name}`,
              }));
      await api.sendMessage(target.chatId, buttons.length > 0 ? `${question}\nOr tap a project:` : question, {
        ...(buttons.length === 0 ? {} : { reply_markup: { inline_keyboard: chunk(buttons, 3) } }),
        ...replyTo(target.messageId),
      });
    },

    async handlePress(query) {
      const data = query.data ?? '';
      const approvalMatch = durableApprovalData.exec(data);
      const projectMatch = approvalMatch === null ? projectAnswerData.exec(data) : null;
      if (approvalMatch === null && projectMatch === null) return false;
      const service = options.service();
      if (service === undefined) {
        await api.answerCallbackQuery(query.id, {
          text: 'The service is not running yet; try again shortly.',
        });
        return true;
      }
      const who = `${query.from.first_name} (${query.from.id})`;
      if (approvalMatch !== null) {
        const approve = approvalMatch[1] === 'a';
        const approvalId = approvalMatch[2] as string;
        const approval = await service.store.getApproval(approvalId);
        if (approval === undefined || approval.state !== 'pending') {
          const state =
            approval === undefined
              ? 'unknown'
              : `already ${approval.state}${approval.decidedBy ? ` by ${approval.decidedBy}` : ''}`;
          await api.answerCallbackQuery(query.id, { text: `This approval is ${state}.` });
          await removeKeyboard(query, `ℹ️ This approval is ${state}.`);
          return true;
        }
        const result = await service.control.decide(approvalId, {
          approve,
          commit: approval.commit,
          by: `telegram:${query.from.id}`,
        });
        if (!result.ok) {
          await api.answerCallbackQuery(query.id, { text: `Not decided: ${result.reason}.` });
          await removeKeyboard(query, `ℹ️ Not decided here: ${result.reason}.`);
          return true;
        }
        await api.answerCallbackQuery(query.id, { text: approve ? 'Merge approved' : 'Merge rejected' });
        await removeKeyboard(
          query,
          approve ? `✅ Approved by ${who}.` : `❌ Rejected by ${who}: the branch stays unmerged.`,
        );
        return true;
      }
      const chatId = query.message?.chat.id;
      const [, messageId, project] = projectMatch as RegExpExecArray;
      if (chatId === undefined) {
        await api.answerCallbackQuery(query.id, { text: 'This button is no longer valid.' });
        return true;
      }
      const taskId = telegramTaskId(options.sourceName, chatId, Number(messageId));
      try {
        await service.answerProject(taskId, project as string);
      } catch (error) {
        const reason = describeTelegramError(error);
        await api.answerCallbackQuery(query.id, { text: reason.slice(0, 190) });
        await removeKeyboard(query, `ℹ️ ${reason}`);
        return true;
      }
      await api.answerCallbackQuery(query.id, { text: `Runs in ${project}` });
      await removeKeyboard(query, `➡️ ${who} chose ${project}: the task is queued there.`);
      return true;
    },
  };
}

function durableApprovalText(label: string, approval: StoredApproval): string {
  const details = (approval.details ?? {}) as {
    diffStat?: unknown;
    review?: { verdict?: unknown; summary?: unknown };
  };
  const lines = [
    `🔀 Merge approval · task ${label} · project ${approval.project}`,
    `Branch: ${approval.branch} at ${approval.commit.slice(0, 12)}`,
  ];
  if (details.review && typeof details.review.summary === 'string')
    lines.push(`Review: ${String(details.review.verdict)}: ${details.review.summary.slice(0, 600)}`);
  const stat = typeof details.diffStat === 'string' ? details.diffStat.trim() : '';
  if (stat.length > 0)
    lines.push('', stat.length > diffStatInline ? `${stat.slice(0, diffStatInline)}\n…` : stat);
  lines.push('', 'The approval covers this commit only; it still counts after a restart of the service.');
  return lines.join('\n').slice(0, 3500);
}

function chunk<T>(items: readonly T[], size: number): T[][] {
  const rows: T[][] = [];
  for (let index = 0; index < items.length; index += size) rows.push(items.slice(index, index + size));
  return rows;
}
