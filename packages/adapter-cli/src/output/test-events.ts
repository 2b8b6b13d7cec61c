import type { OrchestratorEvent } from '@codex-orchestrator/core';

/** Builds events for renderer tests (the fields the renderers read, with plausible defaults). */
export const testEvents = {
  worktreeCreate(worktree: string): OrchestratorEvent {
    return {
      type: 'worktree-create',
      time: '2026-01-01T10:00:00.000Z',
      worktree,
      path: `/base/${worktree}`,
      branch: worktree,
      base: 'main',
      reused: false,
    };
  },
  workerStart(worktree: string, prompt: string, workerRunId = `run-${worktree}`): OrchestratorEvent {
    return {
      type: 'worker-start',
      time: '2026-01-01T10:00:01.000Z',
      workerRunId,
      worker: 'codex',
      worktree,
      prompt,
    };
  },
  workerCommandStart(worktree: string, command: string): OrchestratorEvent {
    return {
      type: 'worker-command-start',
      time: '2026-01-01T10:00:02.000Z',
      workerRunId: `run-${worktree}`,
      worktree,
      itemId: 'item_0',
      command,
    };
  },
  workerUsage(worktree: string, totalTokens: number, workerRunId = `run-${worktree}`): OrchestratorEvent {
    return {
      type: 'worker-usage',
      time: '2026-01-01T10:00:03.000Z',
      workerRunId,
      worktree,
      usage: {
        inputTokens: totalTokens,
        cachedInputTokens: 0,
        outputTokens: 0,
        reasoningOutputTokens: 0,
        totalTokens,
      },
    };
  },
  commandStart(worktree: string, command: string, callId = 'c3'): OrchestratorEvent {
    return {
      type: 'command-start',
      time: '2026-01-01T10:00:01.000Z',
      callId,
      worktree,
      command,
      dryRun: false,
    };
  },
  workerEnd(worktree: string, status: 'completed' | 'failed' | 'cancelled'): OrchestratorEvent {
    return {
      type: 'worker-end',
      time: '2026-01-01T10:00:06.000Z',
      workerRunId: `run-${worktree}`,
      worktree,
      result: {
        status,
        finalMessage: '',
        filesChanged: [],
        commands: [],
        usage: {
          inputTokens: 0,
          cachedInputTokens: 0,
          outputTokens: 0,
          reasoningOutputTokens: 0,
          totalTokens: 0,
        },
        exitCode: status === 'completed' ? 0 : null,
        durationMs: 5000,
        errors: [],
      },
    };
  },
  commandDenied(worktree: string, command: string, reason: string): OrchestratorEvent {
    return {
      type: 'command-denied',
      time: '2026-01-01T10:00:04.000Z',
      callId: 'c1',
      worktree,
      command,
      reason,
    };
  },
  commandEnd(worktree: string, command: string, exitCode: number): OrchestratorEvent {
    return {
      type: 'command-end',
      time: '2026-01-01T10:00:05.000Z',
      callId: 'c2',
      worktree,
      command,
      exitCode,
      durationMs: 1200,
      timedOut: false,
      cancelled: false,
      truncated: false,
      dryRun: false,
      status: exitCode === 0 ? 'ok' : 'failed',
    };
  },
};

/** A stream that records what was written. */
export function createCollector(options: { isTTY?: boolean; columns?: number } = {}) {
  const chunks: string[] = [];
  return {
    isTTY: options.isTTY ?? false,
    columns: options.columns ?? 100,
    write(chunk: string) {
      chunks.push(chunk);
      return true;
    },
    get text() {
      return chunks.join('');
    },
    chunks,
  };
}
