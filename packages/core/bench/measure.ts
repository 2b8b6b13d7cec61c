/** Shared helpers of the core benchmarks. */
import { performance } from 'node:perf_hooks';

/** Median of a list of numbers. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

/**
 * Runs every variant `runs` times, interleaved (a, b, c, a, b, c, ...) so drift in machine load
 * hits all of them alike, after `warmup` untimed rounds. Returns the durations per variant in ms.
 */
export async function measureInterleaved(
  variants: Record<string, (round: number) => Promise<unknown>>,
  options: {
    runs: number;
    warmup: number;
    afterEach?: (name: string, round: number) => Promise<unknown>;
    /** Reverse the order of the variants every other round, so none always goes first. */
    alternate?: boolean;
  },
): Promise<Record<string, number[]>> {
  const durations: Record<string, number[]> = Object.fromEntries(
    Object.keys(variants).map((name) => [name, []]),
  );
  for (let round = -options.warmup; round < options.runs; round++) {
    const order = Object.entries(variants);
    if (options.alternate && Math.abs(round) % 2 === 1) order.reverse();
    for (const [name, variant] of order) {
      const started = performance.now();
      await variant(round);
      const elapsed = performance.now() - started;
      if (round >= 0) durations[name]?.push(elapsed);
      await options.afterEach?.(name, round);
    }
  }
  return durations;
}

/** Prints medians, ratios against a baseline, and the subject's ratio against every other variant. */
export function report(
  title: string,
  durations: Record<string, number[]>,
  options: { baseline: string; subject: string; target: number },
): void {
  const base = median(durations[options.baseline] ?? []);
  const subject = median(durations[options.subject] ?? []);
  console.log(title);
  for (const [name, values] of Object.entries(durations)) {
    const value = median(values);
    console.log(
      `  ${name.padEnd(44)} median ${value.toFixed(2).padStart(9)} ms   x${(value / base).toFixed(3)} (n=${values.length})`,
    );
  }
  for (const name of Object.keys(durations)) {
    if (name === options.subject) continue;
    const ratio = subject / median(durations[name] ?? []);
    const verdict = ratio <= options.target ? 'met' : 'missed';
    console.log(
      `  => ${options.subject} / ${name}: ${ratio.toFixed(3)} (target <= ${options.target}: ${verdict})`,
    );
  }
}
