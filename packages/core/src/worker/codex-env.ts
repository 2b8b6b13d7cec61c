/**
 * Codex's own environment: an allowlist of `process.env` instead of all of it. What codex needs
 * to run and to reach its model provider stays (PATH, HOME, locale, proxies and certificates,
 * `CODEX_HOME`, the OpenAI key variables and the `env_key` of a configured provider); the
 * orchestrator's other secrets and settings go. The commands codex runs get even less: see
 * `codexShellPolicy`.
 */
import type { CodexConfigValue } from './codex-argv.js';

const allowedNames = new Set([
  'PATH',
  'HOME',
  'USER',
  'LOGNAME',
  'SHELL',
  'LANG',
  'LANGUAGE',
  'TERM',
  'TZ',
  'TMPDIR',
  'CI',
  'NO_COLOR',
  'CODEX_HOME',
  'OPENAI_API_KEY',
  'CODEX_API_KEY',
  'OPENAI_BASE_URL',
  'OPENAI_ORG_ID',
  'OPENAI_ORGANIZATION',
  'OPENAI_PROJECT',
  'SSL_CERT_FILE',
  'SSL_CERT_DIR',
  'NODE_EXTRA_CA_CERTS',
  'HTTPS_PROXY',
  'HTTP_PROXY',
  'NO_PROXY',
  'ALL_PROXY',
  'https_proxy',
  'http_proxy',
  'no_proxy',
  'all_proxy',
  'RUST_LOG',
]);

/** Names given as `env_key` anywhere in codex config overrides (a custom provider's key variable). */
export function providerKeyNames(overrides: Record<string, CodexConfigValue> | undefined): string[] {
  const names: string[] = [];
  const visit = (key: string, value: CodexConfigValue) => {
    if (typeof value === 'string' && (key === 'env_key' || key.endsWith('.env_key'))) names.push(value);
    else if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
      for (const [inner, entry] of Object.entries(value)) visit(inner, entry);
    }
  };
  for (const [key, value] of Object.entries(overrides ?? {})) visit(key, value);
  return names;
}

/**
 * The environment codex starts with: the allowlisted names of `base` plus `keyNames` (provider
 * keys), then `extra` (the worker's explicit `env`, passed whole: the caller chose it).
 */
export function codexEnv(
  base: NodeJS.ProcessEnv,
  extra: NodeJS.ProcessEnv | undefined,
  keyNames: readonly string[],
): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(base)) {
    if (value === undefined) continue;
    if (allowedNames.has(name) || keyNames.includes(name) || name.startsWith('LC_')) env[name] = value;
  }
  return { ...env, ...extra };
}

const secretName = /KEY|SECRET|TOKEN|PASSW|CREDENTIAL|AUTH|COOKIE|SESSION/i;
const gitConfigKey = /^GIT_CONFIG_KEY_\d+$/;

/**
 * `shell_environment_policy` overrides for codex: the commands codex runs never see the
 * variables of `env` whose names look secret (`*KEY*`, `*SECRET*`, `*TOKEN*`, ...), the provider
 * key variables or `CODEX_HOME`. Names are listed exactly rather than with codex's default
 * `*KEY*` exclude, which would also drop git's `GIT_CONFIG_KEY_n` (the push block) and make
 * every git command fail.
 */
export function codexShellPolicy(
  env: NodeJS.ProcessEnv,
  keyNames: readonly string[],
): Record<string, CodexConfigValue> {
  const names = Object.keys(env).filter((name) => secretName.test(name) && !gitConfigKey.test(name));
  return {
    'shell_environment_policy.inherit': 'all',
    'shell_environment_policy.ignore_default_excludes': true,
    'shell_environment_policy.exclude': [
      ...new Set(['OPENAI_API_KEY', 'CODEX_API_KEY', 'CODEX_HOME', ...keyNames, ...names]),
    ],
  };
}
