import type { BotCommand, Chat, InlineKeyboardMarkup, Update, User } from 'grammy/types';

/** A user as the tests describe it: a numeric id, or a partial `User` with its id. */
export type FakeUserInput = number | (Partial<User> & { id: number });

/**
 * A chat as the tests describe it: a numeric id (positive = private chat with that user, negative =
 * a group), or a partial `Chat` with its id and type.
 */
export type FakeChatInput = number | { id: number; type: Chat['type']; title?: string };

/** A message the bot sent, as it currently looks after every edit. */
export interface FakeBotMessage {
  chatId: number;
  messageId: number;
  /** Current text (for documents: the caption, or an empty string). */
  text: string;
  replyMarkup?: InlineKeyboardMarkup;
  /** Every text the message had, oldest first: the sent text, then one entry per text edit. */
  history: string[];
  /** Number of successful `editMessageText` / `editMessageReplyMarkup` calls on this message. */
  editCount: number;
  replyToMessageId?: number;
  /** The document attached to this message, when it was sent with `sendDocument`. */
  document?: FakeDocument;
}

/** A file the bot uploaded with `sendDocument`. */
export interface FakeDocument {
  chatId: number;
  messageId: number;
  fileName: string;
  content: Buffer;
  caption?: string;
}

/** One request the fake server answered, in arrival order. */
export interface FakeApiCall {
  method: string;
  /** JSON body, or the text fields of a multipart body (files are in `documents`). */
  payload: Record<string, unknown>;
  /** HTTP status of the answer (200, 400, 409, 429...). */
  status: number;
  /** `description` of an error answer. */
  description?: string;
  /** Milliseconds since the server started. */
  at: number;
}

/** An `answerCallbackQuery` the bot made. */
export interface FakeCallbackAnswer {
  callbackQueryId: string;
  text?: string;
  showAlert: boolean;
}

/** An error the fake returns instead of running a method (see `failNext`). */
export interface FakeApiFailure {
  /** HTTP status and `error_code`, e.g. 429 or 500. */
  errorCode: number;
  /** Defaults to a realistic text for the code. */
  description?: string;
  /** Sent as `parameters.retry_after` (seconds); the real API sends it with 429. */
  retryAfter?: number;
}

/** Options of `createFakeBotApi`. */
export interface FakeBotApiOptions {
  /** The token the bot must use (any other gets 401). Default `123456789:AAFakeTokenForTestsOnly_abcdefghijk`. */
  token?: string;
  /** What `getMe` returns, merged over a default bot user. */
  botInfo?: Partial<User>;
  /** Longest time a `getUpdates` call is held open, whatever its `timeout` (ms). Default 30 000. */
  maxLongPollMs?: number;
}

/** A fake Telegram Bot API server on 127.0.0.1, for tests of bots (see `createFakeBotApi`). */
export interface FakeBotApi {
  /** Pass as `new Bot(token, { client: { apiRoot } })` or `TELEGRAM_API_ROOT`. */
  readonly apiRoot: string;
  readonly token: string;
  readonly botInfo: User;
  /** Messages the bot sent, in order, each kept up to date with its edits. */
  readonly messages: readonly FakeBotMessage[];
  /** Documents the bot uploaded, in order. */
  readonly documents: readonly FakeDocument[];
  /** Every request, in arrival order. */
  readonly calls: readonly FakeApiCall[];
  readonly callbackAnswers: readonly FakeCallbackAnswer[];
  /** The command list last set with `setMyCommands`. */
  readonly commands: readonly BotCommand[];
  /** Queues a text message from `from` in `chat` (a `bot_command` entity is added for `/...`). */
  sendText(from: FakeUserInput, chat: FakeChatInput, text: string): Update;
  /**
   * Queues a press of an inline button. Throws when the bot's message `messageId` in `chat` has no
   * button with this `data`, as the real client could not produce that press.
   */
  pressButton(from: FakeUserInput, chat: FakeChatInput, messageId: number, data: string): Update;
  /** Queues the same update again under a new `update_id` (a redelivery). */
  redeliver(update: Update): Update;
  /** Makes the next `times` calls of `method` fail with `failure` (e.g. 429 with `retryAfter`). */
  failNext(method: string, failure: FakeApiFailure, times?: number): void;
  /** Updates queued and not yet confirmed by a `getUpdates` offset. */
  pendingUpdateCount(): number;
  /**
   * Resolves with the first truthy value `predicate` returns, checked after every request and
   * every 20 ms; rejects after `timeoutMs` (default 5000) with the last calls for debugging.
   */
  waitFor<T>(predicate: () => T | undefined | null | false, timeoutMs?: number): Promise<T>;
  /** Answers held polls, closes every connection and the server. */
  close(): Promise<void>;
}
