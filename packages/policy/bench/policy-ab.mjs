#!/usr/bin/env node
/**
 * Two builds of the policy timed in one process, against the same bare unbash parse: the ratio
 * decision / bare parse of each, with the order of the three rotated every round so that machine
 * load and cache effects fall on all of them alike. On a loaded machine the absolute ratios drift,
 * but the difference between the two builds stays comparable (run it twice to see the noise).
 *
 * Usage: node bench/policy-ab.mjs [--base 3caeb47] [--head WORKTREE] [--warmup 1500] [--rounds 1500]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { forEachChild, parse } from 'unbash';
import { corpus } from './policy-corpus.mjs';
import { loadRevision } from './revision-build.mjs';

const { values: options } = parseArgs({
  options: {
    base: { type: 'string', default: '3caeb47' },
    head: { type: 'string', default: 'WORKTREE' },
    warmup: { type: 'string', default: '1500' },
    rounds: { type: 'string', default: '1500' },
  },
});

const scratch = mkdtempSync(join(tmpdir(), 'policy-ab-'));
try {
  const builds = [
    [options.base, (await loadRevision(options.base, 'base', scratch)).createPolicy()],
    [options.head, (await loadRevision(options.head, 'head', scratch)).createPolicy()],
  ];
  const visit = (node) => {
    if (node.type === 'Word') void node.value;
    forEachChild(node, visit);
  };
  const runs = [
    ...builds.map(
      ([, policy]) =>
        (item) =>
          policy.evaluate(item.command, { worktree: item.worktree }),
    ),
    (item) => visit(parse(item.command)),
  ];
  const totals = runs.map(() => 0n);
  const load = loadavg()[0];
  for (let round = 0; round < Number(options.warmup); round++)
    for (const item of corpus) for (const run of runs) run(item);
  const rounds = Number(options.rounds);
  for (let round = 0; round < rounds; round++) {
    for (const item of corpus) {
      for (let step = 0; step < runs.length; step++) {
        const index = (step + round) % runs.length;
        const start = process.hrtime.bigint();
        runs[index](item);
        totals[index] += process.hrtime.bigint() - start;
      }
    }
  }
  const bare = Number(totals[runs.length - 1]);
  const perDecision = (total) => (Number(total) / 1000 / rounds / corpus.length).toFixed(2);
  console.log(
    `policy A/B over ${corpus.length} commands, ${rounds} rounds after ${options.warmup} (load ${load.toFixed(1)} -> ${loadavg()[0].toFixed(1)})`,
  );
  builds.forEach(([name], index) => {
    console.log(
      `${name.padEnd(10)} ${perDecision(totals[index])} us per decision, ratio to bare parse ${(Number(totals[index]) / bare).toFixed(3)}`,
    );
  });
  console.log(`bare parse ${perDecision(bare)} us`);
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
