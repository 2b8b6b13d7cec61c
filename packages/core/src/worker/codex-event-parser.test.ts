import { describe, expect, it } from 'vitest';
import type { OrchestratorEvent } from '../events.js';
import { createCodexEventParser } from './codex-event-parser.js';
import { buildWorkerResult } from './codex-worker-result.js';
import { detectSandboxFailure } from './detect-sandbox-failure.js';

function parse(lines: unknown[]) {
  const events: OrchestratorEvent[] = [];
  const parser = createCodexEventParser({
    workerRunId: 'run-1',
    worktree: 'task-a',
    taskId: 'T',
    maxEventOutputChars: 100,
    onEvent: (event) => events.push(event),
  });
  for (const line of lines) parser.push(typeof line === 'string' ? line : JSON.stringify(line));
  return { events, state: parser.state() };
}

const command = (id: string, text: string, exitCode: number | null, output = '', status?: string) => ({
  type: exitCode === null ? 'item.started' : 'item.completed',
  item: {
    id,
    type: 'command_execution',
    command: `/bin/bash -c '${text}'`,
    aggregated_output: output,
    exit_code: exitCode,
    status: status ?? (exitCode === null ? 'in_progress' : exitCode === 0 ? 'completed' : 'failed'),
  },
});

const outcome = { exitCode: 0, timedOut: false, cancelled: false, timeoutMs: 1000, stderrTail: '' };

describe('createCodexEventParser', () => {
  it('reports a malformed line as a worker-warning and keeps parsing', () => {
    const { events, state } = parse([
      { type: 'thread.started', thread_id: 'th-1' },
      'this is not json {',
      '{"no_type": true}',
      { type: 'item.completed', item: { id: 'i1', type: 'agent_message', text: 'done' } },
    ]);
    const warnings = events.filter((event) => event.type === 'worker-warning');
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toMatchObject({
      message: expect.stringContaining('not a JSON event: "this is not json {"'),
    });
    expect(state.threadId).toBe('th-1');
    expect(state.lastMessage).toBe('done');
    const result = buildWorkerResult(state, outcome, 5);
    expect(result.status).toBe('completed');
    expect(result.errors).toEqual(['2 line(s) of codex output were not JSON events']);
  });

  it('emits command start/end with bounded output, file changes, messages and usage summed over turns', () => {
    const { events, state } = parse([
      command('c1', 'npm test', null),
      command('c1', 'npm test', 1, 'x'.repeat(5000)),
      {
        type: 'item.completed',
        item: {
          id: 'f1',
          type: 'file_change',
          status: 'completed',
          changes: [{ path: '/w/a.ts', kind: 'add' }],
        },
      },
      {
        type: 'item.completed',
        item: {
          id: 'f2',
          type: 'file_change',
          status: 'completed',
          changes: [{ path: '/w/a.ts', kind: 'update' }],
        },
      },
      { type: 'item.completed', item: { id: 'r1', type: 'reasoning', text: 'thinking' } },
      {
        type: 'turn.completed',
        usage: { input_tokens: 20, cached_input_tokens: 5, output_tokens: 10, reasoning_output_tokens: 3 },
      },
      { type: 'turn.completed', usage: { input_tokens: 1, output_tokens: 2 } },
    ]);
    const end = events.find((event) => event.type === 'worker-command-end');
    expect(end).toMatchObject({
      itemId: 'c1',
      command: "/bin/bash -c 'npm test'",
      exitCode: 1,
      taskId: 'T',
      worktree: 'task-a',
    });
    expect(end?.type === 'worker-command-end' && end.output.length).toBeLessThan(200);
    expect(events.filter((event) => event.type === 'worker-command-start')).toHaveLength(1);
    expect(events.filter((event) => event.type === 'worker-file-change')).toHaveLength(2);
    expect(events.find((event) => event.type === 'worker-message')).toMatchObject({
      kind: 'reasoning',
      text: 'thinking',
    });
    expect(state.filesChanged).toEqual([{ path: '/w/a.ts', kind: 'add' }]);
    expect(state.commands).toEqual([expect.objectContaining({ exitCode: 1, status: 'failed' })]);
    expect(state.usage).toEqual({
      inputTokens: 21,
      cachedInputTokens: 5,
      outputTokens: 12,
      reasoningOutputTokens: 3,
      totalTokens: 33,
    });
    expect(events.filter((event) => event.type === 'worker-usage')).toHaveLength(2);
    expect(events.every((event) => typeof event.time === 'string')).toBe(true);
  });

  it('turns a failed turn into a failed result with its message', () => {
    const { state } = parse([
      { type: 'error', message: 'Reconnecting... 1/5' },
      { type: 'turn.failed', error: { message: 'unexpected status 401' } },
    ]);
    const result = buildWorkerResult(state, { ...outcome, exitCode: 1 }, 5);
    expect(result.status).toBe('failed');
    expect(result.errors).toEqual(['unexpected status 401']);
  });
});

describe('detectSandboxFailure', () => {
  const bwrap =
    'bwrap: Creating new namespace failed: nesting depth or /proc/sys/user/max_*_namespaces exceeded (ENOSPC)\n';

  it('reports a sandbox failure when every command failed with a sandbox error, even on exit 0', () => {
    const { state } = parse([
      command('c1', 'ls', 1, bwrap),
      command('c2', 'cat a', 1, bwrap),
      {
        type: 'item.completed',
        item: { id: 'f', type: 'file_change', status: 'failed', changes: [{ path: '/w/b', kind: 'add' }] },
      },
    ]);
    expect(detectSandboxFailure(state)).toMatch(
      /all 2 command\(s\) and 1 patch\(es\) failed with a sandbox error \(bwrap: Creating/,
    );
    expect(buildWorkerResult(state, outcome, 1).status).toBe('sandbox-failure');
  });

  it('does not when one command succeeded or the failures are ordinary', () => {
    expect(
      detectSandboxFailure(parse([command('c1', 'ls', 1, bwrap), command('c2', 'pwd', 0, '/w')]).state),
    ).toBeUndefined();
    expect(detectSandboxFailure(parse([command('c1', 'npm test', 1, 'FAIL 3 tests')]).state)).toBeUndefined();
    expect(detectSandboxFailure(parse([]).state)).toBeUndefined();
  });
});
