#!/usr/bin/env node
// Benchmark: cold start of `orchestrator --help` (the built bin) against a bare `node -e 0`.
// Usage: npm run build && npm run bench   (RUNS=30 to change the number of runs)
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const bin = fileURLToPath(new URL('../dist/bin.js', import.meta.url));
if (!existsSync(bin)) {
  console.error(`error: ${bin} is missing: build the package first (npm run build).`);
  process.exit(2);
}
const runs = Number(process.env.RUNS ?? 20);
const targetMs = 300;

function run(args) {
  const started = process.hrtime.bigint();
  const result = spawnSync(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const elapsed = Number(process.hrtime.bigint() - started) / 1e6;
  if (result.status !== 0)
    throw new Error(`node ${args.join(' ')} exited ${result.status}: ${result.stderr}`);
  return elapsed;
}

function summarize(times) {
  times.sort((a, b) => a - b);
  const at = (fraction) => times[Math.min(times.length - 1, Math.floor(fraction * times.length))];
  return { median: at(0.5), p90: at(0.9), min: times[0] };
}

// Interleaved, so that load from other processes hits both series alike; two warm-up rounds.
const baselineTimes = [];
const helpTimes = [];
for (let index = 0; index < runs + 2; index++) {
  const baselineTime = run(['-e', '0']);
  const helpTime = run([bin, '--help']);
  if (index < 2) continue;
  baselineTimes.push(baselineTime);
  helpTimes.push(helpTime);
}
const baseline = summarize(baselineTimes);
const help = summarize(helpTimes);
const format = (figures) =>
  `median ${figures.median.toFixed(1)} ms, p90 ${figures.p90.toFixed(1)} ms, min ${figures.min.toFixed(1)} ms`;
console.log(`node -e 0            ${format(baseline)}`);
console.log(`orchestrator --help  ${format(help)}`);
console.log(
  `overhead over node: ${(help.median - baseline.median).toFixed(1)} ms (median); target: --help <= ${targetMs} ms → ${help.median <= targetMs ? 'met' : 'MISSED'} (${runs} runs)`,
);
process.exitCode = help.median <= targetMs ? 0 : 1;
