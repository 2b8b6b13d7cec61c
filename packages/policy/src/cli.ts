#!/usr/bin/env node
import { runPolicyCli } from './cli/run-policy-cli.js';

process.exitCode = await runPolicyCli(process.argv.slice(2), {
  stdin: process.stdin,
  stdout: process.stdout,
  stderr: process.stderr,
});
