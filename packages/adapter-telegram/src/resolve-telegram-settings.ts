import type { TelegramAdapterSettings } from './telegram-adapter-settings.js';
import { TelegramConfigurationError } from './telegram-error.js';

/** Settings with every default applied and every env var read. */
export interface ResolvedTelegramSettings {
  token: string;
  allowedUserIds: ReadonlySet<number>;
  allowedChatIds: ReadonlySet<number>;
  apiRoot?: string;
  sourceName: string;
  acceptPlainText: boolean;
  progressIntervalMs: number;
  reportDocumentThreshold: number;
  pollingTimeoutSeconds: number;
  approvalTimeoutMs?: number;
  maxRetryAttempts: number;
  maxRetryDelaySeconds: number;
  secrets: string[];
  secretEnvNames: string[];
}

const tokenShape = /^\d{1,20}:[A-Za-z0-9_-]{20,}$/;

/**
 * Applies defaults and env var fallbacks (`TELEGRAM_BOT_TOKEN`, `TELEGRAM_ALLOWED_USER_IDS`,
 * `TELEGRAM_ALLOWED_CHAT_IDS`, `TELEGRAM_API_ROOT`), failing with a `TelegramConfigurationError` (a `ConfigurationError`) that names
 * the missing or malformed setting and how to fix it. The token itself never appears in a message.
 */
export function resolveTelegramSettings(
  settings: TelegramAdapterSettings = {},
  env: Record<string, string | undefined> = process.env,
): ResolvedTelegramSettings {
  const token = (settings.token ?? env['TELEGRAM_BOT_TOKEN'] ?? '').trim();
  if (token.length === 0) {
    throw new TelegramConfigurationError(
      'No Telegram bot token: set TELEGRAM_BOT_TOKEN (or the `token` setting) to the token @BotFather gave you, e.g. export TELEGRAM_BOT_TOKEN=123456:ABC...',
      { code: 'telegram-token-missing' },
    );
  }
  if (!tokenShape.test(token)) {
    throw new TelegramConfigurationError(
      'TELEGRAM_BOT_TOKEN does not look like a bot token (expected <digits>:<35 letters, digits, _ or ->, as @BotFather prints it); check for quotes or spaces around it',
      { code: 'telegram-token-invalid' },
    );
  }
  const allowedUserIds =
    settings.allowedUserIds ??
    parseTelegramIdList(env['TELEGRAM_ALLOWED_USER_IDS'], 'TELEGRAM_ALLOWED_USER_IDS');
  checkIds(allowedUserIds, 'allowedUserIds');
  if (allowedUserIds.length === 0) {
    throw new TelegramConfigurationError(
      'No allowed Telegram users: set TELEGRAM_ALLOWED_USER_IDS (or `allowedUserIds`) to a comma-separated list of numeric user ids, e.g. TELEGRAM_ALLOWED_USER_IDS=123456789 (message @userinfobot to learn yours); the bot ignores everyone else',
      { code: 'telegram-allowed-users-missing' },
    );
  }
  const allowedChatIds =
    settings.allowedChatIds ??
    parseTelegramIdList(env['TELEGRAM_ALLOWED_CHAT_IDS'], 'TELEGRAM_ALLOWED_CHAT_IDS');
  checkIds(allowedChatIds, 'allowedChatIds');
  const apiRoot = normalizeApiRoot(settings.apiRoot ?? env['TELEGRAM_API_ROOT']);
  const resolved: ResolvedTelegramSettings = {
    token,
    allowedUserIds: new Set(allowedUserIds),
    allowedChatIds: new Set(allowedChatIds),
    sourceName: settings.sourceName ?? 'telegram',
    acceptPlainText: settings.acceptPlainText ?? false,
    progressIntervalMs: positive(settings.progressIntervalMs ?? 3000, 'progressIntervalMs'),
    reportDocumentThreshold: positive(settings.reportDocumentThreshold ?? 12_000, 'reportDocumentThreshold'),
    pollingTimeoutSeconds: positive(settings.pollingTimeoutSeconds ?? 30, 'pollingTimeoutSeconds'),
    maxRetryAttempts: positive(settings.retry?.maxAttempts ?? 3, 'retry.maxAttempts'),
    maxRetryDelaySeconds: positive(settings.retry?.maxDelaySeconds ?? 60, 'retry.maxDelaySeconds'),
    secrets: [token, ...(settings.secrets ?? [])],
    secretEnvNames: [...(settings.secretEnvNames ?? [])],
  };
  if (apiRoot !== undefined) resolved.apiRoot = apiRoot;
  if (settings.approvalTimeoutMs !== undefined) {
    resolved.approvalTimeoutMs = positive(settings.approvalTimeoutMs, 'approvalTimeoutMs');
  }
  return resolved;
}

/** Parses a comma-separated list of numeric Telegram ids (`"123, -100456"`); empty means none. */
export function parseTelegramIdList(value: string | undefined, variableName: string): number[] {
  if (value === undefined || value.trim().length === 0) return [];
  return value
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item.length > 0)
    .map((item) => {
      if (!/^-?\d{1,20}$/.test(item) || !Number.isSafeInteger(Number(item))) {
        throw new TelegramConfigurationError(
          `${variableName} contains "${item.slice(0, 40)}", which is not a numeric Telegram id: use numbers separated by commas, e.g. ${variableName}=123456789,987654321 (usernames are not accepted: they can change hands)`,
          { code: 'telegram-id-invalid' },
        );
      }
      return Number(item);
    });
}

function checkIds(ids: readonly number[], name: string) {
  for (const id of ids) {
    if (!Number.isSafeInteger(id)) {
      throw new TelegramConfigurationError(
        `${name} contains ${String(id)}, which is not an integer Telegram id`,
        {
          code: 'telegram-id-invalid',
        },
      );
    }
  }
}

function positive(value: number, name: string): number {
  if (!Number.isFinite(value) || value <= 0) {
    throw new TelegramConfigurationError(`${name} must be a positive number, got ${String(value)}`, {
      code: 'telegram-setting-invalid',
    });
  }
  return value;
}

function normalizeApiRoot(value: string | undefined): string | undefined {
  if (value === undefined || value.trim().length === 0) return undefined;
  const trimmed = value.trim().replace(/\/+$/, '');
  let url: URL | undefined;
  try {
    url = new URL(trimmed);
  } catch {
    url = undefined;
  }
  if (url === undefined || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    throw new TelegramConfigurationError(
      `TELEGRAM_API_ROOT is "${trimmed.slice(0, 100)}", which is not an http(s) URL: use e.g. http://127.0.0.1:8081 for a self-hosted Bot API server, or leave it unset for https://api.telegram.org`,
      { code: 'telegram-api-root-invalid' },
    );
  }
  return trimmed;
}
