// Runs every benchmark of @codex-orchestrator/core, one after the other, and prints their figures.
// Add a benchmark by appending its file to the list. Arguments pick benchmarks by file name. `.ts` files run with tsx (sibling packages
// resolve to their sources through bench/tsconfig.json), `.mjs` files with node.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const benchmarks = [
  'run-repo-command.bench.ts',
  'worktree-create.bench.ts',
  'dispatcher.bench.ts',
  'orchestrator-parallel.bench.ts',
  'orchestrator-overhead.bench.ts',
  'orchestrator-context.bench.ts',
  'merge-records.bench.ts',
  'service-api.bench.ts',
  'sandbox.bench.ts',
];

const here = dirname(fileURLToPath(import.meta.url));
// `npm run bench -- merge-records sandbox`: only the benchmarks whose file name contains a word.
const only = process.argv.slice(2);
let failed = 0;
for (const file of benchmarks) {
  if (only.length > 0 && !only.some((word) => file.includes(word))) continue;
  const path = join(here, file);
  if (!existsSync(path)) continue;
  console.log(`\n# ${file}`);
  const command = file.endsWith('.ts')
    ? ['npx', ['tsx', '--tsconfig', join(here, 'tsconfig.json'), path]]
    : [process.execPath, [path]];
  const result = spawnSync(command[0], command[1], { stdio: 'inherit', cwd: join(here, '..') });
  if (result.status !== 0) {
    failed += 1;
    console.log(`${file} failed (exit ${result.status ?? result.signal})`);
  }
}
process.exitCode = failed > 0 ? 1 : 0;
