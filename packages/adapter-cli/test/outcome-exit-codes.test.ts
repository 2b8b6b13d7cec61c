import { assistantMessage, createScriptedModelServer, functionCall } from '@codex-orchestrator/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exitCodeOfOutcome } from '../src/exit-codes.js';
import { cli, createBaseDir, tempDir } from './cli-harness.js';

const run = (worktree: string, command: string) => functionCall('run_repo_command', { worktree, command });

describe('exit codes of run outcomes', () => {
  it('maps each outcome to its documented code', () => {
    expect(exitCodeOfOutcome('completed')).toBe(0);
    expect(exitCodeOfOutcome('partly-merged')).toBe(3);
    expect(exitCodeOfOutcome('nothing-merged')).toBe(4);
    for (const outcome of ['failed', 'cancelled', 'budget-exceeded'])
      expect(exitCodeOfOutcome(outcome)).toBe(1);
  });

  describe('through the CLI', () => {
    let root: { path: string; remove: () => Promise<void> };
    beforeAll(async () => {
      root = await tempDir('cli-outcome-');
      await createBaseDir(root.path);
    });
    afterAll(() => root.remove());

    it('exits 4 and says "nothing merged" first when work stays on a branch', async () => {
      const server = await createScriptedModelServer();
      try {
        server.addScript({
          match: (request) => request.text.includes('You are the senior engineer and team lead'),
          turns: [
            [run('main', 'git worktree add ../task-note -b task-note main')],
            [run('task-note', 'git commit --allow-empty -m "work that is never merged"')],
            [assistantMessage('Left the work on task-note.')],
          ],
        });
        const result = await cli(['--review', 'off', 'TASK-UNMERGED: do work and leave it'], {
          env: { ORCHESTRATOR_BASE_DIR: root.path, OPENAI_BASE_URL: server.baseURL },
        });
        expect(result.code, result.stderr).toBe(4);
        expect(result.stdout.split('\n')[0]).toContain('nothing merged');
      } finally {
        await server.close();
      }
    });
  });
});
