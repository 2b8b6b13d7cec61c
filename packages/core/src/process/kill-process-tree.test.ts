import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { processesMatching } from '../worker/codex-setup.fixture.js';
import { isProcessAlive, killProcessTree } from './kill-process-tree.js';

describe('killProcessTree', () => {
  it('kills descendants that moved to their own session, and spares the caller', async () => {
    const marker = '287.3131';
    // The second sleep runs in a new session, as codex runs its commands: a group kill misses it.
    const child = spawn('sh', ['-c', `setsid sleep ${marker} & sleep ${marker}`], {
      detached: true,
      stdio: 'ignore',
    });
    const deadline = Date.now() + 5000;
    while (processesMatching(marker).length < 2 && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 20));
    expect(processesMatching(marker).length).toBeGreaterThanOrEqual(2);
    await killProcessTree(child.pid as number, { graceMs: 500 });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(processesMatching(marker)).toEqual([]);
    expect(isProcessAlive(process.pid)).toBe(true);
  });

  it('treats a pid that does not exist as not alive', () => {
    expect(isProcessAlive(2 ** 22 + 12345)).toBe(false);
  });
});
