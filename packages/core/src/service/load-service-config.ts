import { readFileSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { z } from 'zod';
import { ConfigurationError } from '../errors.js';
import { type SecretRef, type ServiceConfigParsed, serviceConfigSchema } from './service-config-schema.js';

/** A validated service config whose paths are absolute (resolved against the config file's folder). */
export type ServiceConfig = ServiceConfigParsed & { readonly configPath: string };

/** `~/x` against the home folder, relative paths against `folder`. */
function absolutePath(path: string, folder: string): string {
  if (path === '~' || path.startsWith('~/')) return join(homedir(), path.slice(1));
  return isAbsolute(path) ? path : resolve(folder, path);
}

/** Field names whose values are secrets (or the reference to one). */
const secretField = /token|key|secret|password|credential/i;

/** One line naming the field path, what was wrong, and the value found (never a secret's). */
function describeIssue(issue: z.core.$ZodIssue | undefined): string {
  if (!issue) return 'invalid contents';
  const field = issue.path.map(String).join('.');
  if (issue.code === 'unrecognized_keys')
    return `unknown field "${issue.keys[0]}"${field ? ` in "${field}"` : ''}: remove it or fix its name`;
  if (!field) return 'the file must contain a JSON object with at least "projects"';
  if (issue.code === 'invalid_key') {
    const inner = issue.issues[0]?.message ?? 'is not allowed';
    return `the name of "${field}" ${inner}`;
  }
  const input = (issue as { input?: unknown }).input;
  // A value under a secret's field (a token pasted into the config) is never shown, not even cut.
  const secret = issue.path.some((part) => typeof part === 'string' && secretField.test(part));
  const shown =
    input === undefined
      ? ''
      : secret
        ? ` (got ${Array.isArray(input) ? 'a list' : typeof input === 'object' && input !== null ? 'an object' : `a ${typeof input}`}; its value is not shown)`
        : ` (got ${JSON.stringify(input).slice(0, 80)})`;
  return `field "${field}" ${issue.message}${shown}`;
}

/**
 * Parses and validates a service config from JSON text. Errors are one `ConfigurationError` line
 * naming the file, the field path and the value.
 */
export function parseServiceConfig(text: string, configPath: string): ServiceConfig {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new ConfigurationError(
      `${configPath} is not valid JSON (${(error as Error).message}); fix the syntax`,
      {
        code: 'service-config-invalid',
        cause: error,
      },
    );
  }
  const result = serviceConfigSchema.safeParse(data, { reportInput: true });
  if (!result.success)
    throw new ConfigurationError(`${configPath}: ${describeIssue(result.error.issues[0])}`, {
      code: 'service-config-invalid',
      cause: result.error,
    });
  const folder = dirname(configPath);
  const config = result.data;
  const fixSecret = (ref: SecretRef | undefined) => {
    if (ref?.file !== undefined) ref.file = absolutePath(ref.file, folder);
  };
  for (const project of Object.values(config.projects)) {
    project.baseDir = absolutePath(project.baseDir, folder);
    if (project.policy !== undefined) project.policy = absolutePath(project.policy, folder);
    fixSecret(project.model?.apiKey);
  }
  if (config.store) config.store.path = absolutePath(config.store.path, folder);
  if (config.sources.inbox) config.sources.inbox.dir = absolutePath(config.sources.inbox.dir, folder);
  fixSecret(config.api?.token);
  fixSecret(config.sources.telegram?.token);
  fixSecret(config.model?.apiKey);
  for (const [index, tracker] of config.trackers.entries()) {
    fixSecret(tracker.kind === 'github' ? tracker.token : tracker.apiKey);
    fixSecret(tracker.webhook?.secret);
    const routes: Record<string, Record<string, string>> = tracker.kind === 'github'
      ? { repositories: tracker.repositories }
      : { teams: tracker.teams, projects: tracker.projects };
    for (const [field, map] of Object.entries(routes))
      for (const [container, project] of Object.entries(map))
        if (!(project in config.projects))
          throw new ConfigurationError(
            `${configPath}: field "trackers[${index}].${field}.${container}" names no project (got "${project}"; projects: ${Object.keys(config.projects).join(', ')})`,
            { code: 'service-config-invalid' },
          );
  }
  if (config.sources.inbox?.project !== undefined && !(config.sources.inbox.project in config.projects))
    throw new ConfigurationError(
      `${configPath}: field "sources.inbox.project" names no project (got "${config.sources.inbox.project}"; projects: ${Object.keys(config.projects).join(', ')})`,
      { code: 'service-config-invalid' },
    );
  return { ...config, configPath };
}

/** Reads, parses and validates the service config file at `path`. */
export function loadServiceConfig(path: string, options: { cwd?: string } = {}): ServiceConfig {
  const configPath = resolve(options.cwd ?? process.cwd(), path);
  let text: string;
  try {
    text = readFileSync(configPath, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'does not exist' : 'cannot be read';
    throw new ConfigurationError(
      `the config file ${configPath} ${reason}; check the path given to --config`,
      {
        code: 'service-config-invalid',
        cause: error,
      },
    );
  }
  return parseServiceConfig(text, configPath);
}

/**
 * Reads a secret named by the config. Files must not be readable by others (like ssh keys);
 * the value is trimmed. Errors name the reference, never the value.
 */
export function readSecret(ref: SecretRef, what: string, env: NodeJS.ProcessEnv = process.env): string {
  if (ref.env !== undefined) {
    const value = env[ref.env]?.trim();
    if (!value)
      throw new ConfigurationError(`${what}: the environment variable ${ref.env} is not set`, {
        code: 'service-secret-missing',
      });
    return value;
  }
  const file = ref.file as string;
  let value: string;
  try {
    if (process.platform !== 'win32' && (statSync(file).mode & 0o077) !== 0)
      throw new ConfigurationError(`${what}: ${file} can be read by other users; run chmod 600 ${file}`, {
        code: 'service-secret-missing',
      });
    value = readFileSync(file, 'utf8').trim();
  } catch (error) {
    if (ConfigurationError.isInstance(error)) throw error;
    throw new ConfigurationError(
      `${what}: cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
      {
        code: 'service-secret-missing',
        cause: error,
      },
    );
  }
  if (!value) throw new ConfigurationError(`${what}: ${file} is empty`, { code: 'service-secret-missing' });
  return value;
}

/** The JSON Schema of the service config, for editors (`"$schema"` in the file). */
export function serviceConfigJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(serviceConfigSchema, { io: 'input', target: 'draft-2020-12' }) as Record<
    string,
    unknown
  >;
}
