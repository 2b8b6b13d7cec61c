#!/usr/bin/env node
// Committed launcher of the built policy CLI: npm links it at install time, before dist exists.
import { existsSync } from 'node:fs';

const entry = new URL('../dist/cli.js', import.meta.url);
if (!existsSync(entry)) {
  process.stderr.write(
    'error: @codex-orchestrator/policy is not built yet: run `npm run build` in the repository root.\n',
  );
  process.exit(2);
}
await import(entry.href);
