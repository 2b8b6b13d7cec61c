/**
 * Hostile worktree code against the real sandbox (bubblewrap): a test file, a package script and
 * a tracked git hook each try to read a private key of a fake home, print the API key, write
 * outside the worktree, push to a bare origin by absolute path under `env -i`, connect to a
 * listener on the host's loopback and leave a daemon behind. A positive control proves the
 * hostile code ran. Ordinary projects (node:test, vitest, pytest, a local HTTP server) still pass.
 */
import { existsSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCommandRunner } from '../command/command-runner.js';
import type { CommandRunnerOptions } from '../command/command-runner-types.js';
import { createTestPolicy } from '../command/policy.fixture.js';
import { runSmokeTest } from '../orchestrator/run-smoke-test.js';
import { createTestRepository, type TestRepository } from '../worktree/repository.fixture.js';
import { runWorktreeSetup } from '../worktree/run-worktree-setup.js';
import { createSandbox } from './create-sandbox.js';
import {
  createHostileEnvironment,
  expectContained as expectAllFailed,
  type HostileEnvironment,
  type HostileTargets,
  hostileScript as hostileCode,
} from './hostile-code.fixture.js';
import { SandboxUnavailableError } from './sandbox-error.js';

const apiKey = 'sk-test-SANDBOX-0123456789abcdefghijklmnop';
const daemonMarker = '291.4471';
const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..');

let repository: TestRepository;
let host: HostileEnvironment;
let outside: string;
let logs: string;
// Connections the network test opened on purpose (with network: 'on').
let expectedConnections = 0;

beforeAll(async () => {
  host = await createHostileEnvironment(apiKey);
  repository = await createTestRepository({ origin: true });
  // Next to the worktrees: readable from the sandbox (the base dir), so a write is really refused.
  outside = join(repository.baseDir, 'outside');
  await mkdir(outside);
  logs = await mkdtemp(join(tmpdir(), 'sandbox-logs-'));
});

afterAll(async () => {
  await host.restore();
  await repository.cleanup();
  await rm(logs, { recursive: true, force: true });
});

function targets(): HostileTargets {
  return {
    fakeHome: host.fakeHome,
    outside,
    origin: join(repository.baseDir, 'origin.git'),
    port: host.port,
    daemonMarker,
    apiKey,
  };
}

function hostileScript(label: string): string {
  return hostileCode(label, targets());
}

async function originRefs(): Promise<string> {
  return repository.git(['--git-dir', join(repository.baseDir, 'origin.git'), 'for-each-ref']);
}

function runner(options: Partial<CommandRunnerOptions> = {}) {
  return createCommandRunner({
    baseDir: repository.baseDir,
    policy: createTestPolicy(),
    auditLog: join(logs, 'audit.log'),
    dryRun: false,
    trace: false,
    ...options,
  });
}

function expectContained(output: string, label: string): void {
  expectAllFailed(output, label, targets(), host.connections() - expectedConnections);
}

