/**
 * Nothing outlives its orchestrator: a sandboxed command and a confined codex (here `sleep`
 * standing in for it) are killed when the process that started them dies by SIGKILL, with no
 * exit hook running.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { processesMatching } from '../worker/codex-setup.fixture.js';
import { createSandbox } from './create-sandbox.js';

let worktree: string;
beforeAll(async () => {
  worktree = await mkdtemp(join(tmpdir(), 'die-with-parent-'));
});
afterAll(async () => {
  await rm(worktree, { recursive: true, force: true });
});

/** The `sleep <marker>` processes (not the launcher, whose command line holds the marker too). */
function sleepers(marker: string): number[] {
  return processesMatching(marker).filter((pid) => {
    try {
      return readFileSync(`/proc/${pid}/cmdline`, 'utf8').startsWith('sleep\0');
    } catch {
      return false;
    }
  });
}

async function waitFor(condition: () => boolean): Promise<boolean> {
  for (let round = 0; round < 200 && !condition(); round++) await sleep(25);
  return condition();
}

/** Starts `argv` from a separate Node process (the "orchestrator"), then SIGKILLs that process. */
async function killOrchestratorRunning(argv: string[], marker: string): Promise<void> {
  const orchestrator = spawn(
    process.execPath,
    [
      '-e',
      `require('node:child_process').spawn(process.argv[1], JSON.parse(process.argv[2]), { stdio: 'ignore', detached: true }); setInterval(() => {}, 1000);`,
      argv[0] as string,
      JSON.stringify(argv.slice(1)),
    ],
    { stdio: 'ignore' },
  );
  // Both sleeps run (the foreground one and the setsid daemon) before the launcher dies.
  expect(await waitFor(() => sleepers(marker).length === 2)).toBe(true);
  orchestrator.kill('SIGKILL');
}

describe('processes started in the sandbox die with the orchestrator', () => {
  it('a sandboxed command, its setsid daemon included', async () => {
    const marker = '283.9127';
    const sandbox = createSandbox();
    const confined = await sandbox.confine({
      argv: ['bash', '-c', `setsid sleep ${marker} & sleep ${marker}`],
      worktree,
      git: 'read',
      env: process.env,
    });
    // The launcher opens no fd 3 for --info-fd (startProcess does): leave that option out here.
    const argv = confined.argv.filter((_, index) => index !== 1 && index !== 2);
    expect(confined.argv.slice(1, 3)).toEqual(['--info-fd', '3']);
    await killOrchestratorRunning(argv, marker);
    expect(await waitFor(() => sleepers(marker).length === 0)).toBe(true);
  });

  it('codex in its confinement, and what it started', async () => {
    const marker = '283.9131';
    const sandbox = createSandbox();
    const argv = await sandbox.confineCodex(['bash', '-c', `setsid sleep ${marker} & sleep ${marker}`]);
    await killOrchestratorRunning(argv, marker);
    expect(await waitFor(() => sleepers(marker).length === 0)).toBe(true);
  });

  it('(control) without the sandbox the daemon survives', async () => {
    const marker = '283.9137';
    await killOrchestratorRunning(['bash', '-c', `setsid sleep ${marker} & sleep ${marker}`], marker);
    await sleep(300);
    const survivors = sleepers(marker);
    expect(survivors).toHaveLength(2);
    for (const pid of survivors) process.kill(pid, 'SIGKILL');
  });
});
