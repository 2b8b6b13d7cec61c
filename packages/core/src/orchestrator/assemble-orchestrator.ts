/**
 * Wires one run together: the model provider (metered, budget-checked), the codex worker behind
 * the concurrency cap, the reviewer, the merge queue, the run_repo_command chokepoint with its
 * handlers and policy, and the orchestrator agent with its tools.
 */
import { Agent, OpenAIProvider, Runner } from '@openai/agents';
import OpenAI from 'openai';
import { createCommandRunner } from '../command/command-runner.js';
import type { CommandRunner } from '../command/command-runner-types.js';
import { createRunRepoCommandTool } from '../command/run-repo-command-tool.js';
import type { EventStream } from '../events/event-stream.js';
import { createPatientModelProvider } from '../model/patient-model-provider.js';
import type { Sandbox } from '../sandbox/create-sandbox.js';
import type { CommandHandler, Worker } from '../types.js';
import { createCodexCommandHandler } from '../worker/codex-command-handler.js';
import { createCodexWorker } from '../worker/codex-worker.js';
import { createWorktreeCommandHandler } from '../worktree/worktree-command-handler.js';
import type { WorktreeManager } from '../worktree/worktree-manager.js';
import { createAgentReviewer } from './agent-reviewer.js';
import { createCodexReviewer } from './codex-reviewer.js';
import { createGatedWorker } from './gated-worker.js';
import { createMergeQueue, type MergeQueue } from './merge-queue.js';
import { createMeteredModelProvider } from './metered-model-provider.js';
import { buildOrchestratorInstructions } from './orchestrator-instructions.js';
import type { CodexOptions, ResolvedOrchestratorOptions } from './orchestrator-options.js';
import type { RepositoryGit } from './repository-git.js';
import { type RepositoryInvariants, runChecked } from './repository-invariants.js';
import { createReviewGate } from './review-gate.js';
import { createSemaphore } from './semaphore.js';
import type { TestLogTracker } from './test-log-tracker.js';
import { createUpdatePlanTool } from './update-plan-tool.js';
import type { UsageMeter } from './usage-meter.js';

/** What `assembleOrchestrator` needs. */
export interface AssemblyInput {
  /** The run's options, validated and complete: the only options the wiring reads. */
  resolved: ResolvedOrchestratorOptions;
  taskId: string;
  events: EventStream;
  meter: UsageMeter;
  testLogs: TestLogTracker;
  mainGit: RepositoryGit;
  worktrees: WorktreeManager;
  /** run_repo_command calls in progress are added here (the run waits for them before the guard). */
  inFlight: Set<Promise<unknown>>;
  /** The run's sandbox, already checked. */
  sandbox: Sandbox;
  /** Checked around every run_repo_command (refs, config, hooks); absent: not checked. */
  invariants?: RepositoryInvariants;
}

/** A run ready to start. */
export interface AssembledOrchestrator {
  agent: Agent;
  runner: Runner;
  queue: MergeQueue;
}

function codexWorker(codex: CodexOptions, sandbox: Sandbox): Worker {
  return createCodexWorker({
    confinement: sandbox,
    ...(codex.path === undefined ? {} : { codexPath: codex.path }),
    ...(codex.sandbox === undefined ? {} : { sandbox: codex.sandbox }),
    ...(codex.codexHome === undefined ? {} : { codexHome: codex.codexHome }),
    ...(codex.configOverrides === undefined ? {} : { configOverrides: codex.configOverrides }),
    ...(codex.model === undefined ? {} : { model: codex.model }),
    ...(codex.env === undefined ? {} : { env: codex.env }),
    ...(codex.timeoutMs === undefined ? {} : { timeoutMs: codex.timeoutMs }),
  });
}

/** A runner whose run() checks the repository's invariants, records test runs and tracks calls in flight. */
function trackCalls(
  runner: CommandRunner,
  testLogs: TestLogTracker,
  inFlight: Set<Promise<unknown>>,
  invariants?: RepositoryInvariants,
): CommandRunner {
  return {
    ...runner,
    run(input, runOptions) {
      const call = runChecked(runner, invariants, input, runOptions).then((result) => {
        testLogs.record({
          worktree: input.worktree,
          command: input.command,
          exitCode: result.exitCode,
          output: `${result.stdout}${result.stderr}`,
          source: 'orchestrator',
        });
        return result;
      });
      inFlight.add(call);
      const forget = () => inFlight.delete(call);
      void call.then(forget, forget);
      return call;
    },
  };
}