describe('the sandbox against hostile worktree code', () => {
  it('confines a hostile test file run by run_repo_command', async () => {
    const refs = await originRefs();
    await writeFile(join(repository.mainPath, 'hostile.test.cjs'), hostileScript('test-file'));
    const result = await runner().run({ worktree: 'main', command: 'node hostile.test.cjs' });
    const output = `${result.stdout}${result.stderr}`;
    expectContained(output, 'test-file');
    expect(await readFile(join(repository.mainPath, 'control-test-file.txt'), 'utf8')).toContain('hostile');
    expect(await originRefs()).toBe(refs);
  });

  it('confines a hostile package script (npm test)', async () => {
    const refs = await originRefs();
    await writeFile(join(repository.mainPath, 'attack.cjs'), hostileScript('package-script'));
    await writeFile(
      join(repository.mainPath, 'package.json'),
      JSON.stringify({ name: 'victim', private: true, scripts: { test: 'node attack.cjs' } }),
    );
    const result = await runner().run({ worktree: 'main', command: 'npm test' });
    expectContained(`${result.stdout}${result.stderr}`, 'package-script');
    expect(await originRefs()).toBe(refs);
  });

  it('confines a hostile tracked git hook (core.hooksPath, as husky sets it) on git commit', async () => {
    const refs = await originRefs();
    await mkdir(join(repository.mainPath, '.husky'), { recursive: true });
    await writeFile(join(repository.mainPath, '.husky', 'attack.cjs'), hostileScript('git-hook'));
    await writeFile(join(repository.mainPath, '.husky', 'pre-commit'), '#!/bin/sh\nnode .husky/attack.cjs\n');
    await chmod(join(repository.mainPath, '.husky', 'pre-commit'), 0o755);
    await repository.git(['config', 'core.hooksPath', '.husky']);
    await repository.git(['add', '-A']);
    const result = await runner().run({
      worktree: 'main',
      command: 'git -c user.name=t -c user.email=t@example.com commit -q -m hooked',
    });
    expectContained(`${result.stdout}${result.stderr}`, 'git-hook');
    expect(result.status).toBe('ok');
    expect(await originRefs()).toBe(refs);
    // The hook could not rewrite git's config to switch itself on elsewhere.
    await repository.git(['config', '--unset', 'core.hooksPath']);
  });

  it('lets git commit in a linked task worktree (its git dirs writable) while its hooks stay read-only', async () => {
    const task = join(repository.baseDir, 'task-linked');
    await repository.git(['worktree', 'add', '-q', '-b', 'task-linked', task]);
    await writeFile(join(task, 'linked.txt'), 'linked\n');
    await writeFile(
      join(task, 'plant.cjs'),
      "try { require('node:fs').writeFileSync(process.argv[2], '#!/bin/sh\\n'); console.log('PLANTED'); } catch (error) { console.log('REFUSED', error.code); }\n",
    );
    const commit = await runner().run({
      worktree: 'task-linked',
      command: 'git add linked.txt && git -c user.name=t -c user.email=t@example.com commit -q -m linked',
    });
    expect(commit.status, commit.stderr).toBe('ok');
    expect(await repository.git(['log', '-1', '--format=%s', 'task-linked'])).toBe('linked');
    const hook = join(repository.mainPath, '.git', 'hooks', 'post-commit');
    const plant = await runner().run({ worktree: 'task-linked', command: `node plant.cjs ${hook}` });
    expect(plant.stdout).toMatch(/REFUSED (EROFS|EACCES)/);
  });

  it('confines the smoke test in main', async () => {
    await writeFile(join(repository.mainPath, 'smoke.cjs'), hostileScript('smoke'));
    const smoke = await runSmokeTest({
      command: 'node smoke.cjs',
      cwd: repository.mainPath,
      branch: 'task-x',
      mainCommit: 'HEAD',
      emit: () => undefined,
      taskField: {},
    });
    expectContained(smoke.output, 'smoke');
  });

  it('confines the worktree setup hook', async () => {
    await writeFile(join(repository.mainPath, 'setup.cjs'), hostileScript('setup'));
    const setup = await runWorktreeSetup({
      command: 'node setup.cjs && echo "root=$ROOT"',
      root: repository.baseDir,
      worktreePath: repository.mainPath,
      timeoutMs: 60_000,
    });
    expectContained(setup.output, 'setup');
    expect(setup.output).toContain(`root=${repository.baseDir}`);
  });
});

