import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface, type Interface } from 'node:readline';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { acquireLock, LockTimeoutError, tryAcquireLock } from './exclusive-lock.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'exclusive-lock-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const deadPid = () => spawnSync(process.execPath, ['-e', '0']).pid as number;

describe('tryAcquireLock', () => {
  it('gives the lock to one holder at a time, names the live owner, and frees it on release', async () => {
    const path = join(dir, 'state', 'writer.lock');
    const first = await tryAcquireLock(path, 'first');
    expect(first.acquired).toBe(true);
    const second = await tryAcquireLock(path, 'second');
    expect(second).toMatchObject({ acquired: false, owner: { pid: process.pid, label: 'first' } });
    if (first.acquired) await first.release();
    const third = await tryAcquireLock(path, 'third');
    expect(third.acquired).toBe(true);
    if (third.acquired) await third.release();
  });

  it('takes over the lock of a dead process, in the JSON and the legacy pid format', async () => {
    const path = join(dir, 'writer.lock');
    for (const content of [
      JSON.stringify({ pid: deadPid(), start: null, token: 'x', label: 'dead', since: '' }),
      `${deadPid()}\n`,
    ]) {
      writeFileSync(path, content);
      const attempt = await tryAcquireLock(path, 'new');
      expect(attempt.acquired).toBe(true);
      expect(JSON.parse(readFileSync(path, 'utf8'))).toMatchObject({ pid: process.pid, label: 'new' });
      if (attempt.acquired) await attempt.release();
    }
  });

  it('treats a live pid with another start time as a reused pid (owner dead)', async () => {
    const path = join(dir, 'writer.lock');
    writeFileSync(
      path,
      JSON.stringify({ pid: process.ppid, start: '1', token: 'x', label: 'old', since: '' }),
    );
    const attempt = await tryAcquireLock(path, 'new');
    expect(attempt.acquired).toBe(true);
  });

  it('a release never removes a lock another holder took over meanwhile', async () => {
    const path = join(dir, 'writer.lock');
    const first = await tryAcquireLock(path, 'first');
    if (!first.acquired) throw new Error('not acquired');
    writeFileSync(
      path,
      JSON.stringify({ pid: process.ppid, start: null, token: 'other', label: 'other', since: '' }),
    );
    await first.release();
    expect(JSON.parse(readFileSync(path, 'utf8')).token).toBe('other');
  });
});

describe('acquireLock', () => {
  it('waits for a holder of this process and times out with the owner named', async () => {
    const path = join(dir, 'writer.lock');
    const release = await acquireLock(path, { label: 'merge of task-a' });
    await expect(acquireLock(path, { label: 'second', timeoutMs: 50 })).rejects.toThrow(LockTimeoutError);
    await expect(acquireLock(path, { label: 'second', timeoutMs: 50 })).rejects.toThrow(/merge of task-a/);
    const waiting = acquireLock(path, { label: 'third' });
    await release();
    const releaseThird = await waiting;
    await releaseThird();
  });
});

describe('stale takeover across processes', () => {
  const contenders: { child: ChildProcess; lines: Interface; next: () => Promise<string> }[] = [];
  afterEach(() => {
    for (const contender of contenders.splice(0)) contender.child.kill('SIGKILL');
  });

  function start(path: string) {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', join(import.meta.dirname, 'lock-contender.fixture.ts'), path],
      { stdio: ['pipe', 'pipe', 'inherit'] },
    );
    const lines = createInterface({ input: child.stdout! });
    const queue: string[] = [];
    const waiters: ((line: string) => void)[] = [];
    lines.on('line', (line) => {
      const waiter = waiters.shift();
      if (waiter) waiter(line);
      else queue.push(line);
    });
    const next = () =>
      new Promise<string>((resolve) => {
        const line = queue.shift();
        if (line !== undefined) resolve(line);
        else waiters.push(resolve);
      });
    const contender = { child, lines, next };
    contenders.push(contender);
    return contender;
  }

  it('of three processes taking over the same dead owner’s lock at once, exactly one wins (50 rounds)', async () => {
    const path = join(dir, 'journal.lock');
    const racing = [start(path), start(path), start(path)];
    for (const contender of racing) expect(await contender.next()).toBe('ready');
    const winners: number[] = [];
    for (let round = 0; round < 50; round += 1) {
      writeFileSync(
        path,
        JSON.stringify({ pid: deadPid(), start: null, token: `dead${round}`, label: 'dead', since: '' }),
      );
      for (const contender of racing) contender.child.stdin!.write(`go ${round}\n`);
      const answers = await Promise.all(racing.map((contender) => contender.next()));
      winners.push(answers.filter((answer) => answer === `${round} acquired`).length);
      for (const contender of racing) contender.child.stdin!.write(`release ${round}\n`);
      await Promise.all(racing.map((contender) => contender.next()));
    }
    expect(winners).toEqual(Array.from({ length: 50 }, () => 1));
  }, 60_000);
});
