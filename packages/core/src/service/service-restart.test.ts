/**
 * The restart matrix of `orchestrator serve` with the real stack: the service in a child process
 * (real orchestrator, real codex against the scripted model server, real git, SQLite store) is
 * killed with SIGKILL during a codex run, during the smoke test after a merge, and while a merge
 * waits for approval; a second process takes over the same store. Every case ends with the task
 * finished once, its branch merged exactly once into a main whose smoke test passed, and nothing
 * of the killed process left running.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { createServiceClient, type ServiceClient } from '../api/create-service-client.js';
import {
  codexExec,
  codexWrites,
  createOrchestratorScenario,
  finalSummary,
  isOrchestratorRequest,
  type OrchestratorScenario,
  orchestratorTurn,
  repoCommand,
} from '../testing/orchestrator-scenario.js';
import type { ScriptedTurn } from '../testing/scripted-model-turns.js';

const fixture = fileURLToPath(new URL('./service-restart.fixture.ts', import.meta.url));
const packageDir = fileURLToPath(new URL('../..', import.meta.url));
const token = 'restart-test-token-0123456789';
const resumeMarker = 'resumes an interrupted attempt';

let scenario: OrchestratorScenario | undefined;
const children: ChildProcess[] = [];
afterEach(async () => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
  await scenario?.close();
  scenario = undefined;
});

interface ServiceProcess {
  child: ChildProcess;
  stdout(): string;
  client: Promise<ServiceClient>;
  exited: Promise<void>;
}

function startService(settings: Record<string, unknown>): ServiceProcess {
  const current = scenario as OrchestratorScenario;
  const child = spawn(process.execPath, ['--import', 'tsx', fixture], {
    cwd: packageDir,
    env: {
      ...process.env,
      SERVICE_RESTART_TOKEN: token,
      SERVICE_RESTART_CONFIG: JSON.stringify({
        baseDir: current.baseDir,
        storePath: join(current.baseDir, '..', 'store.db'),
        approval: 'none',
        run: {
          baseURL: current.options.baseURL,
          apiKey: current.options.apiKey,
          auditLogPath: current.options.auditLogPath,
          codex: current.options.codex,
        },
        ...settings,
      }),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  const client = (async () => {
    for (;;) {
      const url = /^api (\S+)$/m.exec(stdout)?.[1];
      if (url) return createServiceClient({ url, token });
      if (child.exitCode !== null) throw new Error(`the service exited early:\n${stderr}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  })();
  return { child, stdout: () => stdout, client, exited };
}

async function until<T>(check: () => T | undefined | false | Promise<T | undefined | false>, what: string) {
  const deadline = Date.now() + 180_000;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function killNine(service: ServiceProcess) {
  service.child.kill('SIGKILL');
  await service.exited;
}

/** The orchestrator's script for the first attempt, and the one for the resumed attempt. */
function orchestratorScripts(first: ScriptedTurn[], resumed: ScriptedTurn[]) {
  const current = scenario as OrchestratorScenario;
  current.server.addScript({
    name: 'orchestrator, first attempt',
    match: (request) => isOrchestratorRequest(request) && !request.text.includes(resumeMarker),
    turns: first,
  });
  current.server.addScript({
    name: 'orchestrator, resumed attempt',
    match: (request) => isOrchestratorRequest(request) && request.text.includes(resumeMarker),
    turns: resumed,
  });
}

/**
 * The first attempt makes task-a, codex commits a.txt, and the merge starts (the test kills the
 * service during its smoke test or its approval); the resumed attempt merges task-a again.
 */
function scriptMergeThenKill() {
  orchestratorScripts(
    [
      orchestratorTurn(repoCommand('main', 'git worktree add ../task-a main')),
      orchestratorTurn(codexExec('task-a', 'TASK-A: add a.txt')),
      orchestratorTurn(repoCommand('main', 'git merge --no-ff task-a')),
    ],
    [
      orchestratorTurn(repoCommand('main', 'git merge --no-ff task-a')),
      orchestratorTurn(finalSummary('Merged task-a.')),
    ],
  );
  scenario?.codex('TASK-A:', codexWrites({ 'a.txt': 'a\n' }, { commit: 'feat: a' }));
}

