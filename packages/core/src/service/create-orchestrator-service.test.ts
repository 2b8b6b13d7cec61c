import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { createServiceClient } from '../api/create-service-client.js';
import { createMemoryStore } from '../store/create-memory-store.js';
import { createSqliteStore } from '../store/create-sqlite-store.js';
import type { StoredApproval } from '../store/store-types.js';
import {
  createOrchestratorService,
  type OrchestratorService,
  type ProjectTaskRunner,
} from './create-orchestrator-service.js';
import { parseServiceConfig } from './load-service-config.js';

const token = 'service-test-token-0123456789';
const folders: string[] = [];
const services: OrchestratorService[] = [];
afterEach(async () => {
  for (const service of services.splice(0)) await service.stop({ graceMs: 0 }).catch(() => undefined);
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});
const tempDir = () => {
  const made = mkdtempSync(join(tmpdir(), 'service-'));
  folders.push(made);
  return made;
};

function config(extra: Record<string, unknown> = {}, projects: Record<string, unknown> = {}) {
  return parseServiceConfig(
    JSON.stringify({
      projects: {
        shop: { description: 'The web shop: cart, checkout, search.', baseDir: '/srv/shop' },
        billing: { description: 'Invoices and VAT.', baseDir: '/srv/billing', defaultBranch: 'trunk' },
        ...projects,
      },
      api: { port: 0, token: { env: 'UNUSED_TOKEN' } },
      limits: { maxConcurrentRuns: 2 },
      ...extra,
    }),
    '/etc/orchestrator/serve.json',
  );
}

/** A runner that records calls and finishes when the test opens the gate of a task. */
function gatedRunner() {
  const calls: { taskId: string; project: string; baseDir: string; resume: boolean }[] = [];
  const gates = new Map<string, () => void>();
  let running = 0;
  let peak = 0;
  const run: ProjectTaskRunner = async ({ task, project, resume, emit, signal }) => {
    calls.push({ taskId: task.id, project: project.name, baseDir: project.baseDir, resume });
    running += 1;
    peak = Math.max(peak, running);
    emit({
      type: 'worker-message',
      workerRunId: 'w1',
      worktree: 'task-a',
      kind: 'message',
      text: `working on ${task.text}`,
    });
    try {
      await new Promise<void>((resolve, reject) => {
        gates.set(task.id, resolve);
        signal.addEventListener('abort', () => reject(signal.reason), { once: true });
      });
    } finally {
      running -= 1;
    }
    return { outcome: 'completed', reportMarkdown: `done: ${task.text}`, report: { project: project.name } };
  };
  return { run, calls, open: (taskId: string) => gates.get(taskId)?.(), peak: () => peak };
}

async function startService(options: Partial<Parameters<typeof createOrchestratorService>[0]> = {}) {
  const service = createOrchestratorService({
    config: config(),
    store: createMemoryStore(),
    apiToken: token,
    log: () => undefined,
    ...options,
  });
  services.push(service);
  await service.start();
  return { service, client: createServiceClient({ url: service.apiUrl ?? '', token }) };
}

