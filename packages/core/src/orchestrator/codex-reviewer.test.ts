import { describe, expect, it } from 'vitest';
import type { Worker, WorkerRequest, WorkerResult } from '../types.js';
import { createCodexReviewer, parseVerdictMessage } from './codex-reviewer.js';
import { emptyTokenUsage } from './token-usage.js';

/** A worker that answers every run with a fixed final message and records its requests. */
class AnsweringWorker implements Worker {
  readonly name = 'answering';
  readonly requests: WorkerRequest[] = [];
  constructor(private readonly message: string) {}
  async run(request: WorkerRequest): Promise<WorkerResult> {
    this.requests.push(request);
    return {
      status: 'completed',
      finalMessage: this.message,
      filesChanged: [],
      commands: [],
      usage: emptyTokenUsage(),
      exitCode: 0,
      durationMs: 1,
      errors: [],
    };
  }
}

const request = {
  branch: 'task-a',
  worktree: 'task-a',
  cwd: '/base/task-a',
  commit: 'abc',
  diffStat: '1 file',
  diff: '+x',
};

describe('codex reviewer', () => {
  it('reads the last JSON verdict of the message, fenced or not', () => {
    expect(parseVerdictMessage('Looks fine.\n{"verdict":"approve","summary":"ok","comments":[]}')).toEqual({
      verdict: 'approve',
      summary: 'ok',
      comments: [],
    });
    expect(
      parseVerdictMessage(
        '```json\n{"verdict": "request-changes", "summary": "no tests", "comments": [{"file": "a.ts", "comment": "add a test"}]}\n```',
      ),
    ).toEqual({
      verdict: 'request-changes',
      summary: 'no tests',
      comments: [{ file: 'a.ts', comment: 'add a test' }],
    });
    expect(parseVerdictMessage('I think it is fine')).toBeUndefined();
    expect(parseVerdictMessage('{"verdict":"merge it"}')).toBeUndefined();
  });

  it('runs the worker read-only in the worktree, and requests changes when no verdict comes back', async () => {
    const worker = new AnsweringWorker('no json here');
    const verdict = await createCodexReviewer({ worker }).review(request, {});
    expect(worker.requests[0]).toMatchObject({
      worktree: 'task-a',
      cwd: '/base/task-a',
      sandbox: 'read-only',
    });
    expect(worker.requests[0]?.prompt).toContain('Branch: task-a');
    expect(verdict).toMatchObject({
      verdict: 'request-changes',
      summary: expect.stringContaining('no verdict'),
    });
    const approving = new AnsweringWorker('{"verdict":"approve","summary":"fine","comments":[]}');
    expect((await createCodexReviewer({ worker: approving }).review(request, {})).verdict).toBe('approve');
  });
});
