import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { waitUntil } from './dispatcher-recorders.fixture.js';
import { createFileTaskStore } from './file-task-store.js';

const fixture = fileURLToPath(new URL('./crash-child.fixture.ts', import.meta.url));
const packageDir = fileURLToPath(new URL('../..', import.meta.url));

let root: string;
let repo: string;
const git = (...args: string[]) =>
  execFileSync('git', ['-C', repo, '-c', 'user.name=Test', '-c', 'user.email=test@example.com', ...args], {
    encoding: 'utf8',
  }).trim();

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'dispatcher-crash-'));
  repo = join(root, 'main');
  execFileSync('git', ['init', '--quiet', '--initial-branch=main', repo]);
  writeFileSync(join(repo, 'README.md'), 'base\n');
  git('add', '.');
  git('commit', '--quiet', '-m', 'base');
  for (const id of ['a', 'b', 'c']) {
    git('checkout', '--quiet', '-b', `task-${id}`, 'main');
    writeFileSync(join(repo, `${id}.txt`), `${id}\n`);
    git('add', '.');
    git('commit', '--quiet', '-m', `work of ${id}`);
  }
  git('checkout', '--quiet', 'main');
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

function startChild(config: Record<string, unknown>): { child: ChildProcess; exit: Promise<number | null> } {
  const child = spawn(process.execPath, ['--import', 'tsx', fixture], {
    cwd: packageDir,
    env: { ...process.env, CRASH_CHILD_CONFIG: JSON.stringify({ repo, ...config }) },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exit = new Promise<number | null>((resolve) => {
    child.on('exit', (code) => {
      if (code !== 0 && code !== null) console.error(stderr);
      resolve(code);
    });
  });
  return { child, exit };
}

function readLog(path: string): Record<string, unknown>[] {
  if (!existsSync(path)) return [];
  return readFileSync(path, 'utf8')
    .trimEnd()
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line));
}

describe('crash recovery (SIGKILL and restart on the same journal)', () => {
  it('never reruns a completed task, resumes the interrupted one, loses none, merges each branch once', async () => {
    const journal = join(root, 'state', 'journal.jsonl');
    const log = join(root, 'runs.jsonl');
    const first = startChild({
      journal,
      log,
      deliver: ['a', 'b', 'c'],
      hangOn: 'b',
      onInterrupted: 'resume',
    });
    // Kill once b hangs after merging, and c is durably queued behind it (so the restart must find it).
    await waitUntil(
      () =>
        readLog(log).some((entry) => entry.event === 'hang') &&
        existsSync(journal) &&
        readFileSync(journal, 'utf8').includes('"id":"c"'),
      30_000,
    );
    first.child.kill('SIGKILL');
    expect(await first.exit).toBeNull();
    const firstPid = first.child.pid;

    const second = startChild({ journal, log, deliver: [], onInterrupted: 'resume' });
    expect(await second.exit).toBe(0);
    const entries = readLog(log);
    const runs = entries
      .filter((entry) => entry.event === 'run')
      .map(
        (entry) =>
          `${entry.task}#${entry.attempt}${entry.resume ? ' resume' : ''}${entry.pid === firstPid ? '' : ' (restarted)'}`,
      );
    expect(runs).toEqual(['a#1', 'b#1', 'b#2 resume (restarted)', 'c#1 (restarted)']);
    expect(entries.filter((entry) => entry.event === 'merge').map((entry) => entry.task)).toEqual([
      'a',
      'b',
      'c',
    ]);
    expect(entries.at(-1)?.event).toBe('drained');

    const mergeCommits = git('rev-list', '--merges', 'main').split('\n');
    expect(mergeCommits).toHaveLength(3);
    const mergedTips = mergeCommits.map((commit) => git('rev-parse', `${commit}^2`)).sort();
    expect(mergedTips).toEqual(['a', 'b', 'c'].map((id) => git('rev-parse', `task-${id}`)).sort());

    const store = createFileTaskStore(journal);
    const states = (await store.load()).map((entry) => [entry.taskId, entry.state, entry.attempts]);
    await store.close();
    expect(states).toEqual([
      ['a', 'completed', 1],
      ['b', 'completed', 2],
      ['c', 'completed', 1],
    ]);
  });
});
