import type { BotCommand, Chat, InlineKeyboardMarkup, Message, User } from 'grammy/types';
import type { FakeBotMessage, FakeCallbackAnswer, FakeDocument } from './fake-bot-api-types.js';

/** An error answer of the Bot API: `{ ok: false, error_code, description, parameters? }`. */
export class BotApiFailure extends Error {
  constructor(
    readonly errorCode: number,
    readonly description: string,
    readonly retryAfter?: number,
  ) {
    super(description);
    this.name = 'BotApiFailure';
  }
}

const badRequest = (description: string) => new BotApiFailure(400, `Bad Request: ${description}`);

/** Limits the real Bot API enforces, as measured against it (the repository keeps no notes file). */
export const telegramLimits = {
  messageLength: 4096,
  captionLength: 1024,
  callbackDataBytes: 64,
  callbackAnswerLength: 200,
} as const;

/** Mutable state of the fake server, shared by the methods and the test helpers. */
export interface FakeBotApiState {
  botInfo: User;
  chats: Map<number, Chat>;
  /** Every message, users' and the bot's, keyed `chatId:messageId`. */
  allMessages: Map<string, { message: Message; record?: FakeBotMessage }>;
  nextMessageId: Map<number, number>;
  messages: FakeBotMessage[];
  documents: FakeDocument[];
  callbackAnswers: FakeCallbackAnswer[];
  openCallbackQueries: Set<string>;
  commands: BotCommand[];
}

/** A method of the fake API: takes the payload (and uploaded files), returns `result` or throws. */
export type FakeMethod = (
  state: FakeBotApiState,
  payload: Record<string, unknown>,
  files: Map<string, { fileName: string; content: Buffer }>,
) => unknown;

/** Next message id in `chatId` (ids are per chat, as in Telegram). */
export function allocateMessageId(state: FakeBotApiState, chatId: number): number {
  const id = state.nextMessageId.get(chatId) ?? 1;
  state.nextMessageId.set(chatId, id + 1);
  return id;
}

function requireChat(state: FakeBotApiState, payload: Record<string, unknown>): Chat {
  const chatId = Number(payload['chat_id']);
  if (payload['chat_id'] === undefined || !Number.isInteger(chatId)) throw badRequest('chat_id is empty');
  const chat = state.chats.get(chatId);
  if (chat === undefined) throw badRequest('chat not found');
  return chat;
}

function parseMarkup(value: unknown): InlineKeyboardMarkup | undefined {
  if (value === undefined || value === null) return undefined;
  const markup = (typeof value === 'string' ? JSON.parse(value) : value) as InlineKeyboardMarkup;
  if (!Array.isArray(markup.inline_keyboard))
    throw badRequest("can't parse reply keyboard markup JSON object");
  for (const row of markup.inline_keyboard) {
    for (const button of row) {
      if (typeof button.text !== 'string' || button.text.length === 0) throw badRequest('BUTTON_TEXT_EMPTY');
      if ('callback_data' in button) {
        const bytes = Buffer.byteLength(String(button.callback_data), 'utf8');
        if (bytes < 1 || bytes > telegramLimits.callbackDataBytes) throw badRequest('BUTTON_DATA_INVALID');
      }
    }
  }
  return markup;
}

function checkText(value: unknown, limit: number = telegramLimits.messageLength): string {
  const text = typeof value === 'string' ? value : value === undefined ? '' : String(value);
  if (text.trim().length === 0) throw badRequest('message text is empty');
  // Counted in UTF-16 code units, which is never more lenient than Telegram's own count.
  if (text.length > limit) throw badRequest('message is too long');
  return text;
}

function storeBotMessage(
  state: FakeBotApiState,
  chat: Chat,
  text: string,
  payload: Record<string, unknown>,
): { message: Message; record: FakeBotMessage } {
  const messageId = allocateMessageId(state, chat.id);
  const markup = parseMarkup(payload['reply_markup']);
  const replyTo = readReplyTo(payload);
  const message = {
    message_id: messageId,
    date: Math.floor(Date.now() / 1000),
    chat,
    from: state.botInfo,
    text,
    ...(markup === undefined ? {} : { reply_markup: markup }),
  } as Message;
  const record: FakeBotMessage = { chatId: chat.id, messageId, text, history: [text], editCount: 0 };
  if (markup !== undefined) record.replyMarkup = markup;
  if (replyTo !== undefined) record.replyToMessageId = replyTo;
  state.allMessages.set(`${chat.id}:${messageId}`, { message, record });
  state.messages.push(record);
  return { message, record };
}

function readReplyTo(payload: Record<string, unknown>): number | undefined {
  const raw = payload['reply_parameters'];
  const parameters = (typeof raw === 'string' ? JSON.parse(raw) : raw) as { message_id?: number } | undefined;
  return parameters?.message_id ?? (payload['reply_to_message_id'] as number | undefined);
}

