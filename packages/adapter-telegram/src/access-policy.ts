import type { Chat, User } from 'grammy/types';

/** The verdict on one update's sender and chat. */
export type AccessDecision = { allowed: true } | { allowed: false; reason: string };

/** Decides who may talk to the bot: numeric user ids, private chats, configured groups. */
export interface AccessPolicy {
  check(from: Pick<User, 'id'> | undefined, chat: Pick<Chat, 'id' | 'type'> | undefined): AccessDecision;
}

/**
 * Creates the access policy: the sender's numeric id must be allowlisted (usernames change hands,
 * ids do not); private chats are accepted, groups only when their id is configured, channels never.
 */
export function createAccessPolicy(options: {
  allowedUserIds: ReadonlySet<number>;
  allowedChatIds: ReadonlySet<number>;
}): AccessPolicy {
  return {
    check(from, chat) {
      if (from === undefined) return { allowed: false, reason: 'update without a sender' };
      if (!options.allowedUserIds.has(from.id)) return { allowed: false, reason: 'user is not allowlisted' };
      if (chat === undefined) return { allowed: false, reason: 'update without a chat' };
      if (chat.type === 'private') {
        return chat.id === from.id
          ? { allowed: true }
          : { allowed: false, reason: 'private chat of another user' };
      }
      if ((chat.type === 'group' || chat.type === 'supergroup') && options.allowedChatIds.has(chat.id)) {
        return { allowed: true };
      }
      return { allowed: false, reason: `${chat.type} chat is not allowlisted` };
    },
  };
}
