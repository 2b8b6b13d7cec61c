import type { Policy } from '@codex-orchestrator/policy';
import { CliError } from './cli-error.js';

/**
 * Loads `--policy FILE` (or the config file's `policy`) into a policy: read, validated, every
 * rule checked against its own examples. Any problem is one line naming the file and the field.
 */
export async function loadPolicyFile(path: string | undefined): Promise<Policy | undefined> {
  if (path === undefined) return undefined;
  const { createPolicy, loadPolicyConfig } = await import('@codex-orchestrator/policy');
  try {
    return createPolicy(await loadPolicyConfig(path));
  } catch (error) {
    const message = (error as Error).message.replace(/\s*\n\s*/g, ' ');
    const detail = message.startsWith(path) ? message.slice(path.length).replace(/^:\s*/, '') : message;
    throw new CliError(
      `Policy file ${path}: ${detail} (check --policy or "policy" in the config file; see the policy README for the format).`,
      {
        code: 'policy-invalid',
        cause: error,
      },
    );
  }
}
