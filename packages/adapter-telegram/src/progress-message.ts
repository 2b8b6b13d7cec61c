import type { Api } from 'grammy';
import { describeTelegramError, isMessageGoneError, isNotModifiedError } from './describe-telegram-error.js';
import type { TelegramAdapterLogger } from './telegram-adapter-logger.js';

/** Options of `createProgressMessage`. */
export interface ProgressMessageOptions {
  api: Api;
  chatId: number;
  /** The user's message the progress message replies to. */
  replyToMessageId?: number;
  /** Least time between two sends or edits (ms). */
  intervalMs: number;
  logger: TelegramAdapterLogger;
}

/** One chat message kept up to date with the latest text, edited in place. */
export interface ProgressMessage {
  /** Sets the latest text. Sent at most once per interval; intermediate texts are coalesced. */
  update(text: string): void;
  /** Sends the latest text now (after any edit in flight) and resolves when it is out. */
  flush(): Promise<void>;
  /** Stops every timer; later updates are ignored. */
  dispose(): void;
  readonly messageId: number | undefined;
}

/**
 * Creates a throttled, self-editing message: the first text is sent as a new message, later ones
 * edit it, never more often than `intervalMs`, never with unchanged text (Telegram answers that
 * with 400 "message is not modified"). A message the user deleted is sent again; other failures
 * are logged and retried only when the text changes again.
 */
export function createProgressMessage(options: ProgressMessageOptions): ProgressMessage {
  let desired: string | undefined;
  let sent: string | undefined;
  let failed: string | undefined;
  let messageId: number | undefined;
  let lastSentAt = 0;
  let timer: NodeJS.Timeout | undefined;
  let inFlight: Promise<void> | undefined;
  let disposed = false;

  const due = () => desired !== undefined && desired !== sent && desired !== failed;

  const schedule = () => {
    if (disposed || timer !== undefined || inFlight !== undefined || !due()) return;
    const wait = Math.max(0, lastSentAt + options.intervalMs - Date.now());
    timer = setTimeout(() => {
      timer = undefined;
      void send();
    }, wait);
  };

  const deliver = async (text: string) => {
    if (messageId !== undefined) {
      try {
        await options.api.editMessageText(options.chatId, messageId, text);
        return;
      } catch (error) {
        if (isNotModifiedError(error)) return;
        if (!isMessageGoneError(error)) throw error;
      }
    }
    const message = await options.api.sendMessage(
      options.chatId,
      text,
      options.replyToMessageId === undefined
        ? {}
        : { reply_parameters: { message_id: options.replyToMessageId, allow_sending_without_reply: true } },
    );
    messageId = message.message_id;
  };

  const send = (): Promise<void> => {
    if (inFlight !== undefined) return inFlight;
    if (!due()) return Promise.resolve();
    const text = desired as string;
    inFlight = deliver(text)
      .then(
        () => {
          sent = text;
        },
        (error: unknown) => {
          failed = text;
          options.logger.warn('could not update a progress message', {
            chatId: options.chatId,
            error: describeTelegramError(error),
          });
        },
      )
      .finally(() => {
        lastSentAt = Date.now();
        inFlight = undefined;
        schedule();
      });
    return inFlight;
  };

  return {
    update(text) {
      if (disposed) return;
      desired = text;
      schedule();
    },
    async flush() {
      if (timer !== undefined) {
        clearTimeout(timer);
        timer = undefined;
      }
      while (inFlight !== undefined) await inFlight;
      if (timer !== undefined) {
        clearTimeout(timer);
        timer = undefined;
      }
      await send();
    },
    dispose() {
      disposed = true;
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
    },
    get messageId() {
      return messageId;
    },
  };
}
