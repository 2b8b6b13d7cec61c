/**
 * A throwaway `CODEX_HOME` whose config.toml points the real codex binary at a scripted model
 * server, with every outbound call other than that server switched off.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Options of `createCodexHome`. */
export interface CodexHomeOptions {
  /** Directory to write into (created if missing). Default: a new temp directory. */
  directory?: string;
  /**
   * Model slug. It must be one of `codex debug models --bundled` (default `gpt-5.5`), else codex
   * does not offer `apply_patch` and ignores patch calls.
   */
  model?: string;
  /** Idle time after which codex gives up on a stalled stream (default 10 000 ms). */
  streamIdleTimeoutMs?: number;
  /** TOML appended to config.toml as is (top-level keys must come before any table you add). */
  extraConfig?: string;
}

/** A written CODEX_HOME. */
export interface CodexHome {
  /** Absolute path of the directory. */
  path: string;
  /** Add to the environment of codex: `CODEX_HOME` and the provider's API key variable. */
  env: { CODEX_HOME: string; SCRIPTED_API_KEY: string };
  /** The config.toml that was written. */
  configToml: string;
  model: string;
  /** Deletes the directory (sessions codex wrote included). */
  remove(): Promise<void>;
}

/**
 * The config.toml for a codex that talks only to `baseURL` (a scripted model server): custom
 * `responses` provider, retries off, analytics, plugins and update checks off.
 */
export function scriptedCodexConfig(
  baseURL: string,
  options: Omit<CodexHomeOptions, 'directory'> = {},
): string {
  const model = options.model ?? 'gpt-5.5';
  return [
    `model = ${JSON.stringify(model)}`,
    'model_provider = "scripted"',
    'check_for_update_on_startup = false',
    'analytics.enabled = false',
    '',
    '[features]',
    'plugins = false',
    'unbounded_connection_retries = false',
    '',
    '[model_providers.scripted]',
    'name = "scripted"',
    `base_url = ${JSON.stringify(baseURL)}`,
    'env_key = "SCRIPTED_API_KEY"',
    'wire_api = "responses"',
    'request_max_retries = 0',
    'stream_max_retries = 0',
    `stream_idle_timeout_ms = ${options.streamIdleTimeoutMs ?? 10000}`,
    '',
    options.extraConfig ?? '',
  ].join('\n');
}

/**
 * Writes a CODEX_HOME for `server` and returns the env to run codex with.
 *
 * @example
 * const home = await createCodexHome(server);
 * await execa('codex', ['exec', '--json', 'hi'], { env: { ...process.env, ...home.env }, stdin: 'ignore' });
 * await home.remove();
 */
export async function createCodexHome(
  server: { baseURL: string },
  options: CodexHomeOptions = {},
): Promise<CodexHome> {
  const path = options.directory ?? (await mkdtemp(join(tmpdir(), 'codex-home-')));
  await mkdir(path, { recursive: true });
  const configToml = scriptedCodexConfig(server.baseURL, options);
  await writeFile(join(path, 'config.toml'), configToml);
  return {
    path,
    env: { CODEX_HOME: path, SCRIPTED_API_KEY: 'scripted-model-server-key' },
    configToml,
    model: options.model ?? 'gpt-5.5',
    remove: () => rm(path, { recursive: true, force: true }),
  };
}