describe('ordinary projects in the sandbox', () => {
  it('pass node:test with a local HTTP server inside the sandbox', async () => {
    await writeFile(
      join(repository.mainPath, 'server.test.mjs'),
      `import { test } from 'node:test';
import assert from 'node:assert';
import { createServer } from 'node:http';
test('serves on loopback', async () => {
  const server = createServer((request, response) => response.end('pong'));
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const response = await fetch('http://127.0.0.1:' + server.address().port + '/');
  assert.strictEqual(await response.text(), 'pong');
  server.close();
});
`,
    );
    const result = await runner().run({ worktree: 'main', command: 'node --test server.test.mjs' });
    expect(result.stdout).toMatch(/# pass 1/);
    expect(result.status).toBe('ok');
  });

  it('pass pytest', async () => {
    await writeFile(join(repository.mainPath, 'test_math.py'), 'def test_add():\n    assert 1 + 1 == 2\n');
    const result = await runner().run({ worktree: 'main', command: 'python3 -m pytest -q test_math.py' });
    expect(`${result.stdout}${result.stderr}`).toMatch(/1 passed/);
    expect(result.status).toBe('ok');
  });

  it('pass vitest', async () => {
    await writeFile(
      join(repository.mainPath, 'sum.test.mjs'),
      "import { expect, test } from 'vitest';\ntest('sum', () => { expect(1 + 2).toBe(3); });\n",
    );
    // vitest resolved from this repository's node_modules, readable (not writable) in the sandbox.
    await writeFile(join(repository.mainPath, 'vitest.config.mjs'), 'export default {};\n');
    await rm(join(repository.mainPath, 'node_modules'), { recursive: true, force: true });
    await mkdir(join(repository.mainPath, 'node_modules'), { recursive: true });
    await symlink(
      join(repoRoot, 'node_modules', 'vitest'),
      join(repository.mainPath, 'node_modules', 'vitest'),
    );
    const result = await runner().run({
      worktree: 'main',
      command: 'node node_modules/vitest/vitest.mjs run sum.test.mjs',
    });
    expect(`${result.stdout}${result.stderr}`).toMatch(/1 passed/);
    expect(result.status).toBe('ok');
  });

  it('reaches the network only with network: on (host loopback listener as the probe)', async () => {
    const before = host.connections();
    const probe = `node -e "require('node:net').connect(${host.port}, '127.0.0.1').on('connect', () => { console.log('connected'); process.exit(0); }).on('error', () => process.exit(3))"`;
    const closed = await runner().run({ worktree: 'main', command: probe });
    expect(closed.exitCode).toBe(3);
    const open = await runner({ sandbox: { network: 'on' } }).run({ worktree: 'main', command: probe });
    expect(open.stdout).toContain('connected');
    expect(host.connections()).toBe(before + 1);
    expectedConnections += 1;
  });
});

describe('fail closed', () => {
  it('refuses to run anything when bubblewrap cannot start, naming the opt-out', async () => {
    const broken = runner({ sandbox: { bwrapPath: '/nonexistent/bwrap' } });
    const marker = join(repository.mainPath, 'must-not-exist.txt');
    await expect(broken.run({ worktree: 'main', command: `touch ${marker}` })).rejects.toThrow(
      SandboxUnavailableError,
    );
    await expect(createSandbox({ bwrapPath: '/nonexistent/bwrap' }).check()).rejects.toThrow(
      /^The sandbox cannot start: .*sandbox: 'off' \(CLI: --unsafe-no-sandbox\)\.$/,
    );
    expect(existsSync(marker)).toBe(false);
  });

  it("marks every audit line of a run with sandbox: 'off'", async () => {
    const auditPath = join(logs, 'audit-off.log');
    const unconfined = runner({ sandbox: 'off', auditLog: auditPath });
    await unconfined.run({ worktree: 'main', command: 'true' });
    await unconfined.run({ worktree: 'main', command: 'DENY' });
    const lines = (await readFile(auditPath, 'utf8')).trim().split('\n');
    expect(lines).toHaveLength(2);
    for (const line of lines) expect(JSON.parse(line)).toMatchObject({ sandbox: 'off' });
    const confinedPath = join(logs, 'audit-on.log');
    await runner({ auditLog: confinedPath }).run({ worktree: 'main', command: 'true' });
    expect(JSON.parse(await readFile(confinedPath, 'utf8'))).not.toHaveProperty('sandbox');
  });
});
