import { execFile } from 'node:child_process';
import { tmpdir } from 'node:os';
import type { CodexBinary, CodexOptions } from '@codex-orchestrator/core';
import { CliError } from './cli-error.js';
import { toTerminalLine } from './output/terminal-text.js';

type ConfigValue = NonNullable<CodexOptions['configOverrides']>[string];

/** A `-c key=value` value in TOML (strings, numbers, booleans and flat tables are all we send). */
function toml(value: ConfigValue): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return `[${value.map(toml).join(', ')}]`;
  return `{ ${Object.entries(value)
    .map(([key, item]) => `${key} = ${toml(item)}`)
    .join(', ')} }`;
}

interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
}

function run(binary: CodexBinary, args: string[], env: NodeJS.ProcessEnv, timeoutMs: number): Promise<Ran> {
  return new Promise((resolve) => {
    const child = execFile(
      binary.command,
      [...binary.args, ...args],
      { cwd: tmpdir(), env, timeout: timeoutMs, killSignal: 'SIGKILL', maxBuffer: 4 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const timedOut = (error as { killed?: boolean } | null)?.killed === true;
        resolve({
          code: error ? (child.exitCode ?? 1) : 0,
          stdout: String(stdout),
          stderr: String(stderr),
          timedOut,
        });
      },
    );
    child.stdin?.end();
  });
}

/** The last error codex reported in its JSON events (`turn.failed`, `error`), if any. */
export function lastCodexError(jsonl: string): string | undefined {
  let last: string | undefined;
  for (const line of jsonl.split('\n')) {
    if (!line.startsWith('{')) continue;
    try {
      const event = JSON.parse(line) as { type?: string; message?: unknown; error?: { message?: unknown } };
      if (event.type === 'turn.failed' && typeof event.error?.message === 'string')
        last = event.error.message;
      else if (event.type === 'error' && typeof event.message === 'string') last = event.message;
    } catch {
      // not an event line
    }
  }
  return last;
}

/**
 * Checks that codex runs and, with `realRequest`, that it reaches a model with the settings the
 * run will give it: one tiny `codex exec` in a temp folder (read-only sandbox, no session saved),
 * with codex's connection retries bounded so an unreachable model fails in seconds, not at the
 * 30-minute timeout. Used when codex keeps its own provider (its login or config), which a
 * plain HTTP probe cannot see.
 */
export async function probeCodex(input: {
  binary: CodexBinary;
  env: Record<string, string | undefined>;
  codex: Pick<CodexOptions, 'configOverrides' | 'model' | 'env' | 'codexHome'>;
  realRequest: boolean;
  timeoutMs?: number;
}): Promise<void> {
  const env = {
    ...input.env,
    ...input.codex.env,
    ...(input.codex.codexHome === undefined ? {} : { CODEX_HOME: input.codex.codexHome }),
  } as NodeJS.ProcessEnv;
  const version = await run(input.binary, ['--version'], env, 20_000);
  if (version.code !== 0) {
    throw new CliError(
      `The Codex CLI at ${input.binary.path} does not start (${toTerminalLine(version.stderr.trim() || `exit ${version.code}`, 200)}): reinstall it (npm install -g @openai/codex) or set "codexPath" in the config file.`,
      { code: 'codex-broken' },
    );
  }
  if (!input.realRequest) return;
  const overrides = Object.entries(input.codex.configOverrides ?? {}).flatMap(([key, value]) => [
    '-c',
    `${key}=${toml(value)}`,
  ]);
  const timeoutMs = input.timeoutMs ?? 60_000;
  const probe = await run(
    input.binary,
    [
      'exec',
      '--json',
      '--skip-git-repo-check',
      '--ephemeral',
      '--sandbox',
      'read-only',
      ...(input.codex.model === undefined ? [] : ['--model', input.codex.model]),
      ...overrides,
      'Reply with the single word OK. Do not run any command.',
    ],
    env,
    timeoutMs,
  );
  const reason = lastCodexError(probe.stdout);
  if (probe.timedOut) {
    throw new CliError(
      `codex did not reach its model within ${Math.round(timeoutMs / 1000)} s${reason === undefined ? '' : ` (last: ${toTerminalLine(reason, 200)})`}: check its provider (codex login, OPENAI_API_KEY, ~/.codex/config.toml) or pass --base-url so codex uses the orchestrator's endpoint.`,
      { code: 'codex-unreachable' },
    );
  }
  if (probe.code !== 0 || probe.stdout.includes('"type":"turn.failed"')) {
    const shown = reason ?? (probe.stderr.trim().split('\n').pop() || `exit ${probe.code}`);
    throw new CliError(
      `codex cannot reach its model (${toTerminalLine(shown, 240)}): check its provider (codex login, OPENAI_API_KEY, ~/.codex/config.toml) or pass --base-url so codex uses the orchestrator's endpoint.`,
      { code: 'codex-unreachable' },
    );
  }
}
