import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { z } from 'zod';
import { CliError } from './cli-error.js';

const positiveInteger = z
  .number({ error: 'must be a whole number of at least 1' })
  .int({ error: 'must be a whole number of at least 1' })
  .min(1, { error: 'must be a whole number of at least 1' });
const nonEmptyString = z.string({ error: 'must be a string' }).min(1, { error: 'must not be empty' });
const flag = z.boolean({ error: 'must be true or false' });

/** The schema of the `--config` JSON file. Unknown fields are refused (they are usually typos). */
export const configFileSchema = z.strictObject({
  $schema: z.string().optional(),
  baseDir: nonEmptyString.optional(),
  model: nonEmptyString.optional(),
  baseURL: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).optional(),
  maxParallel: positiveInteger.optional(),
  review: z.enum(['off', 'agent', 'codex'], { error: 'must be one of "off", "agent", "codex"' }).optional(),
  budget: z
    .strictObject({
      tokens: positiveInteger.optional(),
      costUsd: z
        .number({ error: 'must be a number' })
        .positive({ error: 'must be greater than 0' })
        .optional(),
    })
    .optional(),
  smokeTest: nonEmptyString.optional(),
  policy: nonEmptyString.optional(),
  worktreeSetup: nonEmptyString.optional(),
  worktreeInclude: z.array(nonEmptyString, { error: 'must be a list of paths or patterns' }).optional(),
  reuseDependencies: flag.optional(),
  portsPerWorktree: z
    .number({ error: 'must be a whole number of 0 or more' })
    .int({ error: 'must be a whole number of 0 or more' })
    .min(0, { error: 'must be a whole number of 0 or more' })
    .optional(),
  codexPath: nonEmptyString.optional(),
  codex: z
    .strictObject({
      model: nonEmptyString.optional(),
      baseURL: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).optional(),
      ownConfig: flag.optional(),
    })
    .optional(),
  skipPreflight: flag.optional(),
  unsafeNoSandbox: flag.optional(),
  approve: flag.optional(),
  dryRun: flag.optional(),
  trace: flag.optional(),
  dispatch: z
    .strictObject({
      inbox: nonEmptyString.optional(),
      store: nonEmptyString.optional(),
      concurrency: positiveInteger.optional(),
    })
    .optional(),
});

/** The contents of a config file, with relative paths resolved against the file's folder. */
export type ConfigFile = z.infer<typeof configFileSchema>;

/**
 * Reads and validates a JSON config file. Relative paths in it (`baseDir`, `codexPath`, `policy`,
 * `dispatch.inbox`, `dispatch.store`) are resolved against the folder of the file.
 * Throws {@link CliError} naming the file, the field and the bad value.
 *
 * @example
 * const config = await loadConfigFile('orchestrator.json'); // { baseDir: '/home/me/shop', maxParallel: 2 }
 */
export async function loadConfigFile(path: string, options: { cwd?: string } = {}): Promise<ConfigFile> {
  const absolutePath = resolve(options.cwd ?? process.cwd(), path);
  let text: string;
  try {
    text = await readFile(absolutePath, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'does not exist' : 'cannot be read';
    throw new CliError(`Config file ${absolutePath} ${reason}. Check the path given to --config.`, {
      code: 'config-invalid',
      cause: error,
    });
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new CliError(
      `Config file ${absolutePath} is not valid JSON (${(error as Error).message}). Fix the syntax.`,
      { code: 'config-invalid', cause: error },
    );
  }
  const result = configFileSchema.safeParse(data, { reportInput: true });
  if (!result.success) {
    throw new CliError(`Config file ${absolutePath}: ${describeIssue(result.error.issues[0])}`, {
      code: 'config-invalid',
      cause: result.error,
    });
  }
  const config = result.data;
  const folder = dirname(absolutePath);
  if (config.baseDir !== undefined) config.baseDir = resolve(folder, config.baseDir);
  if (config.codexPath !== undefined) config.codexPath = resolve(folder, config.codexPath);
  if (config.policy !== undefined) config.policy = resolve(folder, config.policy);
  if (config.dispatch?.inbox !== undefined) config.dispatch.inbox = resolve(folder, config.dispatch.inbox);
  if (config.dispatch?.store !== undefined) config.dispatch.store = resolve(folder, config.dispatch.store);
  return config;
}

function describeIssue(issue: z.core.$ZodIssue | undefined): string {
  if (issue === undefined) return 'invalid contents.';
  if (issue.code === 'unrecognized_keys') {
    const where = issue.path.length > 0 ? ` in "${issue.path.join('.')}"` : '';
    return `unknown field "${issue.keys[0]}"${where}. Remove it or fix its name (see the README for the fields).`;
  }
  if (issue.path.length === 0) return 'the file must contain a JSON object, e.g. { "maxParallel": 2 }.';
  const got = issue.input === undefined ? '' : ` (got ${JSON.stringify(issue.input)})`;
  return `field "${issue.path.join('.')}" ${issue.message}${got}.`;
}
