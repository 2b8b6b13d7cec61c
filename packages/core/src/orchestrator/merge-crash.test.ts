/**
 * The crash matrix of what touches main: a child process recovers main and merges branches with
 * the real merge queue and smoke test; it is killed with SIGKILL (alone, or with its whole process
 * group) at a chosen event, then a new process starts on the same repository. Whatever the kill
 * point, main ends at a tested commit, no git lock is left, every branch is merged exactly once,
 * the ledger agrees with main, and a group kill leaves no process behind.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { createMainLedgerStore } from '../durability/main-ledger.js';
import { repositoryStateDir } from '../durability/repository-state.js';
import { findGitLocks } from '../durability/stale-git-locks.js';
import { createTestRepository, type TestRepository } from '../worktree/repository.fixture.js';

const fixture = join(import.meta.dirname, 'merge-crash.fixture.ts');
let repository: TestRepository | undefined;
const children: ChildProcess[] = [];
afterEach(async () => {
  for (const child of children.splice(0)) {
    try {
      process.kill(-(child.pid as number), 'SIGKILL');
    } catch {}
  }
  await repository?.cleanup();
  repository = undefined;
});

// The smoke test passes when every file of task-a and task-b is in main, unless FAIL exists;
// it records each run (commit) in a file outside main and sleeps a little so kills land inside.
const smokeTest = (marks: string) => `echo "$(git rev-parse HEAD)" >> ${marks}; sleep 0.3; test ! -e FAIL`;

async function branch(name: string, files: Record<string, string>) {
  const repo = repository as TestRepository;
  await repo.git(['branch', name, 'main']);
  await repo.git(['worktree', 'add', '--quiet', `../${name}`, name]);
  for (const [file, text] of Object.entries(files)) {
    await mkdir(join(repo.baseDir, name, file, '..'), { recursive: true });
    await writeFile(join(repo.baseDir, name, file), text);
  }
  await repo.git(['add', '-A'], name);
  await repo.git(['commit', '--quiet', '-m', `work on ${name}`], name);
  return (await repo.git(['rev-parse', 'HEAD'], name)).trim();
}

function start(config: Record<string, unknown>) {
  const child = spawn(process.execPath, ['--import', 'tsx', fixture], {
    env: { ...process.env, MERGE_CRASH_CONFIG: JSON.stringify(config) },
    stdio: ['ignore', 'ignore', 'pipe'],
    detached: true, // its own process group, so the whole group can be killed
  });
  children.push(child);
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, exit, stderr: () => stderr };
}

function readLog(path: string): Record<string, unknown>[] {
  if (!existsSync(path)) return [];
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .flatMap((line) => {
      try {
        return [JSON.parse(line)];
      } catch {
        return [];
      }
    });
}

async function waitFor(check: () => boolean, what: string) {
  for (let waited = 0; waited < 60_000; waited += 20) {
    if (check()) return;
    await sleep(20);
  }
  throw new Error(`timed out waiting for ${what}`);
}

function groupGone(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return false;
  } catch {
    return true;
  }
}

interface Case {
  name: string;
  /** Log entry to kill at: type (and, optionally, the nth occurrence). */
  at: string;
  nth?: number;
  delayMs?: number;
  group: boolean;
  /** The smoke test fails whenever task-a is in main: task-a must end unmerged, task-b merged. */
  failingSmoke?: boolean;
  bigBranch?: boolean;
  /** Kill once git holds main's index lock (inside the merge; git may move on before the kill lands). */
  atIndexLock?: boolean;
  /** Expected in the restart's recovery notes. */
  repaired?: RegExp;
}

const cases: Case[] = [
  { name: 'at merge start (process)', at: 'merge-start', group: false },
  {
    name: 'in the middle of a slow merge (group): git killed inside the merge',
    at: 'merge-start',
    atIndexLock: true,
    group: true,
    bigBranch: true,
    // Where exactly git dies varies with load: holding index.lock, mid checkout, after MERGE_HEAD,
    // or just after it let go of index.lock (then only the working tree is cleaned).
    repaired:
      /removed git lock file|aborted a half-finished merge|removed \d+ file\(s\) a half checkout|moved main from|cleaned the working tree of main after an interrupted merge of task-a/,
  },
  {
    name: 'in the middle of a slow merge (process): the orphaned git finishes, its merge is tested',
    at: 'merge-start',
    atIndexLock: true,
    group: false,
    bigBranch: true,
  },
  {
    name: 'during a passing smoke test (group)',
    at: 'smoke-test-start',
    group: true,
    repaired: /re-ran the smoke test .* passed/,
  },
  {
    name: 'during a failing smoke test (group)',
    at: 'smoke-test-start',
    group: true,
    failingSmoke: true,
    repaired: /re-ran the smoke test .* failed/,
  },
  { name: 'at merge end (process)', at: 'merge-end', group: false },
  { name: 'during the second merge (group)', at: 'merge-start', nth: 2, delayMs: 30, group: true },
];

