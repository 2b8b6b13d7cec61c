/** The files each task branch of a run changed, according to git. */

import type { OrchestratorReport } from './report-schema.js';
import type { RepositoryGit } from './repository-git.js';

/**
 * `git diff --name-only <main's start commit>...<branch>` for every branch of the report's
 * worktrees (a branch that is gone, or a run that never started, gives no entry). Never throws.
 */
export async function filesChangedPerBranch(
  git: RepositoryGit,
  report: Pick<OrchestratorReport, 'worktrees' | 'main'>,
): Promise<NonNullable<OrchestratorReport['branchFiles']>> {
  const entries: NonNullable<OrchestratorReport['branchFiles']> = [];
  if (report.main.startCommit === '') return entries;
  const seen = new Set<string>();
  for (const worktree of report.worktrees) {
    const branch = worktree.branch;
    if (branch === undefined || seen.has(branch)) continue;
    seen.add(branch);
    const result = await git
      .run(['diff', '--name-only', '-z', `${report.main.startCommit}...refs/heads/${branch}`, '--'])
      .catch(() => undefined);
    if (result === undefined || result.exitCode !== 0) continue;
    const files = result.stdout.split('\0').filter((file) => file !== '');
    entries.push({ branch, worktree: worktree.name, files });
  }
  return entries;
}
