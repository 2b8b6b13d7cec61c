import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createPolicy } from '@codex-orchestrator/policy';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCommandRunner } from '../command/command-runner.js';
import { runSmokeTest } from '../orchestrator/run-smoke-test.js';
import { createTestRepository, type TestRepository } from './repository.fixture.js';
import { createWorktreeManager } from './worktree-manager.js';
import {
  allocateWorktreePorts,
  readWorktreePorts,
  type WorktreePorts,
  worktreePorts,
} from './worktree-ports.js';

let repository: TestRepository;
beforeEach(async () => {
  repository = await createTestRepository();
});
afterEach(async () => {
  await repository.cleanup();
});

function disjoint(ranges: WorktreePorts[]): boolean {
  return ranges.every((one, index) =>
    ranges.every(
      (other, otherIndex) =>
        index === otherIndex || one.base + one.size <= other.base || other.base + other.size <= one.base,
    ),
  );
}

/** Two worktree names whose preferred ranges are the same (2 slots of 20 000 ports). */
function collidingNames(): [string, string] {
  const first = 'task-a';
  const preferred = worktreePorts(first, 20_000).base;
  for (let index = 0; ; index++) {
    const name = `task-b${index}`;
    if (worktreePorts(name, 20_000).base === preferred) return [first, name];
  }
}

async function worktreeFolders(...names: string[]): Promise<void> {
  for (const name of names) await mkdir(join(repository.baseDir, name), { recursive: true });
}

describe('allocateWorktreePorts', () => {
  it('gives two worktrees whose preferred ranges collide disjoint ranges, each kept for life', async () => {
    const [first, second] = collidingNames();
    await worktreeFolders(first, second);
    const { baseDir } = repository;
    const one = await allocateWorktreePorts({ baseDir, worktree: first, size: 20_000 });
    const two = await allocateWorktreePorts({ baseDir, worktree: second, size: 20_000 });
    expect(one.base).toBe(worktreePorts(first, 20_000).base);
    expect(disjoint([one, two])).toBe(true);
    expect(await allocateWorktreePorts({ baseDir, worktree: second, size: 20_000 })).toEqual(two);
    expect(await readWorktreePorts(baseDir, first)).toEqual(one);
    expect(two.env).toEqual({
      PORT: String(two.base),
      ORCHESTRATOR_PORT_BASE: String(two.base),
      ORCHESTRATOR_PORT_COUNT: '20000',
    });
  });

  it('never hands the same ports to concurrent subtasks', async () => {
    const names = Array.from({ length: 12 }, (_, index) => `task-${index}`);
    await worktreeFolders(...names);
    // 40 slots of 1 000 ports: twelve names hashed into them would likely collide.
    const ranges = await Promise.all(
      names.map((worktree) => allocateWorktreePorts({ baseDir: repository.baseDir, worktree, size: 1000 })),
    );
    expect(disjoint(ranges)).toBe(true);
  });

  it('frees the range of a worktree whose folder is gone', async () => {
    const [first, second] = collidingNames();
    await worktreeFolders(first, second);
    const { baseDir } = repository;
    const one = await allocateWorktreePorts({ baseDir, worktree: first, size: 20_000 });
    await rm(join(baseDir, first), { recursive: true });
    expect((await allocateWorktreePorts({ baseDir, worktree: second, size: 20_000 })).base).toBe(one.base);
    expect(await readWorktreePorts(baseDir, first)).toBeUndefined();
  });
});

describe('ports of worktrees created by the orchestrator', () => {
  it('reach run_repo_command in each worktree, where a test server binds its own port inside the sandbox', async () => {
    const manager = createWorktreeManager({ baseDir: repository.baseDir, bootstrap: {} });
    const worktrees = await Promise.all([manager.create('task-left'), manager.create('task-right')]);
    const ranges = worktrees.map((worktree) => worktree.bootstrap?.ports as WorktreePorts);
    const main = await readWorktreePorts(repository.baseDir, 'main');
    expect(main).toBeDefined();
    expect(disjoint([...ranges, main as WorktreePorts])).toBe(true);
    const server = [
      "const http = require('node:http');",
      'const server = http.createServer((request, response) => response.end(process.env.PORT));',
      "server.listen(Number(process.env.PORT), '127.0.0.1', () => {",
      '  http.get(`http://127.0.0.1:${process.env.PORT}/`, (response) => {',
      "    let body = '';",
      "    response.on('data', (chunk) => (body += chunk));",
      "    response.on('end', () => { console.log(`served ${body} of ${process.env.ORCHESTRATOR_PORT_BASE}+${process.env.ORCHESTRATOR_PORT_COUNT}`); server.close(); });",
      '  });',
      '});',
    ].join('\n');
    for (const worktree of worktrees) await writeFile(join(worktree.path, 'server.js'), server);
    const runner = createCommandRunner({
      baseDir: repository.baseDir,
      policy: createPolicy(),
      auditLog: join(repository.baseDir, 'audit.log'),
      trace: false,
      dryRun: false,
    });
    const results = await Promise.all(
      worktrees.map((worktree) => runner.run({ worktree: worktree.name, command: 'node server.js' })),
    );
    results.forEach((result, index) => {
      expect(result.status, result.reason ?? result.stderr).toBe('ok');
      expect(result.stdout.trim()).toBe(`served ${ranges[index]?.base} of ${ranges[index]?.base}+10`);
    });
    // The smoke test runs in main with main's own range.
    const smoke = await runSmokeTest({
      command: 'echo "PORT=$PORT COUNT=$ORCHESTRATOR_PORT_COUNT"',
      cwd: repository.mainPath,
      branch: 'task-left',
      mainCommit: 'HEAD',
      emit: () => undefined,
      taskField: {},
    });
    expect(smoke.output.trim()).toBe(`PORT=${main?.base} COUNT=10`);
  }, 60_000);
});
