#!/usr/bin/env node
// prepack guard: refuses to pack a workspace package whose built entry points (every ./dist/ path
// of its exports map) are missing, so an unbuilt package can never be packed or published. Runs in
// the package folder. (No mtime comparison: turbo's cache restores dist/ with old and new times.)
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const packageDir = process.cwd();
const manifest = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8'));
const entries = new Set();
const collect = (value) => {
  if (typeof value === 'string' && value.startsWith('./dist/')) entries.add(value);
  else if (value && typeof value === 'object') for (const item of Object.values(value)) collect(item);
};
collect(manifest.exports);
collect(manifest.main);
const missing = [...entries].filter((entry) => !existsSync(join(packageDir, entry)));
if (missing.length > 0) {
  process.stderr.write(
    `error: ${manifest.name} is not built (${missing.join(', ')} missing): run \`npm run build\` before packing.\n`,
  );
  process.exit(1);
}
