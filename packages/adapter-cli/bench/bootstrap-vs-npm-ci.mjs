#!/usr/bin/env node
// Benchmark: time to a ready worktree with the orchestrator's bootstrap (reuse of main's
// node_modules, .worktreeinclude copies, ports) against `npm ci` in the same kind of worktree,
// on a real third-party package (test/fixtures/minimist-1.2.8: 127 packages) and on this
// repository. The goal of issue 14: bootstrap <= 10% of npm ci. Both sides run in one process
// on the same machine, one after the other; the figure that matters is the ratio of medians.
// Usage: npm run build && node bench/bootstrap-vs-npm-ci.mjs   (RUNS=3; TARGETS=fixture,repo)
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const core = await import('@codex-orchestrator/core').catch(() => {
  console.error('error: @codex-orchestrator/core is not built: run `npm run build` first.');
  process.exit(2);
});
const runs = Number(process.env.RUNS ?? 3);
const targets = (process.env.TARGETS ?? 'fixture,repo').split(',');
const fixture = fileURLToPath(new URL('../test/fixtures/minimist-1.2.8', import.meta.url));
const repositoryRoot = fileURLToPath(new URL('../../..', import.meta.url));
const identity = {
  GIT_AUTHOR_NAME: 'bench',
  GIT_AUTHOR_EMAIL: 'bench@codex-orchestrator.invalid',
  GIT_COMMITTER_NAME: 'bench',
  GIT_COMMITTER_EMAIL: 'bench@codex-orchestrator.invalid',
};
const sh = (file, args, cwd) =>
  execFileSync(file, args, { cwd, env: { ...process.env, ...identity }, stdio: ['ignore', 'pipe', 'pipe'] });
const npmCi = (cwd) =>
  sh('npm', ['ci', '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts'], cwd);

/** A base dir whose main/ is the target as a git repository with node_modules installed. */
function prepare(target) {
  const baseDir = realpathSync(mkdtempSync(join(tmpdir(), `bench-bootstrap-${target}-`)));
  const main = join(baseDir, 'main');
  if (target === 'fixture') {
    cpSync(fixture, main, { recursive: true });
    sh('git', ['init', '--quiet', '--initial-branch=main'], main);
    sh('git', ['add', '.'], main);
    sh('git', ['commit', '--quiet', '-m', 'fixture'], main);
    npmCi(main);
  } else {
    // This repository at its HEAD; its installed node_modules are the ones of the checkout.
    sh('git', ['clone', '--quiet', '--no-hardlinks', repositoryRoot, main], baseDir);
    cpSync(join(repositoryRoot, 'node_modules'), join(main, 'node_modules'), {
      recursive: true,
      verbatimSymlinks: true,
    });
    for (const workspace of [
      'packages/adapter-cli',
      'packages/core',
      'packages/policy',
      'packages/adapter-telegram',
    ]) {
      const nested = join(repositoryRoot, workspace, 'node_modules');
      if (existsSync(nested))
        cpSync(nested, join(main, workspace, 'node_modules'), { recursive: true, verbatimSymlinks: true });
    }
  }
  return { baseDir, main };
}

function time(action) {
  const started = process.hrtime.bigint();
  action();
  return Number(process.hrtime.bigint() - started) / 1e6;
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const range = (values) => `${Math.min(...values).toFixed(0)}-${Math.max(...values).toFixed(0)}`;

const rows = [];
for (const target of targets) {
  const { baseDir, main } = prepare(target);
  try {
    const bootstrap = [];
    const install = [];
    for (let run = 0; run < runs; run += 1) {
      const worktree = join(baseDir, `task-bootstrap-${run}`);
      sh('git', ['worktree', 'add', '--quiet', '-b', `task-bootstrap-${run}`, worktree], main);
      const started = process.hrtime.bigint();
      const result = await core.bootstrapWorktree({ mainPath: main, worktreePath: worktree });
      bootstrap.push(Number(process.hrtime.bigint() - started) / 1e6);
      if (result.dependencies.paths.length === 0)
        throw new Error(`bootstrap reused nothing: ${result.dependencies.skipped}`);
      const other = join(baseDir, `task-npm-ci-${run}`);
      sh('git', ['worktree', 'add', '--quiet', '-b', `task-npm-ci-${run}`, other], main);
      install.push(time(() => npmCi(other)));
      rows.push({
        target,
        run,
        bootstrapMs: bootstrap.at(-1),
        npmCiMs: install.at(-1),
        method: result.dependencies.method,
      });
    }
    const ratio = median(bootstrap) / median(install);
    console.log(
      `${target}: bootstrap median ${median(bootstrap).toFixed(0)} ms (range ${range(bootstrap)}), npm ci median ${median(install).toFixed(0)} ms (range ${range(install)}), ratio ${(ratio * 100).toFixed(1)}% (goal <= 10%), ${runs} runs, load ${loadavg()[0].toFixed(2)}`,
    );
    if (ratio > 0.1) process.exitCode = 1;
  } finally {
    rmSync(baseDir, { recursive: true, force: true });
  }
}
if (process.env.BENCH_JSON) console.log(JSON.stringify(rows));
