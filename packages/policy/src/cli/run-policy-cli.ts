import { createInterface } from 'node:readline';
import type { PolicyConfigError } from '../config/policy-config-error.js';
import { createDefaultPolicy } from '../default-policy.js';
import type { Policy, PolicyDecision } from '../types.js';

/** Streams the CLI reads and writes; `process` streams in the bin, fakes in tests. */
export interface PolicyCliIo {
  stdin: NodeJS.ReadableStream;
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
  signal?: AbortSignal;
}

/** Exit codes: 0 allowed (or a corpus read completely), 1 denied, 2 usage or config error. */
export const exitCodes = { allowed: 0, denied: 1, usage: 2 } as const;

const USAGE = `Usage:
  orchestrator-policy check [--worktree NAME] [--config FILE] [--json] -- <command...>
  orchestrator-policy check --jsonl [--config FILE] < requests.jsonl

check      decide whether the command may run in worktree NAME (default: main);
           exit 0 when allowed, 1 when denied, 2 on a usage or config error
--jsonl    read {"command": "...", "worktree": "..."} per line from stdin and write
           {"command", "decision", "ruleId", "reason"} per line, in order
--config   a JSON policy config (see the README); default: the built-in policy
--json     print the whole decision as JSON
`;

interface CheckOptions {
  worktree: string;
  config?: string;
  json: boolean;
  jsonl: boolean;
  words: string[];
}

/**
 * Runs the `orchestrator-policy` command line in-process and returns the exit code. The
 * orchestrator CLI delegates `orchestrator policy check ...` here.
 *
 * @example
 * ```ts
 * const code = await runPolicyCli(['check', '--', 'git push'], { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr });
 * ```
 */
export async function runPolicyCli(argv: readonly string[], io: PolicyCliIo): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    (command === undefined ? io.stderr : io.stdout).write(USAGE);
    return command === undefined ? exitCodes.usage : exitCodes.allowed;
  }
  if (command !== 'check') return usageError(io, `unknown command ${JSON.stringify(command)}`);
  const options = parseCheckOptions(rest);
  if (typeof options === 'string') return usageError(io, options);
  let policy: Policy;
  try {
    policy = await loadPolicy(options.config, io.signal);
  } catch (error) {
    io.stderr.write(`orchestrator-policy: ${(error as PolicyConfigError).message}\n`);
    return exitCodes.usage;
  }
  if (options.jsonl) return checkLines(policy, io);
  const commandText = options.words.join(' ');
  const decision = policy.evaluate(commandText, { worktree: options.worktree });
  if (options.json) {
    io.stdout.write(`${JSON.stringify({ command: commandText, worktree: options.worktree, ...decision })}\n`);
  } else {
    io.stdout.write(formatDecision(decision));
  }
  return decision.decision === 'allow' ? exitCodes.allowed : exitCodes.denied;
}

function parseCheckOptions(args: readonly string[]): CheckOptions | string {
  const options: CheckOptions = { worktree: 'main', json: false, jsonl: false, words: [] };
  for (let index = 0; index < args.length; index++) {
    const arg = args[index]!;
    if (arg === '--') {
      options.words = args.slice(index + 1);
      break;
    }
    const [name, inline] =
      arg.startsWith('--') && arg.includes('=')
        ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)]
        : [arg, undefined];
    if (name === '--worktree' || name === '-w' || name === '--config' || name === '-c') {
      const value = inline ?? args[++index];
      if (value === undefined || value === '') return `${name} needs a value`;
      if (name === '--worktree' || name === '-w') options.worktree = value;
      else options.config = value;
    } else if (name === '--json') options.json = true;
    else if (name === '--jsonl') options.jsonl = true;
    else if (name.startsWith('-')) return `unknown option ${JSON.stringify(name)}`;
    else {
      options.words = args.slice(index);
      break;
    }
  }
  if (options.jsonl && options.words.length > 0)
    return '--jsonl reads commands from stdin; do not also pass a command';
  if (!options.jsonl && options.words.length === 0) return 'no command given; put it after --';
  return options;
}

async function loadPolicy(file: string | undefined, signal: AbortSignal | undefined): Promise<Policy> {
  if (file === undefined) return createDefaultPolicy();
  // Loaded on demand: zod and the config loader stay off the default fast path.
  const [{ loadPolicyConfig }, { createPolicy }] = await Promise.all([
    import('../config/load-policy-config.js'),
    import('../create-policy.js'),
  ]);
  return createPolicy(await loadPolicyConfig(file, signal ? { signal } : {}));
}

async function checkLines(policy: Policy, io: PolicyCliIo): Promise<number> {
  const lines = createInterface({ input: io.stdin, crlfDelay: Number.POSITIVE_INFINITY });
  let code: number = exitCodes.allowed;
  let number = 0;
  for await (const line of lines) {
    number++;
    if (line.trim() === '') continue;
    const request = parseRequest(line);
    if (typeof request === 'string') {
      code = exitCodes.usage;
      io.stdout.write(
        `${JSON.stringify({ command: null, decision: 'deny', ruleId: 'builtin:invalid-request', reason: `line ${number}: ${request}` })}\n`,
      );
      continue;
    }
    const decision = policy.evaluate(request.command, { worktree: request.worktree });
    io.stdout.write(
      `${JSON.stringify({ command: request.command, decision: decision.decision, ruleId: decision.ruleId ?? null, reason: decision.reason })}\n`,
    );
  }
  return code;
}

function parseRequest(line: string): { command: string; worktree: string } | string {
  let data: unknown;
  try {
    data = JSON.parse(line);
  } catch {
    return 'not valid JSON; expected {"command": "...", "worktree": "..."}';
  }
  if (data === null || typeof data !== 'object')
    return 'expected an object {"command": "...", "worktree": "..."}';
  const { command, worktree = 'main' } = data as { command?: unknown; worktree?: unknown };
  if (typeof command !== 'string') return '"command" must be a string';
  if (typeof worktree !== 'string') return '"worktree" must be a string';
  return { command, worktree };
}

function formatDecision(decision: PolicyDecision): string {
  const head = `${decision.decision}${decision.ruleId ? ` [${decision.ruleId}]` : ''}: ${decision.reason}\n`;
  const lines = decision.commands.map(
    (verdict) =>
      `  ${verdict.decision.padEnd(5)} ${verdict.text.replace(/\s+/g, ' ').slice(0, 100)}${verdict.ruleId ? `  [${verdict.ruleId}]` : ''}\n`,
  );
  return head + (decision.commands.length > 1 ? lines.join('') : '');
}

function usageError(io: PolicyCliIo, message: string): number {
  io.stderr.write(`orchestrator-policy: ${message}\n\n${USAGE}`);
  return exitCodes.usage;
}
