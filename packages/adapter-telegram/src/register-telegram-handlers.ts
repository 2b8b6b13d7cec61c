import type { Task, TaskControl, TaskStatusEntry } from '@codex-orchestrator/core';
import type { Bot, Context } from 'grammy';
import type { BotCommand } from 'grammy/types';
import type { AccessPolicy } from './access-policy.js';
import { describeTelegramError } from './describe-telegram-error.js';
import type { MergeApprovals } from './merge-approvals.js';
import { renderProgressView } from './progress-view.js';
import type { ServiceBridge } from './service-bridge.js';
import { splitTelegramText } from './split-telegram-text.js';
import type { TaskIntake } from './task-intake.js';
import { type TaskTracker, telegramTaskId } from './task-tracker.js';
import type { TelegramAdapterLogger } from './telegram-adapter-logger.js';

/** The commands the bot registers with `setMyCommands`. */
export const telegramCommands: readonly BotCommand[] = [
  { command: 'task', description: 'Hand over a task: /task <what to do>' },
  { command: 'status', description: 'Running and queued tasks' },
  { command: 'cancel', description: 'Cancel a task: /cancel [id], default your latest' },
  { command: 'help', description: 'How to use this bot' },
];

/** What the handlers need from the adapter. */
export interface TelegramHandlerContext {
  sourceName: string;
  acceptPlainText: boolean;
  logger: TelegramAdapterLogger;
  access: AccessPolicy;
  intake: TaskIntake;
  tracker: TaskTracker;
  approvals: MergeApprovals;
  /** Durable approval and project buttons of `orchestrator serve`. */
  bridge: Pick<ServiceBridge, 'handlePress'>;
  control(): TaskControl | undefined;
}

const activeStates = new Set(['queued', 'running']);

/**
 * Registers the bot's middleware. Handlers only queue work and answer: they never wait for a task
 * to run (grammY handles updates one at a time, so a waiting handler would block `/cancel`).
 */
export function registerTelegramHandlers(bot: Bot, context: TelegramHandlerContext): void {
  const { logger, access, intake, tracker } = context;
  const helpText = [
    'I hand tasks to codex-orchestrator and report back.',
    '/task <what to do> — start a task (it runs in the background)',
    '/status — running and queued tasks',
    '/cancel [id] — cancel a task (default: your latest)',
    context.acceptPlainText ? 'Plain text in this chat also starts a task.' : '',
  ]
    .filter(Boolean)
    .join('\n');

  bot.use(async (ctx, next) => {
    const decision = access.check(ctx.from, ctx.chat);
    if (decision.allowed) return next();
    logger.warn('ignored an update from outside the allowlist', {
      updateId: ctx.update.update_id,
      userId: ctx.from?.id,
      chatId: ctx.chat?.id,
      chatType: ctx.chat?.type,
      reason: decision.reason,
    });
    if (ctx.callbackQuery !== undefined) {
      await ctx.answerCallbackQuery({ text: 'You are not allowed to use this bot.', show_alert: true });
    }
  });

  const createTask = async (ctx: Context, text: string) => {
    const message = ctx.message!;
    const chatId = ctx.chat!.id;
    const body = text.trim();
    if (body.length === 0) {
      await ctx.reply('Usage: /task <what to do>, e.g. /task add a --verbose flag to the CLI');
      return;
    }
    const id = telegramTaskId(context.sourceName, chatId, message.message_id);
    if (intake.has(id)) {
      logger.info?.('ignored a redelivered message: its task exists already', { taskId: id });
      return;
    }
    const task: Task = {
      id,
      text: body,
      source: context.sourceName,
      metadata: { chatId, messageId: message.message_id, userId: ctx.from!.id },
    };
    const tracked = tracker.track(task);
    tracked?.progress.update(renderProgressView(tracked.view));
    intake.push(task);
  };

  bot.command(['start', 'help'], (ctx) => ctx.reply(helpText));
  bot.command('task', (ctx) => createTask(ctx, ctx.match));

  bot.command('status', async (ctx) => {
    const control = context.control();
    if (control === undefined) {
      await ctx.reply('Status is not available: no dispatcher is attached to this bot.');
      return;
    }
    const entries = control.list().filter((entry) => activeStates.has(entry.state));
    if (entries.length === 0) {
      await ctx.reply('No running or queued tasks.');
      return;
    }
    const lines = entries.map(
      (entry) => `• ${labelOf(entry.task, ctx.chat.id)} · ${entry.state} · “${short(entry.task.text)}”`,
    );
    for (const chunk of splitTelegramText(`Tasks (${entries.length}):\n${lines.join('\n')}`))
      await ctx.reply(chunk);
  });

  bot.command('cancel', async (ctx) => {
    const control = context.control();
    if (control === undefined) {
      await ctx.reply('Cancel is not available: no dispatcher is attached to this bot.');
      return;
    }
    const argument = ctx.match.trim().replace(/^#/, '');
    let taskId: string | undefined;
    if (argument.length === 0) {
      taskId = latestTaskOf(control.list(), ctx.from!.id)?.task.id;
      if (taskId === undefined) {
        await ctx.reply('You have no running or queued task.');
        return;
      }
    } else {
      taskId = /^\d+$/.test(argument)
        ? telegramTaskId(context.sourceName, ctx.chat.id, Number(argument))
        : argument;
    }
    const label = /^\d+$/.test(argument)
      ? `#${argument}`
      : labelOfId(taskId, ctx.chat.id, context.sourceName);
    const cancelled = control.cancel(taskId);
    await ctx.reply(cancelled ? `Cancelling task ${label}…` : `No queued or running task ${label}.`);
  });

  bot.on('callback_query:data', async (ctx) => {
    if (await context.bridge.handlePress(ctx.callbackQuery)) return;
    await context.approvals.handlePress(ctx.callbackQuery);
  });
  bot.on('callback_query', (ctx) => ctx.answerCallbackQuery());

  bot.on('message:text', async (ctx) => {
    if (ctx.message.text.startsWith('/')) {
      await ctx.reply('Unknown command. Send /help for the list.');
    } else if (context.acceptPlainText && ctx.chat.type === 'private') {
      await createTask(ctx, ctx.message.text);
    } else if (ctx.chat.type === 'private') {
      await ctx.reply('Send /task <what to do> to start a task, or /help.');
    }
  });

  bot.catch((error) => {
    logger.error('a bot handler failed', {
      updateId: error.ctx.update.update_id,
      error: describeTelegramError(error),
    });
  });

  function latestTaskOf(entries: TaskStatusEntry[], userId: number): TaskStatusEntry | undefined {
    return entries
      .filter(
        (entry) =>
          activeStates.has(entry.state) &&
          entry.task.source === context.sourceName &&
          entry.task.metadata?.['userId'] === userId,
      )
      .sort((a, b) => intake.sequenceOf(b.task.id) - intake.sequenceOf(a.task.id))[0];
  }

  function labelOf(task: Task, chatId: number): string {
    return labelOfId(task.id, chatId, context.sourceName);
  }
}

/** `#<message id>` for tasks of this chat, the full id otherwise. */
function labelOfId(taskId: string, chatId: number, sourceName: string): string {
  const prefix = `${sourceName}:${chatId}:`;
  return taskId.startsWith(prefix) ? `#${taskId.slice(prefix.length)}` : taskId;
}

function short(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 80 ? `${flat.slice(0, 79)}…` : flat;
}