describe('crash matrix: SIGKILL around merges, then a restart', () => {
  for (const testCase of cases) {
    it(testCase.name, async () => {
      repository = await createTestRepository();
      const repo = repository;
      const marks = join(repo.baseDir, 'smoke-runs.txt');
      const files: Record<string, string> = { 'a.txt': 'a\n' };
      if (testCase.bigBranch)
        for (let index = 0; index < 2000; index += 1)
          files[`big/d${index % 30}/f${index}.txt`] = `${index}\n`;
      const tips = {
        'task-a': await branch('task-a', files),
        'task-b': await branch('task-b', { 'b.txt': 'b\n' }),
      };
      const smoke = testCase.failingSmoke ? `${smokeTest(marks)} && test ! -e a.txt` : smokeTest(marks);
      const log = join(repo.baseDir, 'events.jsonl');
      const config = { baseDir: repo.baseDir, branches: ['task-a', 'task-b'], smokeTest: smoke, log };

      const first = start(config);
      await waitFor(
        () => readLog(log).filter((entry) => entry.type === testCase.at).length >= (testCase.nth ?? 1),
        testCase.at,
      );
      if (testCase.delayMs) await sleep(testCase.delayMs);
      if (testCase.atIndexLock) {
        const lock = join(repo.mainPath, '.git', 'index.lock');
        for (let polls = 0; polls < 20_000 && !existsSync(lock); polls += 1) await sleep(1);
      }
      const pid = first.child.pid as number;
      process.kill(testCase.group ? -pid : pid, 'SIGKILL');
      await first.exit;
      if (testCase.group) await waitFor(() => groupGone(pid), 'the killed process group to be gone');

      // The restart: a new process on the same repository.
      const second = start(config);
      const code = await second.exit;
      expect(code, second.stderr()).toBe(0);
      expect(readLog(log).at(-1)?.type).toBe('done');
      const repairs = readLog(log)
        .filter((entry) => entry.type === 'recovered')
        .at(-1)?.repairs as string[] | undefined;
      if (testCase.repaired) expect(repairs?.join('\n')).toMatch(testCase.repaired);
      if (process.env.MERGE_CRASH_VERBOSE) {
        console.log(
          testCase.name,
          repairs,
          readLog(log)
            .map((entry) => `${entry.pid} ${entry.type}`)
            .join('\n'),
        );
      }

      const head = (await repo.git(['rev-parse', 'HEAD'])).trim();
      // Main at a tested commit: the ledger's good commit, and a smoke test ran (and passed) on it.
      const ledger = await createMainLedgerStore(repositoryStateDir(repo.baseDir)).read();
      expect(ledger.intent).toBeUndefined();
      expect(ledger.good).toBe(head);
      const passedOn = readLog(log)
        .filter((entry) => entry.type === 'smoke-test-end' && entry.passed === true)
        .map((entry) => entry.mainCommit);
      expect(passedOn).toContain(head);
      expect(await repo.git(['status', '--porcelain'])).toBe('');
      expect(await findGitLocks(join(repo.mainPath, '.git'))).toEqual([]);
      // Every branch merged exactly once, and both are in main.
      const merges = (await repo.git(['rev-list', '--merges', '--first-parent', 'HEAD']))
        .split('\n')
        .filter(Boolean);
      const mergedTips = await Promise.all(
        merges.map(async (commit) => (await repo.git(['rev-parse', `${commit}^2`])).trim()),
      );
      const expected = testCase.failingSmoke ? ['task-b'] : ['task-a', 'task-b'];
      expect(mergedTips.sort()).toEqual(expected.map((name) => tips[name as keyof typeof tips]).sort());
      expect(ledger.merges.map((entry) => entry.branch).sort()).toEqual(expected);
      if (testCase.failingSmoke) expect(existsSync(join(repo.mainPath, 'a.txt'))).toBe(false);
    }, 120_000);
  }
});