describe('createOrchestratorService: projects and routing', () => {
  it('runs tasks of two projects side by side, each in its own project, and records them', async () => {
    const runner = gatedRunner();
    const { service, client } = await startService({ runTask: runner.run });
    expect((await client.projects()).map((project) => [project.name, project.defaultBranch])).toEqual([
      ['shop', 'main'],
      ['billing', 'trunk'],
    ]);
    const shop = await client.submit({ text: 'shop: add search' });
    const billing = await client.submit({ text: 'Round VAT', project: 'billing' });
    await expect.poll(() => runner.calls.length).toBe(2);
    expect(runner.peak()).toBe(2);
    expect(runner.calls.map((call) => [call.project, call.baseDir]).sort()).toEqual([
      ['billing', '/srv/billing'],
      ['shop', '/srv/shop'],
    ]);
    expect((await client.getTask(shop.id)).task).toMatchObject({
      state: 'running',
      project: 'shop',
      text: 'add search',
    });
    runner.open(shop.id);
    runner.open(billing.id);
    await expect.poll(async () => (await client.getTask(billing.id)).task.state).toBe('finished');
    const details = await client.getTask(shop.id);
    expect(details.task).toMatchObject({ state: 'finished', outcome: 'completed' });
    expect(details.runs).toHaveLength(1);
    expect(details.runs[0]).toMatchObject({
      state: 'finished',
      outcome: 'completed',
      report: { project: 'shop' },
    });
    const events = await service.store.readEvents(details.runs[0]?.id ?? '');
    expect(events.map((event) => event.type)).toContain('worker-message');
  });

  it('asks back when it cannot choose, never guessing, and runs the task once answered', async () => {
    const runner = gatedRunner();
    const questions: string[] = [];
    const { client } = await startService({
      runTask: runner.run,
      classifier: async () => ({ project: 'shop', confidence: 0.3, reason: 'unsure' }),
      askProject: async (_task, question) => void questions.push(question),
    });
    const task = await client.submit({ text: 'Make it faster' });
    expect(task.state).toBe('awaiting-project');
    expect(questions).toEqual([
      'Which project: shop or billing? Answer with the project name, or send the task again as "<project>: <task>".',
    ]);
    expect(runner.calls).toHaveLength(0);
    await expect(client.answerProject(task.id, 'nowhere')).rejects.toThrow('no project "nowhere"');
    expect((await client.answerProject(task.id, 'billing')).state).toBe('queued');
    await expect(client.answerProject(task.id, 'shop')).rejects.toThrow('does not wait for a project');
    await expect.poll(() => runner.calls.map((call) => call.project)).toEqual(['billing']);
    runner.open(task.id);
    await expect.poll(async () => (await client.getTask(task.id)).task.outcome).toBe('completed');
  });

  it('routes by a confident model answer, and needs no model for one project', async () => {
    const runner = gatedRunner();
    const { client } = await startService({
      runTask: runner.run,
      classifier: async ({ text }) => ({
        project: text.includes('VAT') ? 'billing' : null,
        confidence: 0.9,
        reason: 'x',
      }),
    });
    const vat = await client.submit({ text: 'Fix the VAT rounding' });
    await expect.poll(() => runner.calls.map((call) => call.project)).toEqual(['billing']);
    runner.open(vat.id);
    const single = gatedRunner();
    const one = createOrchestratorService({
      config: parseServiceConfig(
        JSON.stringify({ projects: { shop: { description: 'shop', baseDir: '/srv/shop' } } }),
        '/etc/o/serve.json',
      ),
      store: createMemoryStore(),
      runTask: single.run,
      classifier: () => Promise.reject(new Error('must not be asked')),
      log: () => undefined,
    });
    services.push(one);
    await one.start();
    const task = await one.submit({ text: 'anything at all' });
    expect(task.project).toBe('shop');
    await expect.poll(() => single.calls.length).toBe(1);
    single.open(task.id);
  });

  it('takes tasks from the configured inbox: a named project wins, else the inbox default; acks move the files', async () => {
    const inbox = join(tempDir(), 'inbox');
    mkdirSync(inbox);
    writeFileSync(join(inbox, 'vat.md'), 'Fix the VAT rounding\n');
    writeFileSync(join(inbox, 'search.md'), 'shop: add search\n');
    const runner = gatedRunner();
    await startService({
      config: config({ sources: { inbox: { dir: inbox, project: 'billing', pollIntervalMs: 50 } } }),
      runTask: runner.run,
    });
    await expect
      .poll(() => runner.calls.map((call) => call.project).sort(), { timeout: 10_000 })
      .toEqual(['billing', 'shop']);
    for (const call of runner.calls) runner.open(call.taskId);
    await expect
      .poll(() => existsSync(join(inbox, 'done', 'vat.md')) && existsSync(join(inbox, 'done', 'search.md')))
      .toBe(true);
  });

  it('cancels a running task and a parked one through the API', async () => {
    const runner = gatedRunner();
    const { client } = await startService({ runTask: runner.run });
    const running = await client.submit({ text: 'shop: long work' });
    await expect.poll(() => runner.calls.length).toBe(1);
    await client.cancel(running.id, 'not needed');
    await expect.poll(async () => (await client.getTask(running.id)).task.state).toBe('cancelled');
    const parked = await client.submit({ text: 'which one?' });
    await client.cancel(parked.id);
    expect((await client.getTask(parked.id)).task.state).toBe('cancelled');
  });
});

describe('createOrchestratorService: project policy files', () => {
  it('refuses to start on a broken policy file, naming the project field', async () => {
    const folder = tempDir();
    writeFileSync(join(folder, 'policy.json'), '{ "rules": "not a list" }');
    const service = createOrchestratorService({
      config: config(
        {},
        { shop: { description: 'shop', baseDir: '/srv/shop', policy: join(folder, 'policy.json') } },
      ),
      store: createMemoryStore(),
      apiToken: token,
      log: () => undefined,
    });
    const failure = await service.start().then(
      () => undefined,
      (error: Error & { code?: string }) => error,
    );
    expect(failure?.code).toBe('service-policy-invalid');
    expect(failure?.message).toMatch(/^projects\.shop\.policy: /);
    expect(failure?.message).not.toContain('\n');
  });

  it('hands each project the policy of its file (the default runner gives it to runOrchestrator)', async () => {
    const folder = tempDir();
    const rule = {
      id: 'no-make',
      decision: 'deny',
      match: { program: 'make' },
      reason: 'no make in the shop',
      examples: { match: ['make all'], notMatch: ['npm test'] },
    };
    writeFileSync(
      join(folder, 'policy.json'),
      JSON.stringify({ version: 1, extends: 'default', rules: [rule] }),
    );
    const decisions: string[] = [];
    const { client } = await startService({
      config: config(
        {},
        { shop: { description: 'shop', baseDir: '/srv/shop', policy: join(folder, 'policy.json') } },
      ),
      runTask: async ({ project, policy }) => {
        decisions.push(
          `${project.name}: ${policy?.evaluate('make all', { worktree: 'task-a' }).ruleId ?? 'default'}`,
        );
        return { outcome: 'completed' };
      },
    });
    await client.submit({ text: 'shop: x' });
    await client.submit({ text: 'billing: y' });
    await expect.poll(() => decisions.sort()).toEqual(['billing: default', 'shop: no-make']);
  });
});

