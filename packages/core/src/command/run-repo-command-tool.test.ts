import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPolicy } from '@codex-orchestrator/policy';
import { Agent, Runner } from '@openai/agents';
import { assistantMessage, functionCall, ScriptedModel } from '@openai/agents/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestRepository, type TestRepository } from '../worktree/repository.fixture.js';
import { createCommandRunner } from './command-runner.js';
import { createTestPolicy } from './policy.fixture.js';
import { createRunRepoCommandTool } from './run-repo-command-tool.js';

process.env.OPENAI_AGENTS_DISABLE_TRACING = '1';

let repository: TestRepository;
let scratch: string;

beforeAll(async () => {
  repository = await createTestRepository();
  scratch = await mkdtemp(join(tmpdir(), 'tool-scratch-'));
});
afterAll(async () => {
  await repository.cleanup();
  await rm(scratch, { recursive: true, force: true });
});

/** The tool output the model received for one call, as text. */
function toolOutput(model: ScriptedModel, callIndex: number, callId: string): string {
  const input = model.calls[callIndex]?.request.input;
  const item = Array.isArray(input)
    ? input.find((entry) => entry.type === 'function_call_result' && entry.callId === callId)
    : undefined;
  if (item?.type !== 'function_call_result') throw new Error(`no result for ${callId} in call ${callIndex}`);
  const output = item.output as unknown;
  if (typeof output === 'string') return output;
  return (output as { text?: string }).text ?? JSON.stringify(output);
}

describe('createRunRepoCommandTool', () => {
  it('shows the model the denial reason and rule, and the output of an allowed command', async () => {
    const auditLog = join(scratch, 'tool.log');
    const policy = createPolicy();
    const push = policy.evaluate('git push origin main', { worktree: 'main' });
    const commandRunner = createCommandRunner({
      baseDir: repository.baseDir,
      policy,
      auditLog,
      trace: false,
      dryRun: false,
    });
    const model = new ScriptedModel([
      [
        functionCall(
          'run_repo_command',
          { worktree: 'main', command: 'git push origin main' },
          { callId: 'push' },
        ),
      ],
      [
        functionCall(
          'run_repo_command',
          { worktree: 'main', command: 'git status --short --branch' },
          { callId: 'status' },
        ),
      ],
      [functionCall('run_repo_command', { worktree: '../escape', command: 'ls' }, { callId: 'escape' })],
      [assistantMessage('done')],
    ]);
    const agent = new Agent({
      name: 'orchestrator',
      model,
      tools: [createRunRepoCommandTool(commandRunner)],
    });
    const result = await new Runner({ tracingDisabled: true }).run(agent, 'check the repository', {
      context: { baseDir: repository.baseDir, taskId: 'task-tool' },
    });
    expect(result.finalOutput).toBe('done');
    model.assertComplete();

    const denied = toolOutput(model, 1, 'push');
    expect(push.decision).toBe('deny');
    expect(denied).toContain(`status: denied (rule ${push.ruleId})`);
    expect(denied).toContain(`reason: ${push.reason}`);
    expect(denied).toContain('no process was started');
    expect(toolOutput(model, 2, 'status')).toMatch(
      /^status: ok \(exit code 0, [\d.]+s, rule [\w:.-]+\)\nstdout:\n## main/,
    );
    expect(toolOutput(model, 3, 'escape')).toMatch(
      /status: denied \(rule worktree\.invalid-name\)\nreason: the worktree name "\.\.\/escape"/,
    );
    const audit = (await readFile(auditLog, 'utf8'))
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(audit.map((entry) => [entry.taskId, entry.status])).toEqual([
      ['task-tool', 'denied'],
      ['task-tool', 'ok'],
      ['task-tool', 'denied'],
    ]);
  });

  it('passes the real reason of an unexpected failure to the model through errorFunction', async () => {
    const broken = createCommandRunner({
      baseDir: scratch,
      policy: createTestPolicy(),
      auditLog: join(scratch, 'broken.log'),
      trace: false,
    });
    const model = new ScriptedModel([
      [functionCall('run_repo_command', { worktree: 'main', command: 'ls' }, { callId: 'broken' })],
      [assistantMessage('noted')],
    ]);
    const agent = new Agent({ name: 'orchestrator', model, tools: [createRunRepoCommandTool(broken)] });
    await new Runner({ tracingDisabled: true }).run(agent, 'list files');
    const output = toolOutput(model, 1, 'broken');
    expect(output).toContain('status: error');
    expect(output).toContain(`${JSON.stringify(join(scratch, 'main'))} is not a git worktree`);
    expect(output).not.toContain('An error occurred while running the tool');
  });
});
