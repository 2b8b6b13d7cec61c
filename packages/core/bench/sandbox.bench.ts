/**
 * What the sandbox adds to one command: `git status` and a small `node --test` run, each started
 * the way run_repo_command starts it, unconfined and inside bubblewrap (same environment and
 * capture), interleaved. Goal: at most 15 ms added per command (median).
 *
 * A third variant, bubblewrap with its namespaces, a read-only root, `/dev` and `/proc` but none of our mounts,
 * splits the cost into what bubblewrap itself costs here (process and namespace creation,
 * which grow with the machine's load) and what our layout adds on top. Run alone:
 *   cd packages/core && npx tsx --tsconfig bench/tsconfig.json bench/sandbox.bench.ts
 * (BENCH_RUNS=N for more rounds; the load average is printed with the figures).
 */

import { writeFile } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { createCommandEnv } from '../src/command/command-env.js';
import { runShellCommand } from '../src/command/run-shell-command.js';
import { createSandbox } from '../src/sandbox/create-sandbox.js';
import { sandboxEnv } from '../src/sandbox/sandbox-env.js';
import { createTestRepository } from '../src/worktree/repository.fixture.js';
import { measureInterleaved, median } from './measure.js';

const runs = Number(process.env.BENCH_RUNS ?? 40);
const goalMs = 15;
const repository = await createTestRepository({ files: 50 });
try {
  const cwd = repository.mainPath;
  await writeFile(
    join(cwd, 'small.test.mjs'),
    "import { test } from 'node:test';\nimport assert from 'node:assert';\ntest('adds', () => assert.strictEqual(1 + 1, 2));\n",
  );
  // The same allowlisted environment both ways (the runner's own NODE_OPTIONS, e.g. tsx's loader,
  // would otherwise slow the plain node runs only).
  const env = sandboxEnv(createCommandEnv(), [], {});
  const sandbox = createSandbox();
  await sandbox.check();
  const probe = await sandbox.confine({ argv: ['true'], worktree: cwd, git: 'read', env });
  const bwrap = probe.argv[0] as string;
  const bare = [
    '--unshare-all',
    '--die-with-parent',
    '--ro-bind',
    '/',
    '/',
    '--dev',
    '/dev',
    '--proc',
    '/proc',
  ];
  bare.push('--chdir', cwd, '--');
  const run = async (argv: string[], mode: 'plain' | 'bare' | 'confined') => {
    const command =
      mode === 'confined'
        ? await sandbox.confine({ argv, worktree: cwd, git: 'read', readable: [repository.baseDir], env })
        : mode === 'bare'
          ? { argv: [bwrap, ...bare, ...argv], env, cwd, infoFd: false }
          : { argv, env, cwd, infoFd: false };
    const outcome = await runShellCommand({
      command: argv.join(' '),
      argv: command.argv,
      cwd: command.cwd,
      env: command.env,
      infoFd: command.infoFd,
      timeoutMs: 60_000,
      killGraceMs: 1000,
      maxOutputBytes: 16 * 1024,
    });
    if (outcome.exitCode !== 0) throw new Error(`${argv.join(' ')} failed: ${outcome.stderr.text}`);
  };
  const gitStatus = ['git', 'status'];
  const nodeTest = [process.execPath, '--test', 'small.test.mjs'];
  const durations = await measureInterleaved(
    {
      'git status': () => run(gitStatus, 'plain'),
      'git status, bare bwrap': () => run(gitStatus, 'bare'),
      'git status, sandboxed': () => run(gitStatus, 'confined'),
      'node --test': () => run(nodeTest, 'plain'),
      'node --test, bare bwrap': () => run(nodeTest, 'bare'),
      'node --test, sandboxed': () => run(nodeTest, 'confined'),
    },
    { runs, warmup: 3 },
  );
  const load = loadavg()
    .map((value) => value.toFixed(1))
    .join(' ');
  console.log(`sandbox cost per command (${runs} interleaved runs each; median, range in ms; load ${load})`);
  for (const [plain, bareName, confined] of [
    ['git status', 'git status, bare bwrap', 'git status, sandboxed'],
    ['node --test', 'node --test, bare bwrap', 'node --test, sandboxed'],
  ] as const) {
    const base = durations[plain] ?? [];
    const bareRuns = durations[bareName] ?? [];
    const boxed = durations[confined] ?? [];
    const added = median(boxed) - median(base);
    const range = (values: number[]) => `${Math.min(...values).toFixed(1)}-${Math.max(...values).toFixed(1)}`;
    console.log(
      `  ${plain}: ${median(base).toFixed(1)} ms (${range(base)}) -> sandboxed ${median(boxed).toFixed(1)} ms (${range(boxed)}); ` +
        `added ${added.toFixed(1)} ms, ratio ${(median(boxed) / median(base)).toFixed(2)} ` +
        `(goal <= ${goalMs} ms added: ${added <= goalMs ? 'met' : 'missed'})`,
    );
    console.log(
      `    of which bubblewrap alone (namespaces, read-only root, /dev, /proc): ${median(bareRuns).toFixed(1)} ms (${range(bareRuns)}), ` +
        `added ${(median(bareRuns) - median(base)).toFixed(1)} ms; our layout on top: ${(median(boxed) - median(bareRuns)).toFixed(1)} ms`,
    );
  }
} finally {
  await repository.cleanup();
}