/** Builds the agent, its runner and the merge queue of one run. */
export async function assembleOrchestrator(input: AssemblyInput): Promise<AssembledOrchestrator> {
  const { resolved, taskId, events, meter, testLogs, mainGit } = input;
  const modelProvider =
    resolved.modelProvider ??
    new OpenAIProvider({
      openAIClient: new OpenAI({
        // An endpoint without keys (a local server) still needs a non-empty key for the client.
        apiKey: resolved.apiKey ?? 'no-api-key',
        ...(resolved.baseURL === undefined ? {} : { baseURL: resolved.baseURL }),
        // The patient provider below retries and times out; the client's own limit is a backstop.
        maxRetries: 0,
        timeout: resolved.modelRequests.timeoutMs + 5_000,
      }),
    });
  const endpoint =
    resolved.modelProvider === undefined
      ? (resolved.baseURL ?? 'https://api.openai.com/v1')
      : 'of the custom modelProvider';
  const runnerFor = (agent: string) =>
    new Runner({
      modelProvider: createMeteredModelProvider({
        provider: createPatientModelProvider({
          provider: modelProvider,
          endpoint,
          requests: resolved.modelRequests,
          onRetry: (notice) =>
            events.emit({
              type: 'model-call-retry',
              agent,
              model: notice.model,
              attempt: notice.attempt,
              delayMs: notice.delayMs,
              reason: notice.reason,
              taskId,
            }),
        }),
        events,
        agent,
        taskId,
        beforeCall: () => meter.assertWithinBudget(),
      }),
      tracingDisabled: !resolved.tracing,
      workflowName: 'codex-orchestrator',
      // A call to a tool the agent does not have is answered to the model, not fatal to the run.
      toolNotFoundBehavior: 'return_error_to_model',
      toolErrorFormatter: ({ kind, toolName }) => {
        if (kind !== 'tool_not_found') return undefined;
        const name = JSON.stringify(toolName.slice(0, 100));
        events.emit({
          type: 'error',
          code: 'model-unknown-tool',
          message: `The ${agent} called a tool that does not exist, ${name}; it was told so and the run goes on.`,
          taskId,
        });
        return `Error: there is no tool named ${name}, so nothing was run. Call only the tools you were given.`;
      },
    });

  const worker = createGatedWorker(resolved.worker ?? codexWorker(resolved.codex, input.sandbox), {
    slots: createSemaphore(resolved.maxParallel),
    assertMayStart: () => meter.assertWithinBudget(),
    cancelSignal: meter.cancelSignal,
  });
  const reviewer =
    resolved.review === 'agent'
      ? createAgentReviewer({ runner: runnerFor('reviewer'), model: resolved.reviewModel })
      : resolved.review === 'codex'
        ? createCodexReviewer({ worker })
        : undefined;
  const queue = await createMergeQueue({
    baseDir: resolved.baseDir,
    mainWorktree: resolved.mainWorktree,
    taskId,
    ...(reviewer
      ? { reviewGate: createReviewGate({ reviewer, mainGit, testLogs, task: resolved.task, taskId }) }
      : {}),
    ...(resolved.approveMerge ? { approveMerge: resolved.approveMerge } : {}),
    ...(resolved.smokeTest === undefined ? {} : { smokeTest: resolved.smokeTest }),
    ...(resolved.smokeTestTimeoutMs === undefined ? {} : { smokeTestTimeoutMs: resolved.smokeTestTimeoutMs }),
    sandbox: input.sandbox,
  });
  const handlers: CommandHandler[] = [
    queue.handler,
    createWorktreeCommandHandler(input.worktrees),
    createCodexCommandHandler(
      worker,
      resolved.codex.timeoutMs === undefined ? {} : { timeoutMs: resolved.codex.timeoutMs },
    ),
  ];
  const commandRunner = createCommandRunner({
    baseDir: resolved.baseDir,
    mainWorktree: resolved.mainWorktree,
    policy: resolved.policy,
    handlers,
    events,
    taskId,
    ...(resolved.auditLogPath === undefined ? {} : { auditLog: resolved.auditLogPath }),
    ...(resolved.dryRun === undefined ? {} : { dryRun: resolved.dryRun }),
    ...(resolved.trace === undefined ? {} : { trace: resolved.trace }),
    ...(resolved.commandTimeoutMs === undefined ? {} : { timeoutMs: resolved.commandTimeoutMs }),
    // Smaller than the runner's default: every byte of a result is re-sent on each later turn.
    maxOutputBytes: resolved.maxOutputBytes,
    sandbox: input.sandbox,
  });
  const instructions = buildOrchestratorInstructions({
    mainWorktree: resolved.mainWorktree,
    maxParallel: resolved.maxParallel,
    review: resolved.review,
    approval: resolved.approveMerge !== undefined,
    planTool: true,
    ...(resolved.smokeTest === undefined ? {} : { smokeTest: resolved.smokeTest }),
  });
  const agent = new Agent({
    name: 'orchestrator',
    instructions: resolved.extraInstructions
      ? `${instructions}\n\n${resolved.extraInstructions}`
      : instructions,
    tools: [
      createRunRepoCommandTool(trackCalls(commandRunner, testLogs, input.inFlight, input.invariants)),
      createUpdatePlanTool(events, { taskId }),
    ],
    model: resolved.model,
  });
  return { agent, runner: runnerFor('orchestrator'), queue };
}
