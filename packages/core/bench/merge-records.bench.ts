/**
 * What the durable merge records cost: a merge through the merge queue with its ledger on disk
 * (intent written and fsync'd before the merge, closed after it) against the same merge with the
 * ledger kept in memory (`durableRecords: false`), on a small repository, no smoke test, so the
 * records' share is as large as it gets. Each round merges a fresh one-commit branch; preparing
 * it is untimed. Both repositories start alike and take the same merges, so every round compares
 * the same repository state; the variants alternate which goes first. Besides the ratio of the
 * medians it prints the median and range of the per-round ratios (each round's pair ran back to
 * back, so load drift cancels out). Goal: ratio <= 1.05. BENCH_RUNS overrides the rounds (40).
 *
 * Alone: `npm run bench -w @codex-orchestrator/core -- merge-records`.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import { createMergeQueue, type MergeQueue } from '../src/orchestrator/merge-queue.js';
import { createTestRepository, type TestRepository } from '../src/worktree/repository.fixture.js';
import { measureInterleaved, median, report } from './measure.js';

const runs = Number(process.env.BENCH_RUNS ?? 40);
const variants = { durable: 'merge with durable records', memory: 'merge without records (in memory)' };

async function prepare(repository: TestRepository, round: number): Promise<void> {
  const name = `task-r${round + 10}`;
  const path = join(repository.baseDir, name);
  await execa('git', ['worktree', 'add', '--quiet', '-b', name, path, 'main'], { cwd: repository.mainPath });
  await writeFile(join(path, `${name}.txt`), `${round}\n`);
  await execa('git', ['add', '-A'], { cwd: path });
  await execa('git', ['-c', 'user.name=B', '-c', 'user.email=b@example.com', 'commit', '-q', '-m', name], {
    cwd: path,
  });
}

const repositories = {
  durable: await createTestRepository({ files: 50 }),
  memory: await createTestRepository({ files: 50 }),
};
try {
  const queues: Record<keyof typeof variants, MergeQueue> = {
    durable: await createMergeQueue({ baseDir: repositories.durable.baseDir }),
    memory: await createMergeQueue({ baseDir: repositories.memory.baseDir, durableRecords: false }),
  };
  const warmup = 2;
  for (const key of ['durable', 'memory'] as const) await prepare(repositories[key], -warmup);
  const merge = (key: keyof typeof variants) => async (round: number) => {
    const result = await queues[key].merge(`task-r${round + 10}`);
    if (result.status !== 'ok') throw new Error(`merge failed: ${result.reason}`);
  };
  const durations = await measureInterleaved(
    { [variants.durable]: merge('durable'), [variants.memory]: merge('memory') },
    {
      runs,
      warmup,
      alternate: true,
      afterEach: (name, round) =>
        prepare(repositories[name === variants.durable ? 'durable' : 'memory'], round + 1),
    },
  );
  report(`merge of a one-commit branch, small repository (${runs} interleaved runs each)`, durations, {
    baseline: variants.memory,
    subject: variants.durable,
    target: 1.05,
  });
  for (const [name, values] of Object.entries(durations)) {
    const sorted = [...values].sort((a, b) => a - b);
    console.log(`  ${name}: range ${sorted[0]?.toFixed(1)}-${sorted.at(-1)?.toFixed(1)} ms`);
  }
  const durable = durations[variants.durable] ?? [];
  const memory = durations[variants.memory] ?? [];
  const paired = durable.map((value, round) => value / (memory[round] as number)).sort((a, b) => a - b);
  console.log(
    `  per-round ratio durable/memory: median ${median(paired).toFixed(3)}, range ${paired[0]?.toFixed(3)}-${paired.at(-1)?.toFixed(3)}`,
  );
} finally {
  await repositories.durable.cleanup();
  await repositories.memory.cleanup();
}
