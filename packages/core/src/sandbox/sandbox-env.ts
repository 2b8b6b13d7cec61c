import { sandboxEnvAllowlist } from './sandbox-options.js';

/** Names git reads its command-line-strength config from (the no-push rewrite lives there). */
const gitConfigName = /^GIT_CONFIG_(?:COUNT|KEY_\d+|VALUE_\d+)$/;

/**
 * The environment of a sandboxed command: from `source`, only the allowlist (`PATH`, `LANG`,
 * `LC_*`, `TERM`, `CI`, ...), the configured `extraNames`, git's no-push config and
 * `GIT_TERMINAL_PROMPT`; then `set` (e.g. `HOME`, `ROOT`). API keys, tokens and the
 * orchestrator's own settings never pass, whatever their name.
 */
export function sandboxEnv(
  source: NodeJS.ProcessEnv,
  extraNames: readonly string[],
  set: Record<string, string>,
): NodeJS.ProcessEnv {
  const allowed = new Set([...sandboxEnvAllowlist, ...extraNames, 'GIT_TERMINAL_PROMPT']);
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(source)) {
    if (value === undefined) continue;
    if (allowed.has(name) || name.startsWith('LC_') || gitConfigName.test(name)) env[name] = value;
  }
  return { ...env, ...set };
}
