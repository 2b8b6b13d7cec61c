/**
 * TaskDispatcher throughput and memory: 10,000 tasks from a memory source through a no-op runner,
 * with the durable file journal (every record fdatasync'ed, group commit) in a temp dir.
 * Targets: RSS growth after GC <= 50 MB. Throughput is reported, no target.
 *
 * BENCH_TASKS (default 10000) and BENCH_CONCURRENCY (default "1,8") tune it.
 */
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { silentDispatcherLogger } from '../src/dispatcher/dispatcher-logger.js';
import { createMemoryTaskSource } from '../src/dispatcher/memory-task-source.js';
import { createTaskDispatcher } from '../src/dispatcher/task-dispatcher.js';
import type { TaskRunner } from '../src/dispatcher/task-runner.js';

// Works with or without --expose-gc on the command line (tsx does not forward it everywhere).
setFlagsFromString('--expose-gc');
const gc = (globalThis.gc ?? runInNewContext('gc')) as () => void;

const taskCount = Number(process.env.BENCH_TASKS ?? 10_000);
const concurrencies = (process.env.BENCH_CONCURRENCY ?? '1,8').split(',').map(Number);
const rssTargetMb = 50;
const noop: TaskRunner = async () => ({ outcome: 'completed' });

/** RSS and heap in use after full collections, in MB. */
function settledMemory(): { rss: number; heap: number } {
  for (let round = 0; round < 3; round += 1) gc();
  const usage = process.memoryUsage();
  return { rss: usage.rss / 1024 / 1024, heap: usage.heapUsed / 1024 / 1024 };
}

async function dispatchAll(tasks: number, concurrency: number, dir: string) {
  const journal = join(dir, `journal-${concurrency}-${tasks}.jsonl`);
  const source = createMemoryTaskSource();
  for (let index = 0; index < tasks; index += 1) {
    source.push({ id: `task-${index}`, text: `Benchmark task number ${index}: do nothing, quickly.` });
  }
  source.end();
  const dispatcher = createTaskDispatcher({
    sources: [source],
    run: noop,
    store: journal,
    concurrency,
    logger: silentDispatcherLogger,
  });
  let peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
  }, 25);
  const started = performance.now();
  await dispatcher.start();
  await dispatcher.drain();
  await dispatcher.stop();
  const elapsedMs = performance.now() - started;
  clearInterval(sampler);
  // Measured while the dispatcher is still referenced: what it keeps (the ids it has seen) counts.
  const after = settledMemory();
  if (dispatcher.list().length === 0) throw new Error('the dispatcher lost its ended tasks');
  return { elapsedMs, after, peakRssMb: peakRss / 1024 / 1024, journalBytes: (await stat(journal)).size };
}

const dir = await mkdtemp(join(tmpdir(), 'bench-dispatcher-'));
let missed = false;
try {
  await dispatchAll(500, 4, dir); // warm-up: JIT, file system caches
  console.log(
    `TaskDispatcher: ${taskCount} tasks, memory source, no-op runner, file journal (fdatasync per batch)`,
  );
  for (const concurrency of concurrencies) {
    const before = settledMemory();
    const result = await dispatchAll(taskCount, concurrency, dir);
    const { after } = result;
    const growth = after.rss - before.rss;
    const throughput = taskCount / (result.elapsedMs / 1000);
    missed ||= growth > rssTargetMb;
    console.log(
      `  concurrency ${String(concurrency).padStart(2)}: ${throughput.toFixed(0).padStart(6)} tasks/s ` +
        `(${(result.elapsedMs / 1000).toFixed(2)} s), RSS ${before.rss.toFixed(1)} -> ${after.rss.toFixed(1)} MB after GC ` +
        `(growth ${growth.toFixed(1)} MB, target <= ${rssTargetMb}: ${growth <= rssTargetMb ? 'met' : 'missed'}), ` +
        `heap ${before.heap.toFixed(1)} -> ${after.heap.toFixed(1)} MB, peak RSS ${result.peakRssMb.toFixed(1)} MB, ` +
        `journal ${(result.journalBytes / 1024 / 1024).toFixed(2)} MB`,
    );
  }
} finally {
  await rm(dir, { recursive: true, force: true });
}
if (missed) process.exitCode = 1;
