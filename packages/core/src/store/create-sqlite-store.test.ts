import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { storeContractCases } from '../testing/store-contract.js';
import { createSqliteStore } from './create-sqlite-store.js';
import type { OrchestratorStore } from './store-types.js';

const folders: string[] = [];
const freshPath = () => {
  const folder = mkdtempSync(join(tmpdir(), 'store-'));
  folders.push(folder);
  return join(folder, 'state', 'store.db');
};
afterEach(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

describe('createSqliteStore: the store contract', () => {
  for (const contractCase of storeContractCases) {
    it(contractCase.name, async () => {
      const path = freshPath();
      await contractCase.run({
        open: (limits) => createSqliteStore({ path, ...limits }),
        reopen: async (store: OrchestratorStore) => {
          await store.close();
          return createSqliteStore({ path });
        },
      });
    });
  }
});

describe('createSqliteStore: one owner per file', () => {
  it('refuses a second open while the first is live, naming the lock', async () => {
    const path = freshPath();
    const store = await createSqliteStore({ path });
    try {
      await expect(createSqliteStore({ path, lockWaitMs: 0 })).rejects.toMatchObject({
        code: 'store-locked',
        message: expect.stringContaining(`${path}.owner`),
      });
    } finally {
      await store.close();
    }
    const again = await createSqliteStore({ path, lockWaitMs: 0 });
    await again.close();
  });

  it('opens after a SIGKILLed owner: stale locks are taken over and data written before the kill is there', async () => {
    const path = freshPath();
    mkdirSync(join(path, '..'), { recursive: true });
    const child = join(fileURLToPath(new URL('.', import.meta.url)), 'sqlite-store-child.fixture.ts');
    const proc = spawn(process.execPath, ['--import', 'tsx', child, path], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    // The child writes, then prints "ready" and waits to be killed mid-life, lock held.
    await new Promise<void>((resolve, reject) => {
      proc.stdout.on('data', (chunk: Buffer) => {
        if (chunk.toString().includes('ready')) resolve();
      });
      proc.on('exit', (code) => reject(new Error(`the child exited early (${code})`)));
    });
    proc.kill('SIGKILL');
    await new Promise((resolve) => proc.on('exit', resolve));
    const store = await createSqliteStore({ path, lockWaitMs: 15_000 });
    try {
      expect((await store.getTask('written-before-kill'))?.state).toBe('running');
      expect(await store.markOnce('claimed')).toBe(false);
    } finally {
      await store.close();
    }
  }, 30_000);
});
