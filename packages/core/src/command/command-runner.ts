import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { createPolicy, type PolicyDecision } from '@codex-orchestrator/policy';
import { createAuditLog } from '../audit/audit-log.js';
import { createRedactor } from '../audit/redact-secrets.js';
import { ConfigurationError } from '../errors.js';
import { createEventStream } from '../events/event-stream.js';
import { createSandbox, isSandbox } from '../sandbox/create-sandbox.js';
import { gitAccess } from '../sandbox/git-access.js';
import { errorMessage } from '../shared/error-message.js';
import type {
  CommandHandler,
  CommandInvocation,
  RunRepoCommandInput,
  RunRepoCommandResult,
} from '../types.js';
import { readWorktreePorts } from '../worktree/worktree-ports.js';
import { createCommandEnv } from './command-env.js';
import { type CommandCall, createCommandRecorder } from './command-recorder.js';
import { notRun, refuseCommand, resultOf } from './command-result.js';
import type { CommandRunner, CommandRunnerOptions, CommandRunOptions } from './command-runner-types.js';
import { plainCommandArgv } from './plain-command.js';
import { resolveBaseDir } from './resolve-base-dir.js';
import { runCommandHandler } from './run-command-handler.js';
import { runShellCommand } from './run-shell-command.js';
import { createWorktreeValidator, type WorktreeCheck } from './worktree-validator.js';

export type { CommandRunner, CommandRunnerOptions } from './command-runner-types.js';

/**
 * Creates the run_repo_command chokepoint. `run` goes: worktree name check (plain name, inside
 * `baseDir`, a worktree of the target repository) -> `policy.evaluate` -> denied: result, event and
 * audit line, no process -> dry-run: result and audit line, nothing executed -> one simple command
 * taken by a handler: `handler.run` (redirections or wrappers around it are the handler's to
 * ignore) -> otherwise `bash -c <the exact checked text>` in the worktree with `noPushEnv`, in its
 * own process group, under the timeout and signal, output capped. (A script that is one plain
 * external command, such as `git status`, is executed directly with the same argv, exactly what
 * bash would exec, minus bash's start-up; see `plainCommandArgv`.) Secrets are redacted from
 * results, events, trace and audit log. Throws `ConfigurationError` for a missing baseDir (here)
 * or a missing main worktree (from `run`, after writing the audit line).
 *
 * @example
 * const runner = createCommandRunner({ baseDir: '/srv/project' });
 * const result = await runner.run({ worktree: 'main', command: 'git status' });
 */
