#!/usr/bin/env node
import { fstatSync } from 'node:fs';
import { runCli } from './run-cli.js';

/** True when stdin is a pipe or a file (a task piped in), not a terminal or /dev/null. */
function stdinIsPiped(): boolean {
  try {
    const stats = fstatSync(0);
    return stats.isFIFO() || stats.isFile();
  } catch {
    return false;
  }
}

const code = await runCli(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  stdinIsPiped: stdinIsPiped(),
  handleSignals: true,
});
process.exitCode = code;
// A leftover handle (a keep-alive socket, a stray child) must not keep a finished command alive.
setTimeout(() => process.exit(code), 2000).unref();
