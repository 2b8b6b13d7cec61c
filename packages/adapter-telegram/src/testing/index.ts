/**
 * @codex-orchestrator/adapter-telegram/testing: a fake Telegram Bot API server on loopback, for
 * testing this adapter and your own grammY bots without the internet or a real token.
 */

export { createFakeBotApi } from './fake-bot-api.js';
export type {
  FakeApiCall,
  FakeApiFailure,
  FakeBotApi,
  FakeBotApiOptions,
  FakeBotMessage,
  FakeCallbackAnswer,
  FakeChatInput,
  FakeDocument,
  FakeUserInput,
} from './fake-bot-api-types.js';
