import type { CommandContext } from '../run-cli.js';
import type { RunSettings } from '../run-settings.js';

/** Loads `--config` (when given) and merges it with flags and env vars. */
export async function loadSettings(context: CommandContext): Promise<RunSettings> {
  const { parsed, io } = context;
  const { loadConfigFile } = await import('../config-file.js');
  const { resolveRunSettings } = await import('../run-settings.js');
  const config =
    parsed.flags.config === undefined ? {} : await loadConfigFile(parsed.flags.config, { cwd: io.cwd });
  return resolveRunSettings({ flags: parsed.flags, config, env: io.env, cwd: io.cwd });
}