describe('createOrchestratorService: restarts', () => {
  const child = join(fileURLToPath(new URL('.', import.meta.url)), 'service-child.fixture.ts');

  /** Starts the fixture service in a child process and waits for `line` on its stdout. */
  async function startChild(storePath: string, mode: string, line: string) {
    const proc = spawn(process.execPath, ['--import', 'tsx', child, storePath, mode], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let output = '';
    await new Promise<void>((resolve, reject) => {
      proc.stdout.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes(line)) resolve();
      });
      proc.on('exit', (code) => reject(new Error(`the child exited (${code}) before "${line}": ${output}`)));
    });
    return { proc, output: () => output };
  }
  const kill = async (proc: ReturnType<typeof spawn>) => {
    proc.kill('SIGKILL');
    await new Promise((resolve) => proc.on('exit', resolve));
  };

  it('after kill -9: a finished task is not run again, an interrupted one resumes once', async () => {
    const storePath = join(tempDir(), 'store.db');
    const { proc } = await startChild(storePath, 'run-and-hang', 'second task running');
    await kill(proc);

    const runner = gatedRunner();
    const store = await createSqliteStore({ path: storePath, lockWaitMs: 15_000 });
    const { service } = await startService({ store, runTask: runner.run });
    expect((await store.getTask('task-done'))?.outcome).toBe('completed');
    await expect
      .poll(() => runner.calls.map((call) => [call.taskId, call.resume]))
      .toEqual([['task-hang', true]]);
    expect((await store.listRuns({ taskId: 'task-hang' })).map((run) => run.state).sort()).toEqual([
      'interrupted',
      'running',
    ]);
    runner.open('task-hang');
    await expect.poll(async () => (await store.getTask('task-hang'))?.outcome).toBe('completed');
    await service.stop({ graceMs: 1_000 });
    services.splice(0);

    // And once more: nothing left to run.
    const again = gatedRunner();
    const reopened = await createSqliteStore({ path: storePath, lockWaitMs: 0 });
    await startService({ store: reopened, runTask: again.run });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(again.calls).toEqual([]);
  }, 60_000);

  it('an approval waiting at kill -9 still waits after the restart; approving it by API merges exactly once', async () => {
    const storePath = join(tempDir(), 'store.db');
    const { proc } = await startChild(storePath, 'approval', 'approval requested');
    await kill(proc);

    const store = await createSqliteStore({ path: storePath, lockWaitMs: 15_000 });
    const pending = await store.listApprovals({ state: 'pending' });
    expect(pending).toHaveLength(1);
    const notified: StoredApproval[] = [];
    let merges = 0;
    const runTask: ProjectTaskRunner = async ({ approveMerge }) => {
      if (await approveMerge?.({ branch: 'task-a', commit: 'abc1234', worktree: 'task-a', diffStat: '' })) {
        if (await store.markOnce('merged:task-a')) merges += 1;
      }
      return { outcome: 'completed' };
    };
    const { client } = await startService({
      config: config({}, { shop: { description: 'shop', baseDir: '/srv/shop', approval: 'required' } }),
      store,
      runTask,
      notifyApproval: async (approval) => void notified.push(approval),
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(notified).toEqual([]); // the request made before the kill is not sent again
    expect(merges).toBe(0);
    const approval = await client.approve(pending[0]?.id ?? '', 'abc1234');
    expect(approval.state).toBe('approved');
    await expect.poll(async () => (await store.getTask('task-approve'))?.outcome).toBe('completed');
    expect(merges).toBe(1);
    await expect(client.approve(pending[0]?.id ?? '', 'abc1234')).rejects.toMatchObject({
      code: 'already-decided',
    });
  }, 60_000);

  it('stop() lets running work finish within the grace period', async () => {
    const runner = gatedRunner();
    const { service, client } = await startService({ runTask: runner.run });
    const task = await client.submit({ text: 'shop: quick' });
    await expect.poll(() => runner.calls.length).toBe(1);
    setTimeout(() => runner.open(task.id), 100);
    await service.stop({ graceMs: 5_000 });
    services.splice(0);
    expect(runner.calls).toHaveLength(1);
  });
});
