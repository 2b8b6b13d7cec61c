#!/usr/bin/env node
/**
 * Benchmark of @codex-orchestrator/policy against its built dist/ (rebuilt when stale):
 * - decisions per second, median and p99 microseconds per decision over a realistic corpus;
 * - the ratio of a decision to a bare unbash parse of the same commands, in the same run;
 * - CLI cold start for one `check` compared with `node -e 0`.
 * Usage: npm run bench -w @codex-orchestrator/policy [-- --rounds 200 --spawns 15]
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { forEachChild, parse } from 'unbash';
import { corpus } from './policy-corpus.mjs';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const { values: options } = parseArgs({
  options: { rounds: { type: 'string', default: '200' }, spawns: { type: 'string', default: '15' } },
});
const rounds = Number(options.rounds);
const spawns = Number(options.spawns);

ensureBuilt();
const { createPolicy } = await import(join(root, 'dist/index.js'));
const policy = createPolicy();

// --- decisions ----------------------------------------------------------------------------------
const decide = ({ command, worktree }) => policy.evaluate(command, { worktree });
/** The bare parse: what any consumer of unbash must do to see every word and nested command. */
const bareParse = ({ command }) => visit(parse(command));
const lazyParse = ({ command }) => parse(command);

function visit(node) {
  if (node.type === 'Word') void node.value;
  forEachChild(node, visit);
}

for (let warm = 0; warm < 30; warm++) {
  for (const item of corpus) {
    decide(item);
    bareParse(item);
    lazyParse(item);
  }
}

const decisionSamples = [];
let decisionTotal = 0n;
let bareTotal = 0n;
let lazyTotal = 0n;
for (let round = 0; round < rounds; round++) {
  for (const item of corpus) {
    // Interleaved, so machine noise hits all three alike.
    let start = process.hrtime.bigint();
    decide(item);
    let elapsed = process.hrtime.bigint() - start;
    decisionTotal += elapsed;
    decisionSamples.push(Number(elapsed) / 1000);
    start = process.hrtime.bigint();
    bareParse(item);
    bareTotal += process.hrtime.bigint() - start;
    start = process.hrtime.bigint();
    lazyParse(item);
    elapsed = process.hrtime.bigint() - start;
    lazyTotal += elapsed;
  }
}
decisionSamples.sort((left, right) => left - right);
const count = rounds * corpus.length;
const mean = (total) => Number(total) / 1000 / count;
const percentile = (fraction) =>
  decisionSamples[Math.min(decisionSamples.length - 1, Math.floor(decisionSamples.length * fraction))];
const denied = corpus.filter((item) => decide(item).decision === 'deny').length;

// --- CLI cold start -----------------------------------------------------------------------------
const cli = join(root, 'dist/cli.js');
const coldCheck = median(timeSpawn(process.execPath, [cli, 'check', '--', 'git status']));
const coldConfig = median(
  timeSpawn(process.execPath, [
    cli,
    'check',
    '--config',
    join(root, 'bench/extends-default.json'),
    '--',
    'git status',
  ]),
);
const coldNode = median(timeSpawn(process.execPath, ['-e', '0']));

const line = (label, value) => console.log(`${label.padEnd(52)} ${value}`);
console.log(
  `@codex-orchestrator/policy benchmark (node ${process.version}, ${corpus.length} commands x ${rounds} rounds, ${denied} of them denied)`,
);
line('decisions per second', Math.round(1e6 / mean(decisionTotal)).toLocaleString('en-US'));
line('mean us per decision', mean(decisionTotal).toFixed(2));
line('median us per decision', percentile(0.5).toFixed(2));
line('p99 us per decision', percentile(0.99).toFixed(2));
line('bare parse us (parse + visit every node)', mean(bareTotal).toFixed(2));
line('ratio decision / bare parse (target <= 2.0)', (mean(decisionTotal) / mean(bareTotal)).toFixed(2));
line('lazy parse() call only us (no word parts resolved)', mean(lazyTotal).toFixed(2));
line('ratio decision / lazy parse() call', (mean(decisionTotal) / mean(lazyTotal)).toFixed(2));
line('node -e 0 ms (median)', coldNode.toFixed(1));
line(
  'CLI check, default policy ms (median)',
  `${coldCheck.toFixed(1)} (+${(coldCheck - coldNode).toFixed(1)}; target <= +150)`,
);
line(
  'CLI check --config (zod + examples) ms (median)',
  `${coldConfig.toFixed(1)} (+${(coldConfig - coldNode).toFixed(1)})`,
);

function timeSpawn(command, args) {
  const times = [];
  for (let index = 0; index < spawns; index++) {
    const start = process.hrtime.bigint();
    const result = spawnSync(command, args, { stdio: 'ignore' });
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
    if (result.status !== 0 && !(args.includes('check') && result.status === 1)) {
      throw new Error(`${command} ${args.join(' ')} exited with ${result.status}`);
    }
  }
  return times;
}

function median(values) {
  const sorted = [...values].sort((left, right) => left - right);
  return sorted[Math.floor(sorted.length / 2)];
}

/** Rebuilds dist/ with tsup when it is missing or older than a source file. */
function ensureBuilt() {
  const newest = (directory) =>
    readdirSync(directory, { withFileTypes: true }).reduce((latest, entry) => {
      const path = join(directory, entry.name);
      return Math.max(latest, entry.isDirectory() ? newest(path) : statSync(path).mtimeMs);
    }, 0);
  let built = 0;
  try {
    built = statSync(join(root, 'dist/cli.js')).mtimeMs;
  } catch {}
  if (built >= newest(join(root, 'src'))) return;
  console.log('dist/ is missing or stale; building with tsup ...');
  const result = spawnSync('npx', ['tsup'], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}
