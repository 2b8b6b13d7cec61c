import type { Chat, Message, Update, User } from 'grammy/types';
import { allocateMessageId, type FakeBotApiState } from './fake-bot-api-methods.js';
import type { FakeChatInput, FakeUserInput } from './fake-bot-api-types.js';

/** The update a user's text message produces (and the message, stored so it can be replied to). */
export function textMessageUpdate(
  state: FakeBotApiState,
  fromInput: FakeUserInput,
  chatInput: FakeChatInput,
  text: string,
): Omit<Update, 'update_id'> {
  const from = toUser(fromInput);
  const chat = toChat(state, chatInput, from);
  const messageId = allocateMessageId(state, chat.id);
  // grammY finds commands through the `bot_command` entity, as the real server sends it.
  const command = /^\/[A-Za-z0-9_]+(?:@[A-Za-z0-9_]+)?/.exec(text);
  const message = {
    message_id: messageId,
    date: Math.floor(Date.now() / 1000),
    chat,
    from,
    text,
    ...(command === null
      ? {}
      : { entities: [{ type: 'bot_command', offset: 0, length: command[0].length }] }),
  } as Message;
  state.allMessages.set(`${chat.id}:${messageId}`, { message });
  return { message } as Omit<Update, 'update_id'>;
}

/** The update a button press produces; throws when the message has no such button. */
export function callbackQueryUpdate(
  state: FakeBotApiState,
  fromInput: FakeUserInput,
  chatInput: FakeChatInput,
  messageId: number,
  data: string,
  queryId: string,
): Omit<Update, 'update_id'> {
  const from = toUser(fromInput);
  const chat = toChat(state, chatInput, from);
  const entry = state.allMessages.get(`${chat.id}:${messageId}`);
  const markup = entry?.record?.replyMarkup;
  const buttons = markup?.inline_keyboard.flat() ?? [];
  if (
    entry === undefined ||
    !buttons.some((button) => 'callback_data' in button && button.callback_data === data)
  ) {
    throw new Error(`pressButton: message ${messageId} in chat ${chat.id} has no button with data "${data}"`);
  }
  state.openCallbackQueries.add(queryId);
  const message = { ...entry.message, reply_markup: markup } as Message;
  return {
    callback_query: { id: queryId, from, message, chat_instance: String(chat.id), data },
  } as Omit<Update, 'update_id'>;
}

function toUser(input: FakeUserInput): User {
  return typeof input === 'number'
    ? { id: input, is_bot: false, first_name: `User ${input}` }
    : { is_bot: false, first_name: `User ${input.id}`, ...input };
}

/** A number is a private chat (positive) or a group (negative); the chat becomes known to the bot. */
function toChat(state: FakeBotApiState, input: FakeChatInput, from: User): Chat {
  const described =
    typeof input !== 'number'
      ? input
      : input < 0
        ? { id: input, type: 'group' as const, title: `Group ${input}` }
        : { id: input, type: 'private' as const };
  const chat = (
    described.type === 'private'
      ? { id: described.id, type: 'private', first_name: from.first_name }
      : described
  ) as Chat;
  state.chats.set(chat.id, chat);
  return chat;
}
