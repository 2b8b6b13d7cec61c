#!/usr/bin/env node
// Committed launcher of the built CLI: npm links it at install time, so `npx orchestrator` in a
// fresh clone runs this package (never a registry package of the same name), and says what to do
// when the package is not built yet.
import { existsSync } from 'node:fs';

const entry = new URL('../dist/bin.js', import.meta.url);
if (!existsSync(entry)) {
  process.stderr.write(
    'error: @codex-orchestrator/adapter-cli is not built yet: run `npm run build` in the repository root (or `npm run demo`, which builds first).\n',
  );
  process.exit(2);
}
await import(entry.href);
