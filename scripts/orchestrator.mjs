#!/usr/bin/env node
// Runs the `orchestrator` CLI from a clone of this repository: `npm run orchestrator -- "<task>"`,
// `yarn orchestrator "<task>"`, `npm run dispatcher`, `npm run demo`.
// It first builds the packages the CLI needs (turbo caches, so this is quick once built), quietly
// unless the build fails, then runs the built CLI in this process.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const turbo = join(root, 'node_modules', '.bin', process.platform === 'win32' ? 'turbo.cmd' : 'turbo');

if (!existsSync(turbo)) {
  process.stderr.write(
    `error: dependencies are not installed in ${root}: run \`npm ci\` (or \`npm install\`) first.\n`,
  );
  process.exit(2);
}

const output = [];
const build = spawn(
  turbo,
  [
    'run',
    'build',
    '--filter=@codex-orchestrator/adapter-cli...',
    '--output-logs=errors-only',
    '--log-prefix=none',
  ],
  {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, TURBO_TELEMETRY_DISABLED: '1', DO_NOT_TRACK: '1', TURBO_NO_UPDATE_NOTIFIER: '1' },
  },
);
build.stdout.on('data', (chunk) => output.push(chunk));
build.stderr.on('data', (chunk) => output.push(chunk));
// Say something when the build is not a cache hit (a first run builds for a minute or more), then
// show it is still going every 10 s.
const buildStarted = Date.now();
let progress;
const notice = setTimeout(() => {
  process.stderr.write('Building the codex-orchestrator packages (first run: about a minute)…\n');
  progress = setInterval(() => {
    const seconds = Math.round((Date.now() - buildStarted) / 1000);
    process.stderr.write(`  still building, ${seconds} s\n`);
  }, 10_000);
}, 1500);
const status = await new Promise((resolve) => {
  build.on('error', (error) => resolve(error));
  build.on('close', (code) => resolve(code));
});
clearTimeout(notice);
clearInterval(progress);
if (status !== 0) {
  process.stderr.write(Buffer.concat(output).toString('utf8'));
  const reason = status instanceof Error ? status.message : `exit code ${status}`;
  process.stderr.write(`error: building the packages failed (${reason}); the output is above.\n`);
  process.exit(2);
}

// npm and yarn run scripts in the repository root; relative paths given by the user are meant
// relative to where they typed the command.
// biome-ignore lint/suspicious/noUndeclaredEnvVars: set by npm and yarn when they run a script; not a build input
const initialDirectory = process.env.INIT_CWD;
if (initialDirectory && existsSync(initialDirectory)) process.chdir(initialDirectory);
await import(pathToFileURL(join(root, 'packages', 'adapter-cli', 'dist', 'bin.js')).href);
