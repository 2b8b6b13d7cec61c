import { readFile } from 'node:fs/promises';
import { parsePolicyConfig } from './parse-policy-config.js';
import type { PolicyConfig } from './policy-config.js';
import { PolicyConfigError } from './policy-config-error.js';

/**
 * Reads a policy config from a JSON file and validates its shape. Rules and their examples are
 * checked when the config is passed to `createPolicy`.
 *
 * @example
 * ```ts
 * const policy = createPolicy(await loadPolicyConfig('policy.json'));
 * ```
 */
export async function loadPolicyConfig(
  file: string,
  options: { signal?: AbortSignal } = {},
): Promise<PolicyConfig> {
  let text: string;
  try {
    text = await readFile(file, { encoding: 'utf8', signal: options.signal });
  } catch (error) {
    if (options.signal?.aborted) throw error;
    throw new PolicyConfigError(`${file}: cannot read the policy config (${(error as Error).message})`, {
      field: '',
      value: file,
      file,
      cause: error,
    });
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new PolicyConfigError(
      `${file}: the policy config is not valid JSON (${(error as Error).message})`,
      {
        field: '',
        value: text.slice(0, 80),
        file,
        cause: error,
      },
    );
  }
  return parsePolicyConfig(data, file);
}
