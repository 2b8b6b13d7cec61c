/**
 * Where codex sends its model requests, read the way codex reads it: `CODEX_HOME/config.toml`,
 * then the `-c` overrides the worker passes. Used to name the endpoint when codex cannot reach it
 * and to probe it when codex falls silent.
 */
import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'smol-toml';
import type { CodexConfigValue } from './codex-argv.js';

/** Codex's model endpoint as far as its configuration says. */
export interface CodexModelEndpoint {
  /** The provider id (`model_provider`, default `openai`). */
  provider: string;
  /** The base URL, when the configuration names one (a custom provider or `openai_base_url`). */
  baseURL?: string;
  /** `http://127.0.0.1:9/v1`, or `provider "openai" (its default endpoint)`. */
  label: string;
}

type Table = { [key: string]: unknown };

function isTable(value: unknown): value is Table {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Sets `a.b.c` (codex's `-c` key form) inside `target`, creating tables on the way. */
function setDotted(target: Table, key: string, value: unknown): void {
  const parts = key.split('.');
  let table = target;
  for (const part of parts.slice(0, -1)) {
    const next = table[part];
    if (!isTable(next)) table[part] = {};
    table = table[part] as Table;
  }
  const last = parts.at(-1) as string;
  table[last] = isTable(value) && isTable(table[last]) ? { ...table[last], ...value } : value;
}

/**
 * Resolves codex's endpoint from its config file and the worker's overrides. Never throws: an
 * unreadable or invalid config file counts as empty (codex itself reports that one).
 *
 * @example
 * await codexModelEndpoint({ configOverrides: { model_provider: 'local', 'model_providers.local': { base_url: 'http://127.0.0.1:8080/v1' } } });
 * // { provider: 'local', baseURL: 'http://127.0.0.1:8080/v1', label: 'http://127.0.0.1:8080/v1' }
 */
export async function codexModelEndpoint(input: {
  codexHome?: string;
  configOverrides?: Record<string, CodexConfigValue>;
  env?: NodeJS.ProcessEnv;
}): Promise<CodexModelEndpoint> {
  const env = input.env ?? process.env;
  const config = await readCodexConfig(input);
  const provider = typeof config.model_provider === 'string' ? config.model_provider : 'openai';
  const providers = isTable(config.model_providers) ? config.model_providers : {};
  const entry = providers[provider];
  let baseURL = isTable(entry) && typeof entry.base_url === 'string' ? entry.base_url : undefined;
  if (baseURL === undefined && provider === 'openai') {
    baseURL = typeof config.openai_base_url === 'string' ? config.openai_base_url : env.OPENAI_BASE_URL;
  }
  if (baseURL !== undefined && baseURL !== '') return { provider, baseURL, label: baseURL };
  return { provider, label: `provider "${provider}" (its default endpoint)` };
}

/** Codex's config as codex will see it: `CODEX_HOME/config.toml` (or `~/.codex`) plus the overrides. */
async function readCodexConfig(input: {
  codexHome?: string;
  configOverrides?: Record<string, CodexConfigValue>;
  env?: NodeJS.ProcessEnv;
}): Promise<Table> {
  const env = input.env ?? process.env;
  const home = input.codexHome ?? env.CODEX_HOME ?? join(env.HOME ?? homedir(), '.codex');
  let config: Table = {};
  try {
    config = parse(await readFile(join(home, 'config.toml'), 'utf8')) as Table;
  } catch {
    config = {};
  }
  for (const [key, value] of Object.entries(input.configOverrides ?? {})) setDotted(config, key, value);
  return config;
}

/**
 * The `env_key` of every model provider in codex's config file and overrides: the variables that
 * hold a provider's key, which codex's allowlisted environment must keep (a user's own codex config
 * with a custom provider would otherwise lose its key). Only valid variable names count.
 */
export async function codexProviderKeyNames(input: {
  codexHome?: string;
  configOverrides?: Record<string, CodexConfigValue>;
  env?: NodeJS.ProcessEnv;
}): Promise<string[]> {
  const config = await readCodexConfig(input);
  const providers = isTable(config.model_providers) ? config.model_providers : {};
  return Object.values(providers)
    .map((entry) => (isTable(entry) ? entry.env_key : undefined))
    .filter((name): name is string => typeof name === 'string' && /^[A-Za-z_][A-Za-z0-9_]*$/.test(name));
}
