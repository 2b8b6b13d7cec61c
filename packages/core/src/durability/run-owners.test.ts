/**
 * Nothing outlives its orchestrator with the sandbox off: a stand-in orchestrator starts a
 * command that leaves a `setsid` daemon, is killed with SIGKILL (no exit hook runs), and the
 * next start on the repository kills what it left, before anything else runs. Processes of a
 * live orchestrator are never touched.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { runOrchestrator } from '../orchestrator/run-orchestrator.js';
import {
  createOrchestratorScenario,
  finalSummary,
  orchestratorTurn,
} from '../testing/orchestrator-scenario.js';
import { processesMatching } from '../worker/codex-setup.fixture.js';
import { repositoryStateDir } from './repository-state.js';
import { reapDeadRunOwners } from './run-owners.js';

process.env.OPENAI_AGENTS_DISABLE_TRACING = '1';
const launcher = fileURLToPath(new URL('./orphan-launcher.fixture.ts', import.meta.url));
const cleanup: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const step of cleanup.splice(0)) await step();
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
  for (let round = 0; round < 400 && !condition(); round++) await sleep(25);
  return condition();
}

/** Starts the stand-in orchestrator; resolves once its command and the daemon both run. */
async function startOrchestrator(stateDir: string, marker: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', launcher, stateDir, marker], {
    stdio: 'ignore',
    detached: true,
  });
  cleanup.push(async () => {
    child.kill('SIGKILL');
    for (const pid of sleepers(marker)) process.kill(pid, 'SIGKILL');
  });
  expect(await waitFor(() => sleepers(marker).length === 2)).toBe(true);
  return child;
}

async function killed(child: ChildProcess): Promise<void> {
  const exit = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await exit;
}

describe('processes of a crashed orchestrator, sandbox off', () => {
  it('survive the crash (control), and the next start on the repository kills them; a live owner keeps its own', async () => {
    const baseDir = await mkdtemp(join(tmpdir(), 'run-owners-'));
    cleanup.push(() => rm(baseDir, { recursive: true, force: true }));
    const stateDir = repositoryStateDir(baseDir);
    const crashed = await startOrchestrator(stateDir, '291.4417');
    const alive = await startOrchestrator(stateDir, '291.4423');
    await killed(crashed);
    await sleep(300);
    // Control: without the reaper the command and its setsid daemon outlive their orchestrator.
    expect(sleepers('291.4417')).toHaveLength(2);

    const reaped = await reapDeadRunOwners(stateDir);
    expect(await waitFor(() => sleepers('291.4417').length === 0)).toBe(true);
    expect(reaped.killed.length).toBeGreaterThanOrEqual(3); // bash, its sleep, the daemon
    // The live orchestrator, its command and its daemon are untouched, and its record stays.
    expect(sleepers('291.4423')).toHaveLength(2);
    expect(alive.exitCode).toBeNull();
    expect(readdirSync(join(stateDir, 'owners'))).toEqual([`${alive.pid}-${procStart(alive.pid)}.json`]);
  }, 60_000);

  it('runOrchestrator kills them at start, before the run does anything, and says so in the report', async () => {
    const scenario = await createOrchestratorScenario();
    cleanup.push(() => scenario.close());
    const stateDir = repositoryStateDir(scenario.baseDir);
    await killed(await startOrchestrator(stateDir, '291.4431'));
    await sleep(300);
    expect(sleepers('291.4431')).toHaveLength(2);

    scenario.orchestrator([orchestratorTurn(finalSummary('Nothing to do.'))]);
    const report = await runOrchestrator('Check the repository.', { ...scenario.options, sandbox: 'off' })
      .report;

    expect(await waitFor(() => sleepers('291.4431').length === 0)).toBe(true);
    expect(report.main.repairs.join('\n')).toMatch(
      /at start: killed [3-9] process\(es\) a crashed run left running/,
    );
  }, 120_000);
});

function procStart(pid: number | undefined): string {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] as string;
}
