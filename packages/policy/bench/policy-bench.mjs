#!/usr/bin/env node
/**
 * Benchmark of @codex-orchestrator/policy against its built dist/ (rebuilt when stale):
 * - decisions per second, median and p99 microseconds per decision over a realistic corpus;
 * - the ratio of a decision to a bare unbash parse of the same commands, in the same run;
 * - CLI cold start for one `check` compared with `node -e 0`.
 *
 * The in-process figures come from several worker processes (`--workers`, default 5). Each one
 * measures early (after `--early` rounds over the corpus, default 30) and again once warm: it
 * warms up in blocks until the timings stop changing (at least `--warmup` rounds, default 300),
 * then measures `--rounds` rounds, decision and bare parse interleaved command by command so
 * machine noise hits both alike. The report gives the median over the workers and their range:
 * on a shared machine one process can differ from the next by 10%.
 *
 * Usage: npm run bench -w @codex-orchestrator/policy [-- --rounds 200 --warmup 300 --early 30 --workers 5 --spawns 15]
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
  options: {
    rounds: { type: 'string', default: '200' },
    warmup: { type: 'string', default: '300' },
    early: { type: 'string', default: '30' },
    workers: { type: 'string', default: '5' },
    spawns: { type: 'string', default: '15' },
    worker: { type: 'boolean', default: false },
  },
});
const rounds = Number(options.rounds);
const warmup = Number(options.warmup);
const early = Number(options.early);

if (options.worker) {
  console.log(JSON.stringify(await measure()));
} else {
  await report();
}

/**
 * One worker. It measures twice: once early (after `--early` warm-up rounds, as a short-lived
 * process would see it) and once in steady state, after warming up in blocks of 100 rounds until
 * two blocks in a row change the decision and the parse time by less than 3% (at least `--warmup`
 * rounds, at most 3000). The orchestrator is a long-lived process, so steady state is the target.
 */
async function measure() {
  const { createPolicy } = await import(join(root, 'dist/index.js'));
  const policy = createPolicy();
  const decide = ({ command, worktree }) => policy.evaluate(command, { worktree });
  /** The bare parse: what any consumer of unbash must do to see every word and nested command. */
  const bareParse = ({ command }) => visit(parse(command));
  const lazyParse = ({ command }) => parse(command);

  for (let round = 0; round < early; round++) run(decide, bareParse, lazyParse);
  const earlyFigures = sample(decide, bareParse, lazyParse, 100);

  let warmed = early;
  let previous;
  let stableBlocks = 0;
  while (warmed < 3000) {
    const block = sample(decide, bareParse, lazyParse, 100);
    warmed += 100;
    if (previous && warmed >= warmup) {
      const change = (now, before) => Math.abs(now - before) / before;
      const stable =
        change(block.decisionMean, previous.decisionMean) < 0.03 &&
        change(block.bareMean, previous.bareMean) < 0.03;
      stableBlocks = stable ? stableBlocks + 1 : 0;
      if (stableBlocks >= 2) break;
    }
    previous = block;
  }
  const steady = sample(decide, bareParse, lazyParse, rounds, true);
  return {
    ...steady,
    warmupRounds: warmed,
    earlyRatio: earlyFigures.ratio,
    denied: corpus.filter((item) => decide(item).decision === 'deny').length,
  };
}

/** One round over the corpus, each command decided and parsed both ways. */
function run(decide, bareParse, lazyParse) {
  for (const item of corpus) {
    decide(item);
    bareParse(item);
    lazyParse(item);
  }
}

