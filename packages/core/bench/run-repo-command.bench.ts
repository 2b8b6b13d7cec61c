/**
 * run_repo_command vs raw execa of the same command (`git status` in a small repo): the cost of
 * the chokepoint (worktree check, policy, bash, no-push environment, capped capture, audit line).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { createCommandRunner } from '../src/command/command-runner.js';
import { noPushEnv } from '../src/exec/no-push-env.js';
import { createTestRepository } from '../src/worktree/repository.fixture.js';
import { measureInterleaved, report } from './measure.js';

const runs = Number(process.env.BENCH_RUNS ?? 60);
const repository = await createTestRepository({ files: 50 });
const scratch = await mkdtemp(join(tmpdir(), 'bench-run-repo-command-'));
try {
  const runner = createCommandRunner({
    baseDir: repository.baseDir,
    auditLog: join(scratch, 'run_repo_command.log'),
    trace: false,
    dryRun: false,
  });
  const cwd = repository.mainPath;
  const env = noPushEnv();
  const durations = await measureInterleaved(
    {
      'raw execa git status': () => execa('git', ['status'], { cwd }),
      'raw execa bash -c "git status"': () => execa('bash', ['-c', 'git status'], { cwd }),
      'raw execa git status, noPushEnv env': () => execa('git', ['status'], { cwd, env, extendEnv: false }),
      'run_repo_command git status': async () => {
        const result = await runner.run({ worktree: 'main', command: 'git status' });
        if (result.status !== 'ok')
          throw new Error(`run_repo_command: ${result.status} ${result.reason ?? ''}`);
      },
    },
    { runs, warmup: 5 },
  );
  report(
    `run_repo_command vs raw execa, git status in a small repo (${runs} interleaved runs each)`,
    durations,
    {
      baseline: 'raw execa git status',
      subject: 'run_repo_command git status',
      target: 1.1,
    },
  );
} finally {
  await repository.cleanup();
  await rm(scratch, { recursive: true, force: true });
}
