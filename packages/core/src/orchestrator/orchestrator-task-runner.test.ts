import { join } from 'node:path';
/**
 * The dispatcher running real orchestrations through `createOrchestratorTaskRunner`: the task's
 * events reach the sinks, the report comes back as markdown, approvals are asked of a sink, and a
 * resumed task does not merge its branch again.
 */
import { describe, expect, it } from 'vitest';
import { silentDispatcherLogger } from '../dispatcher/dispatcher-logger.js';
import { createMemoryTaskSource } from '../dispatcher/memory-task-source.js';
import { createTaskDispatcher } from '../dispatcher/task-dispatcher.js';
import { createMemoryTaskStore } from '../dispatcher/task-store.js';
import type { OrchestratorEvent } from '../events.js';
import {
  codexExec,
  codexWrites,
  finalSummary,
  orchestratorTurn,
  repoCommand,
} from '../testing/orchestrator-scenario.js';
import type { MergeApprovalRequest, Task, TaskSink } from '../types.js';
import { useOrchestratorScenarios } from './orchestrator-scenarios.fixture.js';
import { createOrchestratorTaskRunner } from './orchestrator-task-runner.js';

const newScenario = useOrchestratorScenarios();

describe('createOrchestratorTaskRunner', () => {
  it('runs a dispatched task to a merge, asking a sink for approval and reporting to it', async () => {
    const scenario = await newScenario();
    scenario.orchestrator([
      orchestratorTurn(repoCommand('main', 'git worktree add ../task-notes main')),
      orchestratorTurn(codexExec('task-notes', 'NOTES: add notes.txt, commit.')),
      orchestratorTurn(repoCommand('main', 'git merge --no-ff task-notes')),
      orchestratorTurn(finalSummary('notes.txt is merged.')),
    ]);
    scenario.codex('NOTES', codexWrites({ 'notes.txt': 'notes\n' }, { commit: 'feat: notes' }));

    const events: OrchestratorEvent[] = [];
    const approvals: MergeApprovalRequest[] = [];
    const ends: { task: Task; outcome: string; reportMarkdown?: string }[] = [];
    const sink: TaskSink = {
      name: 'memory',
      onEvent: (_task, event) => void events.push(event),
      onTaskEnd: (task, result) => void ends.push({ task, ...result }),
      approveMerge: async (_task, request) => {
        approvals.push(request);
        return true;
      },
    };
    const source = createMemoryTaskSource();
    const dispatcher = createTaskDispatcher({
      sources: [source],
      sinks: [sink],
      store: createMemoryTaskStore(),
      logger: silentDispatcherLogger,
      run: createOrchestratorTaskRunner((task) => ({
        ...scenario.options,
        extraInstructions: `Task id ${task.id}`,
      })),
    });
    await dispatcher.start();
    source.push({ id: 'notes-1', text: 'Add a notes file' });
    source.end();
    await dispatcher.drain();
    await dispatcher.stop();

    expect(ends).toHaveLength(1);
    expect(ends[0]).toMatchObject({ outcome: 'completed', task: { id: 'notes-1' } });
    expect(ends[0]?.reportMarkdown).toContain('task-notes');
    // The dispatcher's report is the true one: the audit log and the branch's files from git, full paths.
    expect(ends[0]?.reportMarkdown).toContain(
      `Audit log (every command and the policy's decision): \`${scenario.auditLogPath}\``,
    );
    expect(ends[0]?.reportMarkdown).toContain(
      `- \`task-notes\` (merged): 1 file: \`${join(scenario.mainPath, 'notes.txt')}\``,
    );
    expect(approvals.map((request) => request.branch)).toEqual(['task-notes']);
    expect(events.some((event) => event.type === 'merge-end' && event.outcome === 'merged')).toBe(true);
    expect(events.every((event) => event.taskId === 'notes-1')).toBe(true);
    expect(await scenario.git(['log', '-1', '--format=%s'])).toBe("Merge branch 'task-notes'");
    expect(await scenario.git(['show', 'HEAD:notes.txt'])).toBe('notes');
    // The per-task options function was applied.
    expect(JSON.stringify(scenario.orchestratorRequests()[0]?.body)).toContain('Task id notes-1');
  });
});