/** `count` rounds, decision and bare parse interleaved command by command. */
function sample(decide, bareParse, lazyParse, count, keepSamples = false) {
  const decisionSamples = [];
  let decisionTotal = 0n;
  let bareTotal = 0n;
  let lazyTotal = 0n;
  for (let round = 0; round < count; round++) {
    for (const item of corpus) {
      let start = process.hrtime.bigint();
      decide(item);
      let elapsed = process.hrtime.bigint() - start;
      decisionTotal += elapsed;
      if (keepSamples) decisionSamples.push(Number(elapsed) / 1000);
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
  const total = count * corpus.length;
  const mean = (sum) => Number(sum) / 1000 / total;
  const percentile = (fraction) =>
    decisionSamples[Math.min(decisionSamples.length - 1, Math.floor(decisionSamples.length * fraction))];
  return {
    decisionMean: mean(decisionTotal),
    decisionMedian: keepSamples ? percentile(0.5) : undefined,
    decisionP99: keepSamples ? percentile(0.99) : undefined,
    bareMean: mean(bareTotal),
    lazyMean: mean(lazyTotal),
    ratio: Number(decisionTotal) / Number(bareTotal),
    lazyRatio: Number(decisionTotal) / Number(lazyTotal),
  };
}

function visit(node) {
  if (node.type === 'Word') void node.value;
  forEachChild(node, visit);
}

async function report() {
  ensureBuilt();
  const workerCount = Number(options.workers);
  const results = [];
  for (let index = 0; index < workerCount; index++) {
    const child = spawnSync(
      process.execPath,
      [fileURLToPath(import.meta.url), '--worker', '--rounds', String(rounds), '--warmup', String(warmup)],
      { encoding: 'utf8' },
    );
    if (child.status !== 0) {
      process.stderr.write(child.stderr);
      throw new Error(`benchmark worker ${index + 1} exited with ${child.status}`);
    }
    results.push(JSON.parse(child.stdout));
  }

  const spawns = Number(options.spawns);
  const cli = join(root, 'dist/cli.js');
  const coldCheck = median(timeSpawn(spawns, process.execPath, [cli, 'check', '--', 'git status']));
  const coldConfig = median(
    timeSpawn(spawns, process.execPath, [
      cli,
      'check',
      '--config',
      join(root, 'bench/extends-default.json'),
      '--',
      'git status',
    ]),
  );
  const coldNode = median(timeSpawn(spawns, process.execPath, ['-e', '0']));

  const line = (label, value) => console.log(`${label.padEnd(52)} ${value}`);
  /** Median over the workers, with their range. */
  const figure = (pick, digits) => {
    const values = results.map(pick);
    const shown = (value) => value.toFixed(digits);
    return `${shown(median(values))} (workers: ${shown(Math.min(...values))} to ${shown(Math.max(...values))})`;
  };
  console.log(
    `@codex-orchestrator/policy benchmark (node ${process.version}, ${corpus.length} commands, ${results[0].denied} of them denied; ${workerCount} workers, each warmed up until stable, then ${rounds} measured rounds; medians over workers)`,
  );
  line(
    'decisions per second',
    Math.round(1e6 / median(results.map((result) => result.decisionMean))).toLocaleString('en-US'),
  );
  /** In-process figures: label, the worker result field, decimals. */
  const rows = [
    ['mean us per decision', 'decisionMean', 2],
    ['median us per decision', 'decisionMedian', 2],
    ['p99 us per decision', 'decisionP99', 2],
    ['bare parse us (parse + visit every node)', 'bareMean', 2],
    ['ratio decision / bare parse (target <= 2.0)', 'ratio', 2],
    [`  same, early (after ${early} warm-up rounds)`, 'earlyRatio', 2],
    ['warm-up rounds until stable', 'warmupRounds', 0],
    ['lazy parse() call only us (no word parts resolved)', 'lazyMean', 2],
    ['ratio decision / lazy parse() call', 'lazyRatio', 2],
  ];
  for (const [label, field, digits] of rows)
    line(
      label,
      figure((result) => result[field], digits),
    );
  line('node -e 0 ms (median)', coldNode.toFixed(1));
  line(
    'CLI check, default policy ms (median)',
    `${coldCheck.toFixed(1)} (+${(coldCheck - coldNode).toFixed(1)}; target <= +150)`,
  );
  line(
    'CLI check --config (zod + examples) ms (median)',
    `${coldConfig.toFixed(1)} (+${(coldConfig - coldNode).toFixed(1)})`,
  );
}

function timeSpawn(count, command, args) {
  const times = [];
  for (let index = 0; index < count; index++) {
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
