/** Env var names whose values are always treated as secrets. */
export const defaultSecretEnvNames: readonly string[] = [
  'OPENAI_API_KEY',
  'CODEX_API_KEY',
  'TELEGRAM_BOT_TOKEN',
  'ANTHROPIC_API_KEY',
  'GITHUB_TOKEN',
  'GH_TOKEN',
  'NPM_TOKEN',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
];

/** What replaces a secret. */
export const redactedMarker = '[REDACTED]';

/** Options of `createRedactor`. */
export interface RedactorOptions {
  /** Extra env var names whose values are secrets (added to `defaultSecretEnvNames`). */
  envNames?: readonly string[];
  /** Extra literal secret values. */
  values?: readonly string[];
  /** Where env var values are read from, once, at creation (default `process.env`). */
  env?: NodeJS.ProcessEnv;
}

/** Removes secrets from text and from the string fields of plain data. */
export interface Redactor {
  /** Every env var name whose value is redacted. */
  readonly envNames: readonly string[];
  redact(text: string): string;
  /** Deep copy of plain data (objects, arrays) with every string redacted. */
  redactValue<T>(value: T): T;
}

// Values shorter than this are not redacted: replacing every "1" or "dev" would wreck the output
// and such values are not credentials anyway.
const minimumSecretLength = 6;

const tokenPatterns: RegExp[] = [
  /-----BEGIN[A-Z ]*PRIVATE KEY-----[\s\S]*?(?:-----END[A-Z ]*PRIVATE KEY-----|$)/g,
  /\bsk-[A-Za-z0-9_-]{16,}/g,
  /\b(?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{20,}/g,
  /\bgithub_pat_[A-Za-z0-9_]{20,}/g,
  /\bxox[abprs]-[A-Za-z0-9-]{10,}/g,
  /(?<![A-Za-z0-9_])\d{6,12}:[A-Za-z0-9_-]{35}(?![A-Za-z0-9_-])/g,
  /\b(?:AKIA|ASIA)[A-Z0-9]{16}\b/g,
];
const bearerPattern = /\b(Bearer\s+)[A-Za-z0-9._~+/=-]{8,}/gi;

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Creates a redactor for the values of secret env vars (`OPENAI_API_KEY`, `TELEGRAM_BOT_TOKEN`,
 * the defaults in `defaultSecretEnvNames` and any configured name), literal values, and common
 * token shapes: OpenAI `sk-...`/`sk-proj-...`, GitHub `ghp_`/`gho_`/`github_pat_`, Slack `xoxb-`,
 * Telegram bot tokens, AWS access key ids, `Bearer` tokens and PEM private key blocks. Used for the
 * audit log, events, trace lines and command output returned to the model.
 *
 * @example
 * const redactor = createRedactor({ envNames: ['MY_SERVICE_TOKEN'] });
 * redactor.redact(`key=${process.env.OPENAI_API_KEY}`); // "key=[REDACTED]"
 */
export function createRedactor(options: RedactorOptions = {}): Redactor {
  const env = options.env ?? process.env;
  const envNames = [...new Set([...defaultSecretEnvNames, ...(options.envNames ?? [])])];
  const values = new Set<string>();
  for (const name of envNames) {
    const value = env[name];
    if (value) values.add(value);
  }
  for (const value of options.values ?? []) values.add(value);
  const literal = [...values]
    .map((value) => value.trim())
    .filter((value) => value.length >= minimumSecretLength)
    .sort((a, b) => b.length - a.length)
    .map(escapeRegExp);
  const literalPattern = literal.length > 0 ? new RegExp(literal.join('|'), 'g') : undefined;

  function redact(text: string): string {
    let result = literalPattern ? text.replace(literalPattern, redactedMarker) : text;
    for (const pattern of tokenPatterns) result = result.replace(pattern, redactedMarker);
    return result.replace(bearerPattern, `$1${redactedMarker}`);
  }

  function redactValue<T>(value: T): T {
    if (typeof value === 'string') return redact(value) as T;
    if (Array.isArray(value)) return value.map((item) => redactValue(item)) as T;
    if (value && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
      const copy: Record<string, unknown> = {};
      for (const [key, item] of Object.entries(value)) copy[key] = redactValue(item);
      return copy as T;
    }
    return value;
  }

  return { envNames, redact, redactValue };
}