export function createCommandRunner(options: CommandRunnerOptions = {}): CommandRunner {
  const baseDir = resolveBaseDir(options.baseDir);
  const policy = options.policy ?? createPolicy();
  const handlers = options.handlers ?? [];
  const events = options.events ?? createEventStream();
  const redactor = createRedactor({ envNames: options.secrets ?? [], env: options.env ?? process.env });
  const auditLog =
    typeof options.auditLog === 'object'
      ? options.auditLog
      : createAuditLog(options.auditLog ?? join(options.root ?? process.cwd(), 'run_repo_command.log'), {
          redactor,
        });
  const timeoutMs = options.timeoutMs ?? 10 * 60_000;
  const killGraceMs = options.killGraceMs ?? 2000;
  const maxOutputBytes = options.maxOutputBytes ?? 16 * 1024;
  const dryRun = options.dryRun ?? process.env.ORCHESTRATOR_DRY_RUN === '1';
  const traceOption = options.trace ?? process.env.ORCHESTRATOR_TRACE === '1';
  const trace =
    typeof traceOption === 'function'
      ? traceOption
      : traceOption
        ? (line: string) => void process.stderr.write(`${line}\n`)
        : undefined;
  const sandbox = isSandbox(options.sandbox)
    ? options.sandbox
    : createSandbox(options.sandbox ?? {}, {
        hiddenPaths: auditLog.path === undefined ? [] : [auditLog.path],
      });
  const recorder = createCommandRecorder({
    events,
    redactor,
    auditLog,
    dryRun,
    trace,
    unconfined: !sandbox.enabled,
  });
  const validator = createWorktreeValidator({ baseDir, mainWorktree: options.mainWorktree ?? 'main' });
  const env = createCommandEnv({
    base: options.env ?? process.env,
    remove: options.inheritSecrets ? [] : redactor.envNames,
  });

  async function execute(
    call: CommandCall,
    command: unknown,
    signal: AbortSignal | undefined,
  ): Promise<RunRepoCommandResult> {
    const deny = (reason: string, ruleId: string | undefined): RunRepoCommandResult => ({
      status: 'denied',
      ...notRun,
      reason,
      ...(ruleId ? { ruleId } : {}),
    });
    let worktree: WorktreeCheck;
    try {
      worktree = await validator.check(call.worktree, signal ? { signal } : {});
    } catch (error) {
      if (ConfigurationError.isInstance(error)) throw error;
      if (signal?.aborted) return { status: 'cancelled', ...notRun, reason: 'cancelled before it started' };
      return deny(
        `the worktree ${JSON.stringify(call.worktree)} could not be checked: ${errorMessage(error)}`,
        'worktree.unchecked',
      );
    }
    if (!worktree.ok) return deny(worktree.reason, worktree.ruleId);
    const refused = refuseCommand(command);
    if (refused) return deny(refused.reason, refused.ruleId);
    const text = command as string;
    let decision: PolicyDecision;
    try {
      decision = policy.evaluate(text, { worktree: call.worktree });
    } catch (error) {
      return deny(`the policy could not evaluate the command: ${errorMessage(error)}`, 'policy.error');
    }
    if (decision.decision !== 'allow') return deny(decision.reason, decision.ruleId);

    // A command with a handler runs only through it, so it must be the whole script: inside
    // `a && codex exec ...` bash would run it, skipping the merge queue, the codex cap or budget.
    const context = { baseDir, ...(call.taskId === undefined ? {} : { taskId: call.taskId }) };
    const several = decision.commands.length > 1;
    let handled: { handler: CommandHandler; invocation: CommandInvocation } | undefined;
    try {
      for (const found of decision.commands) {
        const invocation: CommandInvocation = {
          worktree: call.worktree,
          cwd: worktree.cwd,
          argv: found.argv,
          command: several ? found.text : text,
          context,
        };
        const handler = handlers.find((candidate) => candidate.matches(invocation));
        if (handler === undefined) continue;
        if (several) {
          return deny(
            `\`${found.text}\` must be sent as a run_repo_command call of its own, not combined with other ` +
              `commands (&&, ;, |, $(...), wrappers), so that the ${handler.name} handler runs it. Send it alone.`,
            'command.handler-alone',
          );
        }
        handled = { handler, invocation };
      }
    } catch (error) {
      return {
        status: 'failed',
        ...notRun,
        reason: `choosing a command handler failed: ${errorMessage(error)}`,
      };
    }

    const ruleId = decision.ruleId ? { ruleId: decision.ruleId } : {};
    recorder.start(call, decision.ruleId);
    if (dryRun) return { status: 'dry-run', ...notRun, ...ruleId };
    if (signal?.aborted)
      return { status: 'cancelled', ...notRun, reason: 'cancelled before it started', ...ruleId };
    if (handled) {
      return runCommandHandler(handled.handler, handled.invocation, {
        signal: signal ?? new AbortController().signal,
        recorder,
        maxOutputBytes,
        ruleId,
      });
    }
    const plain = plainCommandArgv(text, worktree.cwd, env);
    const ports = await readWorktreePorts(baseDir, call.worktree);
    // Throws SandboxUnavailableError (a ConfigurationError): fail closed, nothing runs.
    const confined = await sandbox.confine({
      argv: plain ?? ['bash', '-c', text],
      worktree: worktree.cwd,
      git: gitAccess(decision.commands.map((found) => found.argv)),
      readable: [baseDir],
      env,
      ...(ports === undefined ? {} : { set: ports.env }),
    });
    const outcome = await runShellCommand({
      command: text,
      argv: confined.argv,
      cwd: confined.cwd,
      env: confined.env,
      infoFd: confined.infoFd,
      timeoutMs,
      killGraceMs,
      maxOutputBytes,
      ...(signal ? { signal } : {}),
    });
    return resultOf(outcome, timeoutMs, ruleId);
  }

  async function run(
    input: RunRepoCommandInput,
    runOptions: CommandRunOptions = {},
  ): Promise<RunRepoCommandResult> {
    const started = performance.now();
    const taskId = runOptions.taskId ?? options.taskId;
    const worktree = typeof input?.worktree === 'string' ? input.worktree : String(input?.worktree ?? '');
    const call: CommandCall = {
      callId: randomUUID(),
      time: new Date().toISOString(),
      worktree,
      command: redactor.redact(typeof input?.command === 'string' ? input.command : ''),
      ...(taskId === undefined ? {} : { taskId }),
    };
    let result: RunRepoCommandResult;
    try {
      result = await execute(call, input?.command, runOptions.signal);
    } catch (error) {
      const failed = {
        status: 'failed' as const,
        ...notRun,
        reason: errorMessage(error),
        durationMs: performance.now() - started,
      };
      await recorder.finish(call, redactor.redactValue(failed));
      throw error;
    }
    const final = redactor.redactValue({ ...result, durationMs: performance.now() - started });
    await recorder.finish(call, final);
    return final;
  }

  return { baseDir, events, auditLog, dryRun, run };
}
