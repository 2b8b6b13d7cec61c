// Runs the benchmarks of @codex-orchestrator/adapter-github (with tsx; core must be built).
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const result = spawnSync(
  'npx',
  ['tsx', '--tsconfig', join(here, 'tsconfig.json'), join(here, 'github-tracker.bench.ts')],
  {
    stdio: 'inherit',
    cwd: join(here, '..'),
  },
);
process.exitCode = result.status ?? 1;
