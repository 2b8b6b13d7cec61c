/**
 * The git metadata guard survives a crash: a process that snapshotted the metadata is SIGKILLed
 * after config and a hook were planted; the next start restores them from disk before its first
 * git call, so git never runs what was planted (the control shows that it would have).
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { repositoryStateDir } from '../durability/repository-state.js';
import { createTestRepository, type TestRepository } from '../worktree/repository.fixture.js';
import { restorePersistedGitMetadata } from './git-metadata-guard.js';

let repository: TestRepository;
beforeEach(async () => {
  repository = await createTestRepository();
});
afterEach(() => repository.cleanup());

async function plantAndKill(marker: string): Promise<void> {
  const commonDir = join(repository.mainPath, '.git');
  await mkdir(join(commonDir, 'hooks'), { recursive: true });
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(import.meta.dirname, 'git-metadata-crash.fixture.ts'), commonDir, marker],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  await new Promise<void>((resolve) => child.stdout?.on('data', () => resolve()));
  child.kill('SIGKILL');
  await new Promise((resolve) => child.on('exit', resolve));
}

const gitStatus = () => execa('git', ['status', '--porcelain'], { cwd: repository.mainPath, reject: false });

describe('git metadata guard across a crash', () => {
  it('the control: without the restore, the next git call runs the planted fsmonitor', async () => {
    const marker = join(repository.baseDir, 'ran');
    await plantAndKill(marker);
    await gitStatus();
    expect(existsSync(marker)).toBe(true);
  });

  it('restored at start from the on-disk snapshot before any git call: nothing planted runs', async () => {
    const marker = join(repository.baseDir, 'ran');
    await plantAndKill(marker);
    const restored = await restorePersistedGitMetadata(repositoryStateDir(repository.baseDir));
    expect(restored.sort()).toEqual(['.git/config', '.git/hooks/post-checkout']);
    await gitStatus();
    await execa('git', ['checkout', '-q', '-b', 'x'], { cwd: repository.mainPath });
    expect(existsSync(marker)).toBe(false);
    expect(await restorePersistedGitMetadata(repositoryStateDir(repository.baseDir))).toEqual([]);
  });
});
