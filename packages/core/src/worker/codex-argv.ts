/** Builds the argv of `codex exec` for the installed Codex CLI (flags as of 0.169, the pinned version). */
import type { SandboxMode } from '../types.js';

/** A value of a `-c key=value` override; written as TOML. */
export type CodexConfigValue =
  | string
  | number
  | boolean
  | CodexConfigValue[]
  | { [key: string]: CodexConfigValue };

/** Everything one `codex exec` invocation needs. */
export interface CodexArgvInput {
  prompt: string;
  cwd: string;
  sandbox: SandboxMode;
  /** Extra writable roots (`--add-dir`), e.g. the worktree's git dirs. */
  addDirs?: string[];
  /** File codex writes its last message to (`-o`). */
  outputLastMessageFile: string;
  model?: string;
  resumeThreadId?: string;
  skipGitRepoCheck?: boolean;
  configOverrides?: Record<string, CodexConfigValue>;
}

/** TOML text of a value (JSON string escapes are valid TOML basic-string escapes). */
export function tomlValue(value: CodexConfigValue): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return `[${value.map(tomlValue).join(', ')}]`;
  const entries = Object.entries(value).map(([key, entry]) => `${JSON.stringify(key)} = ${tomlValue(entry)}`);
  return `{ ${entries.join(', ')} }`;
}

/**
 * The arguments after the codex binary. Options come before `resume` (codex requires that for
 * `-C`/`-s`), and the prompt follows `--` so a prompt starting with `-` is never read as a flag.
 */
export function buildCodexArgv(input: CodexArgvInput): string[] {
  const argv = ['exec', '--json', '--sandbox', input.sandbox, '--cd', input.cwd];
  for (const directory of input.addDirs ?? []) argv.push('--add-dir', directory);
  if (input.skipGitRepoCheck === true) argv.push('--skip-git-repo-check');
  argv.push('--output-last-message', input.outputLastMessageFile);
  if (input.model !== undefined) argv.push('--model', input.model);
  for (const [key, value] of Object.entries(input.configOverrides ?? {})) {
    argv.push('--config', `${key}=${tomlValue(value)}`);
  }
  if (input.resumeThreadId !== undefined) argv.push('resume', input.resumeThreadId);
  argv.push('--', input.prompt);
  return argv;
}