function findBotMessage(state: FakeBotApiState, payload: Record<string, unknown>, action: string) {
  if (payload['inline_message_id'] !== undefined)
    throw badRequest('inline messages are not supported by the fake');
  const chat = requireChat(state, payload);
  const entry = state.allMessages.get(`${chat.id}:${Number(payload['message_id'])}`);
  if (entry === undefined) throw badRequest(`message to ${action} not found`);
  if (entry.record === undefined)
    throw badRequest(`message can't be ${action === 'edit' ? 'edited' : action}`);
  return { entry, record: entry.record };
}

const notModified =
  'message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message';

const sameMarkup = (a: InlineKeyboardMarkup | undefined, b: InlineKeyboardMarkup | undefined) =>
  JSON.stringify(a?.inline_keyboard ?? []) === JSON.stringify(b?.inline_keyboard ?? []);

function applyEdit(
  entry: { message: Message },
  record: FakeBotMessage,
  text: string,
  markup: InlineKeyboardMarkup | undefined,
) {
  if (text !== record.text) record.history.push(text);
  record.text = text;
  record.editCount += 1;
  if (markup === undefined) delete record.replyMarkup;
  else record.replyMarkup = markup;
  entry.message = { ...entry.message, edit_date: Math.floor(Date.now() / 1000) } as Message;
  const result = { ...entry.message, text } as Message & { reply_markup?: InlineKeyboardMarkup };
  if (markup === undefined) delete result.reply_markup;
  else result.reply_markup = markup;
  return result;
}

/** The Bot API methods the fake implements, with the real API's validation and error texts. */
export const fakeMethods: Record<string, FakeMethod> = {
  getMe: (state) => state.botInfo,
  deleteWebhook: () => true,
  getMyCommands: (state) => state.commands,
  setMyCommands: (state, payload) => {
    const raw = payload['commands'];
    const commands = (typeof raw === 'string' ? JSON.parse(raw) : raw) as BotCommand[] | undefined;
    if (!Array.isArray(commands)) throw badRequest('commands is empty');
    for (const command of commands) {
      if (!/^[a-z0-9_]{1,32}$/.test(command.command)) throw badRequest('BOT_COMMAND_INVALID');
      if (command.description.length < 1 || command.description.length > 256) {
        throw badRequest('BOT_COMMAND_DESCRIPTION_INVALID');
      }
    }
    state.commands = commands;
    return true;
  },
  sendChatAction: (state, payload) => {
    requireChat(state, payload);
    return true;
  },
  sendMessage: (state, payload) => {
    const chat = requireChat(state, payload);
    return storeBotMessage(state, chat, checkText(payload['text']), payload).message;
  },
  editMessageText: (state, payload) => {
    const { entry, record } = findBotMessage(state, payload, 'edit');
    const text = checkText(payload['text']);
    const markup = parseMarkup(payload['reply_markup']);
    if (text === record.text && sameMarkup(markup, record.replyMarkup)) throw badRequest(notModified);
    return applyEdit(entry, record, text, markup);
  },
  editMessageReplyMarkup: (state, payload) => {
    const { entry, record } = findBotMessage(state, payload, 'edit');
    const markup = parseMarkup(payload['reply_markup']);
    if (sameMarkup(markup, record.replyMarkup)) throw badRequest(notModified);
    return applyEdit(entry, record, record.text, markup);
  },
  answerCallbackQuery: (state, payload) => {
    const id = String(payload['callback_query_id'] ?? '');
    if (!state.openCallbackQueries.has(id)) {
      throw badRequest('query is too old and response timeout expired or query ID is invalid');
    }
    const text = payload['text'] === undefined ? undefined : String(payload['text']);
    if (text !== undefined && text.length > telegramLimits.callbackAnswerLength)
      throw badRequest('MESSAGE_TOO_LONG');
    state.openCallbackQueries.delete(id);
    const answer: FakeCallbackAnswer = { callbackQueryId: id, showAlert: payload['show_alert'] === true };
    if (text !== undefined) answer.text = text;
    state.callbackAnswers.push(answer);
    return true;
  },
  sendDocument: (state, payload, files) => {
    const chat = requireChat(state, payload);
    const reference = String(payload['document'] ?? '');
    const file = reference.startsWith('attach://')
      ? files.get(reference.slice('attach://'.length))
      : undefined;
    if (file === undefined) throw badRequest('wrong file identifier/HTTP URL specified');
    if (file.content.length === 0) throw badRequest('file must be non-empty');
    const caption = payload['caption'] === undefined ? undefined : String(payload['caption']);
    if (caption !== undefined && caption.length > telegramLimits.captionLength) {
      throw badRequest('message caption is too long');
    }
    const { message, record } = storeBotMessage(state, chat, caption ?? '', payload);
    const document: FakeDocument = {
      chatId: chat.id,
      messageId: record.messageId,
      fileName: file.fileName,
      content: file.content,
    };
    if (caption !== undefined) document.caption = caption;
    record.document = document;
    state.documents.push(document);
    return {
      ...message,
      document: {
        file_id: `document-${record.messageId}`,
        file_unique_id: `unique-${record.messageId}`,
        file_name: file.fileName,
        file_size: file.content.length,
      },
    };
  },
};
