#!/usr/bin/env node
/**
 * Verdicts compared build to build: evaluates one corpus with the policy as built from two git
 * revisions and prints every command whose decision (or deciding rule) changed.
 *
 * The corpus is the benchmark corpus (bench/policy-corpus.mjs, each command in its own worktree)
 * plus every row of every case table (src/policy-cases/*.cases.ts) of the `--cases` revision,
 * each evaluated in a task worktree (`task-x`) and in the protected main worktree (`main`).
 * Each revision's package source is taken with `git archive` into a temp directory (no git
 * worktree is created) and bundled with esbuild; `WORKTREE` means the files on disk.
 *
 * Usage: node bench/verdict-diff.mjs [--base 3caeb47] [--head WORKTREE] [--cases WORKTREE]
 *        [--rules] (also list commands whose decision stayed but whose rule id changed)
 *        [--json FILE] (write every changed row as JSON)
 */
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { bundle, loadRevision, sourceOf } from './revision-build.mjs';

const { values: options } = parseArgs({
  options: {
    base: { type: 'string', default: '3caeb47' },
    head: { type: 'string', default: 'WORKTREE' },
    cases: { type: 'string', default: 'WORKTREE' },
    rules: { type: 'boolean', default: false },
    json: { type: 'string' },
  },
});

const scratch = mkdtempSync(join(tmpdir(), 'policy-verdict-diff-'));
try {
  await main();
} finally {
  rmSync(scratch, { recursive: true, force: true });
}

async function main() {
  const base = await loadRevision(options.base, 'base', scratch);
  const head = await loadRevision(options.head, 'head', scratch);
  const corpus = await loadCorpus(options.cases);
  const changed = [];
  let ruleOnly = 0;
  for (const item of corpus) {
    const before = base.createPolicy().evaluate(item.command, { worktree: item.worktree });
    const after = head.createPolicy().evaluate(item.command, { worktree: item.worktree });
    if (before.decision === after.decision && before.ruleId === after.ruleId) continue;
    if (before.decision === after.decision) ruleOnly++;
    changed.push({
      ...item,
      before: { decision: before.decision, ruleId: before.ruleId },
      after: { decision: after.decision, ruleId: after.ruleId, reason: after.reason },
    });
  }
  const flips = changed.filter((row) => row.before.decision !== row.after.decision);
  console.log(
    `verdicts ${options.base} -> ${options.head}: ${corpus.length} decisions (cases from ${options.cases}), ` +
      `${flips.length} changed decision, ${ruleOnly} changed rule only`,
  );
  const groups = new Map();
  for (const row of options.rules ? changed : flips) {
    const key = `${row.before.decision} ${row.before.ruleId ?? '-'} -> ${row.after.decision} ${row.after.ruleId ?? '-'}`;
    const list = groups.get(key) ?? [];
    list.push(row);
    groups.set(key, list);
  }
  for (const [key, rows] of [...groups].sort((left, right) => right[1].length - left[1].length)) {
    console.log(`\n${key} (${rows.length})`);
    for (const row of rows) console.log(`  [${row.worktree}] ${row.command}\n      ${row.after.reason}`);
  }
  if (options.json) writeFileSync(options.json, `${JSON.stringify(changed, null, 2)}\n`);
}

/** The benchmark corpus plus every case-table row (in `task-x` and in `main`), deduplicated. */
async function loadCorpus(revision) {
  const source = sourceOf(revision, 'cases', scratch);
  const casesDirectory = join(source, 'src/policy-cases');
  const files = readdirSync(casesDirectory).filter((name) => name.endsWith('.cases.ts'));
  const entry = join(scratch, 'cases-entry.ts');
  writeFileSync(
    entry,
    files
      .map((name, index) => `export * as t${index} from ${JSON.stringify(join(casesDirectory, name))};\n`)
      .join(''),
  );
  const outfile = join(scratch, 'cases.mjs');
  await bundle([entry], outfile);
  const tables = await import(pathToFileURL(outfile).href);
  const benchCorpus = await import(pathToFileURL(join(source, 'bench/policy-corpus.mjs')).href);
  const seen = new Set();
  const corpus = [];
  const add = (command, worktree) => {
    const key = `${worktree}\u0000${command}`;
    if (seen.has(key)) return;
    seen.add(key);
    corpus.push({ command, worktree });
  };
  for (const item of benchCorpus.corpus) add(item.command, item.worktree);
  for (const module of Object.values(tables)) {
    for (const table of Object.values(module)) {
      if (!Array.isArray(table)) continue;
      for (const row of table) {
        if (!Array.isArray(row) || typeof row[1] !== 'string') continue;
        add(row[1], 'task-x');
        add(row[1], 'main');
      }
    }
  }
  return corpus;
}
