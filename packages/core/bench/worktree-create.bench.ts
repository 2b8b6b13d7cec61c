/**
 * Worktree creation through the manager vs raw `git worktree add -b <branch> <path> <base>`, on a
 * generated repository of 20 000 files. Each created worktree is removed (untimed) before the next.
 * Checkout time is dominated by the file system: on a slow or throttled disk it varies by seconds
 * between identical runs, far more than the manager's few extra git calls; run with
 * `TMPDIR=/dev/shm` for stable figures. BENCH_RUNS and BENCH_FILES override the defaults.
 */
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { createTestRepository } from '../src/worktree/repository.fixture.js';
import { createWorktreeManager } from '../src/worktree/worktree-manager.js';
import { measureInterleaved, report } from './measure.js';

const runs = Number(process.env.BENCH_RUNS ?? 9);
const files = Number(process.env.BENCH_FILES ?? 20_000);
const started = Date.now();
const repository = await createTestRepository({ files });
console.log(
  `generated a repository of ${files} files in ${tmpdir()} in ${((Date.now() - started) / 1000).toFixed(1)} s`,
);
try {
  const manager = createWorktreeManager({ baseDir: repository.baseDir });
  const name = (kind: string, round: number) => `task-bench-${kind}-${round + 100}`;
  const durations = await measureInterleaved(
    {
      'raw git worktree add': (round) =>
        execa(
          'git',
          [
            'worktree',
            'add',
            '--quiet',
            '-b',
            name('raw', round),
            join(repository.baseDir, name('raw', round)),
            'main',
          ],
          {
            cwd: repository.mainPath,
          },
        ),
      'worktree manager create': (round) => manager.create(name('manager', round)),
    },
    {
      runs,
      warmup: 1,
      // Untimed: remove the worktree, then flush the page cache's dirty pages so the next timed
      // creation does not pay for the previous one's writes.
      afterEach: async (kind, round) => {
        const path = join(repository.baseDir, name(kind.startsWith('raw') ? 'raw' : 'manager', round));
        await execa('git', ['worktree', 'remove', '--force', path], { cwd: repository.mainPath });
        await execa('sync');
      },
    },
  );
  report(`worktree creation on a ${files}-file repository (${runs} interleaved runs each)`, durations, {
    baseline: 'raw git worktree add',
    subject: 'worktree manager create',
    target: 1.1,
  });
} finally {
  await repository.cleanup();
}