describe('two processes on one repository', () => {
  it('merge their branches, each exactly once (a branch both ask for included), main tested', async () => {
    repository = await createTestRepository();
    const repo = repository;
    const marks = join(repo.baseDir, 'smoke-runs.txt');
    const tips: Record<string, string> = {};
    for (const name of ['task-a', 'task-b', 'task-c', 'task-d', 'task-shared']) {
      tips[name] = await branch(name, { [`${name}.txt`]: `${name}\n` });
    }
    const logs = [join(repo.baseDir, 'one.jsonl'), join(repo.baseDir, 'two.jsonl')];
    const runs = [
      start({
        baseDir: repo.baseDir,
        branches: ['task-a', 'task-shared', 'task-b'],
        smokeTest: smokeTest(marks),
        log: logs[0],
      }),
      start({
        baseDir: repo.baseDir,
        branches: ['task-c', 'task-shared', 'task-d'],
        smokeTest: smokeTest(marks),
        log: logs[1],
      }),
    ];
    const codes = await Promise.all(runs.map((run) => run.exit));
    expect(codes, runs.map((run) => run.stderr()).join('\n')).toEqual([0, 0]);
    for (const log of logs) {
      const results = readLog(log).filter((entry) => entry.type === 'result');
      expect(results.map((entry) => entry.status)).toEqual(['ok', 'ok', 'ok']);
    }
    const head = (await repo.git(['rev-parse', 'HEAD'])).trim();
    const merges = (await repo.git(['rev-list', '--merges', '--first-parent', 'HEAD']))
      .split('\n')
      .filter(Boolean);
    const mergedTips = await Promise.all(
      merges.map(async (commit) => (await repo.git(['rev-parse', `${commit}^2`])).trim()),
    );
    expect(mergedTips.sort()).toEqual(Object.values(tips).sort());
    const ledger = await createMainLedgerStore(repositoryStateDir(repo.baseDir)).read();
    expect(ledger.good).toBe(head);
    const passedOn = logs.flatMap((log) =>
      readLog(log)
        .filter((entry) => entry.type === 'smoke-test-end' && entry.passed === true)
        .map((entry) => entry.mainCommit),
    );
    expect(passedOn).toContain(head);
    expect(await findGitLocks(join(repo.mainPath, '.git'))).toEqual([]);
  }, 120_000);
});

describe('a crash during recovery', () => {
  it('a restart killed while it re-runs the smoke test of an untested merge: the next start finishes', async () => {
    repository = await createTestRepository();
    const repo = repository;
    const marks = join(repo.baseDir, 'smoke-runs.txt');
    const tips = {
      'task-a': await branch('task-a', { 'a.txt': 'a\n' }),
      'task-b': await branch('task-b', { 'b.txt': 'b\n' }),
    };
    const log = join(repo.baseDir, 'events.jsonl');
    const config = {
      baseDir: repo.baseDir,
      branches: ['task-a', 'task-b'],
      smokeTest: smokeTest(marks),
      log,
    };
    const smokeStartsOf = (pid: number) =>
      readLog(log).filter((entry) => entry.type === 'smoke-test-start' && entry.pid === pid).length;

    // Killed during the first merge's smoke test, then again during the recovery's re-run of it.
    for (let attempt = 0; attempt < 2; attempt += 1) {
      const run = start(config);
      const pid = run.child.pid as number;
      await waitFor(() => smokeStartsOf(pid) >= 1, `smoke-test-start of attempt ${attempt + 1}`);
      process.kill(-pid, 'SIGKILL');
      await run.exit;
      await waitFor(() => groupGone(pid), 'the killed process group to be gone');
    }
    const recoveries = readLog(log).filter((entry) => entry.type === 'recovered');
    expect(recoveries).toHaveLength(1); // the second process died inside its recovery

    const last = start(config);
    expect(await last.exit, last.stderr()).toBe(0);
    expect(readLog(log).at(-1)?.type).toBe('done');
    const head = (await repo.git(['rev-parse', 'HEAD'])).trim();
    const ledger = await createMainLedgerStore(repositoryStateDir(repo.baseDir)).read();
    expect(ledger.intent).toBeUndefined();
    expect(ledger.good).toBe(head);
    const passedOn = readLog(log)
      .filter((entry) => entry.type === 'smoke-test-end' && entry.passed === true)
      .map((entry) => entry.mainCommit);
    expect(passedOn).toContain(head);
    expect(await repo.git(['status', '--porcelain'])).toBe('');
    expect(await findGitLocks(join(repo.mainPath, '.git'))).toEqual([]);
    const merges = (await repo.git(['rev-list', '--merges', '--first-parent', 'HEAD']))
      .split('\n')
      .filter(Boolean);
    const mergedTips = await Promise.all(
      merges.map(async (commit) => (await repo.git(['rev-parse', `${commit}^2`])).trim()),
    );
    expect(mergedTips.sort()).toEqual(Object.values(tips).sort());
    expect(ledger.merges.map((entry) => entry.branch).sort()).toEqual(['task-a', 'task-b']);
  }, 180_000);
});