/** What must hold after every case: task-a merged into main exactly once, the task finished once. */
async function expectMergedOnce(client: ServiceClient) {
  const current = scenario as OrchestratorScenario;
  const finished = await until(async () => {
    const details = await client.getTask('task-1');
    return details.task.state === 'finished' && details;
  }, 'the task to finish after the restart');
  expect(finished.task.outcome).toBe('completed');
  expect(await current.git(['show', 'HEAD:a.txt'])).toBe('a');
  const branchTip = (await current.git(['rev-parse', 'task-a'])).trim();
  const mergedTips = (await current.git(['log', '--first-parent', '--merges', '--format=%P', 'main']))
    .split('\n')
    .filter(Boolean)
    .map((parents) => parents.split(' ')[1]);
  expect(mergedTips.filter((tip) => tip === branchTip)).toHaveLength(1);
  expect(await current.git(['status', '--porcelain', '--untracked-files=no'])).toBe('');
  expect(finished.runs.filter((run) => run.state === 'finished')).toHaveLength(1);
  return finished;
}

/** Processes still running whose command line contains `needle` (orphans of the killed service). */
function processesWith(needle: string): string[] {
  const out = execFileSync('ps', ['-eo', 'pid=,args='], { encoding: 'utf8' });
  return out
    .split('\n')
    .filter((line) => line.includes(needle) && !line.includes('ps -eo'))
    .map((line) => line.trim());
}

describe('orchestrator serve: kill -9 and restart with real codex', () => {
  it('killed during a codex run: the restart resumes the task, merges once, leaves no codex behind', async () => {
    scenario = await createOrchestratorScenario();
    orchestratorScripts(
      [
        orchestratorTurn(repoCommand('main', 'git worktree add ../task-a main')),
        orchestratorTurn(codexExec('task-a', 'TASK-A: add a.txt')),
      ],
      [
        orchestratorTurn(codexExec('task-a', 'TASK-A2: add a.txt')),
        orchestratorTurn(repoCommand('main', 'git merge --no-ff task-a')),
        orchestratorTurn(finalSummary('Merged task-a.')),
      ],
    );
    // The first codex run never gets an answer: the service is killed while it waits.
    scenario.codex('TASK-A:', [{ type: 'failure', failure: 'hang' }]);
    scenario.codex('TASK-A2:', codexWrites({ 'a.txt': 'a\n' }, { commit: 'feat: a' }));
    const first = startService({ submit: { id: 'task-1', text: 'shop: add a.txt' } });
    await first.client;
    await until(
      () =>
        scenario?.server.requests.some(
          (request) => request.text.includes('TASK-A:') && request.headers['session-id'],
        ),
      'codex to ask the model',
    );
    await killNine(first);

    const second = startService({});
    await expectMergedOnce(await second.client);
    expect(processesWith(scenario.codexHome.path).filter((line) => !line.includes('TASK-A2'))).toEqual([]);
  }, 400_000);

  it('killed during the smoke test after a merge: the merge is tested before anything counts it', async () => {
    scenario = await createOrchestratorScenario();
    const marker = `sleep 61.${process.pid}`;
    scriptMergeThenKill();
    const first = startService({ submit: { id: 'task-1', text: 'shop: add a.txt' }, smokeTest: marker });
    await first.client;
    await until(() => processesWith(marker).length > 0, 'the smoke test to start');
    await killNine(first);
    // The smoke test dies with the service (its sandbox), not minutes later.
    await until(() => processesWith(marker).length === 0, 'the smoke test of the killed service to end');

    const second = startService({ smokeTest: 'sh test.sh' });
    await expectMergedOnce(await second.client);
  }, 400_000);

  it('killed while a merge waits for approval: it still waits, is not asked again, and merges once', async () => {
    scenario = await createOrchestratorScenario();
    scriptMergeThenKill();
    const first = startService({ submit: { id: 'task-1', text: 'shop: add a.txt' }, approval: 'required' });
    await first.client;
    const asked = await until(() => /^approval (\S+) (\S+)$/m.exec(first.stdout()), 'the approval request');
    await killNine(first);

    const second = startService({ approval: 'required' });
    const client = await second.client;
    const pending = await until(async () => {
      const approvals = await client.listApprovals({ state: 'pending' });
      return approvals.length > 0 && approvals;
    }, 'the approval to be pending after the restart');
    expect(pending.map((approval) => approval.id)).toEqual([asked[1]]);
    // Wait until the resumed run waits on the approval again, then approve it through the API.
    await until(
      () => scenario?.orchestratorRequests().some((request) => request.text.includes(resumeMarker)),
      'the resumed run',
    );
    await client.approve(asked[1] as string, asked[2] as string);
    await expectMergedOnce(client);
    expect(second.stdout()).not.toMatch(/^approval /m);
    const [decided] = await client.listApprovals({});
    expect(decided).toMatchObject({ state: 'approved', decidedBy: 'api' });
  }, 400_000);
});
