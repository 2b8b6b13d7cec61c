import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCodexEventParser } from './codex-event-parser.js';
import { buildWorkerResult } from './codex-worker-result.js';
import { readRolloutCommands, unreportedCommands } from './rollout-commands.js';

const threadId = '01a252cd-228b-76d0-b6c0-92dd72e828b2';
const denied = 'echo x > /tmp/outside-1/escaped.txt';

/** Lines shaped as codex 0.169 writes its session file (observed with the scripted model). */
function sessionLines(): string[] {
  const line = (payload: Record<string, unknown>) =>
    JSON.stringify({ timestamp: '2026-12-07T23:18:26.660Z', type: 'response_item', payload });
  return [
    JSON.stringify({ type: 'session_meta', payload: { id: threadId } }),
    line({
      type: 'function_call',
      name: 'exec_command',
      arguments: JSON.stringify({ cmd: 'echo ok', login: false }),
      call_id: 'call_1',
    }),
    line({
      type: 'function_call_output',
      call_id: 'call_1',
      output:
        'Chunk ID: 1\nWall time: 0.0 seconds\nProcess exited with code 0\nOriginal token count: 1\nOutput:\nok\n',
    }),
    line({
      type: 'function_call',
      name: 'exec_command',
      arguments: JSON.stringify({ cmd: denied, login: false }),
      call_id: 'call_2',
    }),
    'not json',
    line({
      type: 'function_call_output',
      call_id: 'call_2',
      output: `Chunk ID: 2\nWall time: 0.0 seconds\nProcess exited with code 1\nOriginal token count: 9\nOutput:\n/bin/bash: line 1: /tmp/outside-1/escaped.txt: Read-only file system\n`,
    }),
  ];
}

describe('commands from codex session file', () => {
  let home: string;
  beforeEach(async () => {
    home = await mkdtemp(join(tmpdir(), 'rollout-'));
    const day = join(home, 'sessions', '2026', '12', '07');
    await mkdir(day, { recursive: true });
    await writeFile(
      join(day, `rollout-2026-12-07T23-18-25-${threadId}.jsonl`),
      `${sessionLines().join('\n')}\n`,
    );
  });
  afterEach(() => rm(home, { recursive: true, force: true }));

  it('reads each exec_command call with its exit code and output', async () => {
    expect(await readRolloutCommands(home, threadId)).toEqual([
      { itemId: 'call_1', command: 'echo ok', exitCode: 0, status: 'completed', outputTail: 'ok\n' },
      {
        itemId: 'call_2',
        command: denied,
        exitCode: 1,
        status: 'failed',
        outputTail: '/bin/bash: line 1: /tmp/outside-1/escaped.txt: Read-only file system\n',
      },
    ]);
    expect(await readRolloutCommands(home, 'other-thread')).toEqual([]);
    expect(await readRolloutCommands(home, '../../etc')).toEqual([]);
  });

  it('reports a denial whose command codex --json left out, and none twice when it did not', async () => {
    const parser = createCodexEventParser({ workerRunId: 'w', worktree: 'main' });
    parser.push(JSON.stringify({ type: 'thread.started', thread_id: threadId }));
    parser.push(
      JSON.stringify({
        type: 'item.completed',
        item: {
          id: 'item_0',
          type: 'command_execution',
          command: "/bin/bash -c 'echo ok'",
          exit_code: 0,
          aggregated_output: 'ok\n',
          status: 'completed',
        },
      }),
    );
    parser.push(
      JSON.stringify({ type: 'item.completed', item: { id: 'item_1', type: 'agent_message', text: 'done' } }),
    );
    const outcome = { exitCode: 0, timedOut: false, cancelled: false, timeoutMs: 1000, stderrTail: '' };
    // Without the session file the denial goes unnoticed: the --json stream lacks the command.
    expect(buildWorkerResult(parser.state(), outcome, 1).refusals).toBeUndefined();
    const recordedCommands = await readRolloutCommands(home, threadId);
    expect(
      unreportedCommands(parser.state().commands, recordedCommands).map((command) => command.command),
    ).toEqual([denied]);
    const result = buildWorkerResult(parser.state(), { ...outcome, recordedCommands }, 1);
    expect(result.refusals).toEqual([
      `sandbox denied: \`${denied}\` (/bin/bash: line 1: /tmp/outside-1/escaped.txt: Read-only file system)`,
    ]);
  });

  it('matches a reported command quoted by bash -c', () => {
    const recorded = [{ itemId: 'c', command: "echo 'a b'", exitCode: 1, status: 'failed', outputTail: '' }];
    const reported = [
      {
        itemId: 'i',
        command: "/bin/bash -c 'echo '\\''a b'\\'''",
        exitCode: 1,
        status: 'failed',
        outputTail: '',
      },
    ];
    expect(unreportedCommands(reported, recorded)).toEqual([]);
  });
});
