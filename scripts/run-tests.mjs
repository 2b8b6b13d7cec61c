#!/usr/bin/env node
// `npm test`: runs every workspace's tests one package at a time (turbo --continue: a failing
// workspace does not hide whether the others pass), streams their output, and ends with ONE line
// for the whole run, `N passed, N failed, N skipped`, summed from each vitest "Tests" line. A
// workspace whose test task failed without a failing test (a test file that does not load, a
// crash) counts as one failure. Exit code: 0 only when every workspace passed. Extra arguments go to turbo
// (`npm test -- --filter=@codex-orchestrator/core`).
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { summarizeTestOutput } from './test-summary.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const turbo = join(root, 'node_modules', '.bin', process.platform === 'win32' ? 'turbo.cmd' : 'turbo');
if (!existsSync(turbo)) {
  process.stderr.write(`error: dependencies are not installed in ${root}: run \`npm ci\` first.\n`);
  process.exit(2);
}
const child = spawn(turbo, ['run', 'test', '--concurrency=1', '--continue', ...process.argv.slice(2)], {
  cwd: root,
  stdio: ['ignore', 'pipe', 'pipe'],
  env: { ...process.env, TURBO_TELEMETRY_DISABLED: '1', DO_NOT_TRACK: '1', TURBO_NO_UPDATE_NOTIFIER: '1' },
});
const lines = [];
for (const stream of [child.stdout, child.stderr]) {
  const target = stream === child.stdout ? process.stdout : process.stderr;
  createInterface({ input: stream }).on('line', (line) => {
    lines.push(line);
    target.write(`${line}\n`);
  });
}
const code = await new Promise((resolve) => {
  child.on('error', () => resolve(2));
  child.on('close', (status) => resolve(status ?? 1));
});
// Let the line readers drain before the closing line.
await new Promise((resolve) => setImmediate(resolve));
const summary = summarizeTestOutput(lines, code);
if (summary.crashed.length > 0) {
  process.stdout.write(
    `Workspaces that failed without a failing test (a test file did not load, or the run crashed): ${summary.crashed.join(', ')}\n`,
  );
}
if (summary.failedWorkspaces.length > 0) {
  process.stdout.write(`Failing workspaces: ${summary.failedWorkspaces.join(', ')}\n`);
}
process.stdout.write(`${summary.passed} passed, ${summary.failed} failed, ${summary.skipped} skipped\n`);
process.exit(code === 0 && summary.failed === 0 ? 0 : 1);
