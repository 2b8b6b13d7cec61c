/**
 * Reads a `codex exec ...` command as the orchestrator model writes it (old guides included) and
 * turns it into a worker request. Flags that would change codex's configuration, sandbox or
 * files outside the request are refused with a reason the model can act on.
 */
import type { SandboxMode } from '../types.js';
import { CodexExecArgsError } from './codex-errors.js';

/** What a `codex exec` command asks for. */
export interface CodexExecRequest {
  prompt: string;
  /** Requested sandbox (`--full-auto` reads as `workspace-write`); absent when not given. */
  sandbox?: SandboxMode;
  model?: string;
  resumeThreadId?: string;
  /** `-C/--cd` as written; the caller checks it names the worktree. */
  cd?: string;
}

const sandboxModes: readonly SandboxMode[] = ['read-only', 'workspace-write', 'danger-full-access'];

const supported =
  'Supported: codex exec [--sandbox read-only|workspace-write] [--full-auto] [-m MODEL] [--json] ' +
  '[-C <this worktree>] [--skip-git-repo-check] [--ephemeral] "<prompt>", and ' +
  'codex exec resume <THREAD_ID> "<next prompt>".';

const configurationFlags = new Set([
  '-c',
  '--config',
  '--enable',
  '--disable',
  '-p',
  '--profile',
  '--oss',
  '--local-provider',
  '--ignore-user-config',
  '--ignore-rules',
  '--strict-config',
  '--trust',
  '--approve-for-me',
  '--dangerously-bypass-hook-trust',
  '--thread-source',
  '--cyber-access-program',
]);

const refusals: Record<string, string> = {
  '--dangerously-bypass-approvals-and-sandbox': "the sandbox is set by the orchestrator's configuration",
  '--yolo': "the sandbox is set by the orchestrator's configuration",
  '--add-dir': 'codex may write only inside its worktree',
  '-o': 'the final message is already part of the result summary',
  '--output-last-message': 'the final message is already part of the result summary',
  '--output-schema': 'output schemas are not supported',
  '-i': 'images are not supported',
  '--image': 'images are not supported',
  '--worktree': 'the orchestrator creates and manages worktrees',
  '--last': 'name the thread id shown in the summary of the earlier run instead',
  '--all': 'name the thread id shown in the summary of the earlier run instead',
  '-h': 'help is not available here',
  '--help': 'help is not available here',
  '-V': 'the version is not available here',
  '--version': 'the version is not available here',
};

const withValue = new Set(['-m', '--model', '-s', '--sandbox', '-C', '--cd', '--color']);

function refuse(flag: string, reason: string): never {
  throw new CodexExecArgsError(
    `codex exec: ${JSON.stringify(flag)} is not supported: ${reason}. ${supported}`,
    flag,
  );
}

function plainValue(flag: string, value: string | undefined, pattern: RegExp): string {
  if (value === undefined || value === '') refuse(flag, 'it needs a value');
  if (value.startsWith('-') || !pattern.test(value))
    refuse(flag, `${JSON.stringify(value)} is not a valid value`);
  return value;
}

/**
 * Parses the argv of one `codex exec` command (`argv[0]` is `codex`).
 *
 * @example
 * parseCodexExecArgs(['codex', 'exec', '--full-auto', 'Add a test']);
 * // { prompt: 'Add a test', sandbox: 'workspace-write' }
 * @throws {CodexExecArgsError} naming the unsupported flag or the missing prompt.
 */
export function parseCodexExecArgs(argv: readonly string[]): CodexExecRequest {
  if (argv[0] !== 'codex' || (argv[1] !== 'exec' && argv[1] !== 'e')) {
    throw new CodexExecArgsError(
      `Not a codex exec command: ${JSON.stringify(argv.slice(0, 2).join(' '))}. ${supported}`,
      String(argv[1] ?? ''),
    );
  }
  const request: Partial<CodexExecRequest> = {};
  const positionals: string[] = [];
  let resume = false;
  let optionsEnded = false;
  for (let index = 2; index < argv.length; index++) {
    const argument = argv[index] as string;
    if (optionsEnded || !argument.startsWith('-') || argument === '-') {
      if (!resume && positionals.length === 0 && !optionsEnded) {
        if (argument === 'resume') {
          resume = true;
          continue;
        }
        if (['review', 'fork', 'help'].includes(argument))
          refuse(argument, `the "${argument}" subcommand is not run here`);
      }
      positionals.push(argument);
      continue;
    }
    if (argument === '--') {
      optionsEnded = true;
      continue;
    }
    const equals = argument.indexOf('=');
    const flag = argument.startsWith('--') && equals > 0 ? argument.slice(0, equals) : argument;
    if (configurationFlags.has(flag))
      refuse(flag, 'codex configuration is set by the orchestrator, not per command');
    const reason = refusals[flag];
    if (reason !== undefined) refuse(flag, reason);
    let value: string | undefined;
    if (withValue.has(flag)) {
      value = flag === argument ? argv[++index] : argument.slice(equals + 1);
    } else if (flag !== argument) {
      refuse(flag, 'it takes no value');
    }
    switch (flag) {
      case '--json':
      case '--skip-git-repo-check':
      case '--ephemeral':
      case '--color':
        break; // the worker always uses --json and decides the rest itself
      case '--full-auto':
        request.sandbox = 'workspace-write';
        break;
      case '-s':
      case '--sandbox':
        if (!sandboxModes.includes(value as SandboxMode)) {
          refuse(
            flag,
            `${JSON.stringify(value ?? '')} is not a sandbox mode (use ${sandboxModes.join(', ')})`,
          );
        }
        request.sandbox = value as SandboxMode;
        break;
      case '-m':
      case '--model':
        request.model = plainValue(flag, value, /^[\w.:/-]{1,100}$/);
        break;
      case '-C':
      case '--cd':
        if (value === undefined || value === '') refuse(flag, 'it needs a directory');
        request.cd = value;
        break;
      default:
        refuse(flag, 'unknown flag');
    }
  }
  if (resume) {
    const threadId = positionals.shift();
    request.resumeThreadId = plainValue('resume', threadId, /^[\w.-]{1,200}$/);
  }
  if (positionals.length > 1) {
    refuse(positionals[1] as string, 'give the prompt as one quoted argument');
  }
  const prompt = positionals[0];
  if (prompt === undefined || prompt.trim() === '') refuse('prompt', 'a prompt is required');
  if (prompt === '-') refuse('-', 'the prompt cannot come from stdin');
  return { ...request, prompt };
}
