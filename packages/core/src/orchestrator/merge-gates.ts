/**
 * The gates a branch passes before the merge queue merges it: the review (when on) must approve
 * the branch's current head, then the approval hook (when set) must agree.
 */
import type { OrchestratorEventInput } from '../events.js';
import { errorMessage } from '../shared/error-message.js';
import type { MergeApprover } from '../types.js';
import { shortCommit } from './merge-result.js';
import type { RepositoryGit } from './repository-git.js';
import type { ReviewGate } from './review-gate.js';
import { formatReviewComments } from './review-verdict.js';

/** The branch being merged, as the gates see it. */
export interface GateInput {
  branch: string;
  branchCommit: string;
  worktree?: { name: string; path: string };
  /** Git in main (for the diff stat shown to the approver). */
  mainGit: RepositoryGit;
  reviewGate?: ReviewGate;
  approveMerge?: MergeApprover;
  taskId?: string;
  signal?: AbortSignal;
  emit: (event: OrchestratorEventInput) => void;
}

/** Runs the gates; returns the reason when the branch may not merge now, else undefined. */
export async function passMergeGates(input: GateInput): Promise<string | undefined> {
  const { branch, branchCommit, worktree, emit, signal } = input;
  const taskField = input.taskId === undefined ? {} : { taskId: input.taskId };
  let review: { verdict: 'approve' | 'request-changes'; summary: string } | undefined;
  if (input.reviewGate) {
    const verdict = await input.reviewGate.verdictFor(
      { branch, commit: branchCommit, ...(worktree ? { worktree: worktree.name, cwd: worktree.path } : {}) },
      { ...(signal ? { signal } : {}), emit },
    );
    review = { verdict: verdict.verdict, summary: verdict.summary };
    if (verdict.verdict !== 'approve') {
      const where = worktree ? `worktree ${worktree.name}` : `a worktree of ${branch}`;
      return (
        `the review requested changes on ${branch} (${shortCommit(branchCommit)})${verdict.cached ? ' and there are no new commits since' : ''}:\n` +
        `${verdict.summary}\n${formatReviewComments(verdict)}\n` +
        `Send these comments to codex in ${where} (codex exec "<the comments, what to fix, tests to run, commit>"), ` +
        'check that the fix is committed, then merge again; the new head is reviewed again.'
      );
    }
  }
  if (!input.approveMerge) return undefined;
  const where = worktree ? { worktree: worktree.name } : {};
  emit({ type: 'approval-start', branch, ...where, ...taskField });
  const started = performance.now();
  let approved = false;
  let error: string | undefined;
  try {
    const diffStat = (
      await input.mainGit.check(['diff', '--stat', `HEAD...${branchCommit}`], signal ? { signal } : {})
    ).trim();
    approved =
      (await input.approveMerge({
        branch,
        commit: branchCommit,
        worktree: worktree?.name ?? '',
        diffStat,
        ...(review ? { review } : {}),
        ...taskField,
        ...(signal ? { signal } : {}),
      })) === true;
  } catch (caught) {
    error = errorMessage(caught);
  }
  emit({
    type: 'approval-end',
    branch,
    ...where,
    approved,
    durationMs: Math.round(performance.now() - started),
    ...(error === undefined ? {} : { error }),
    ...taskField,
  });
  if (approved) return undefined;
  return (
    `the merge of ${branch} was not approved${error === undefined ? ' by the approver' : ` (the approval hook failed: ${error})`}. ` +
    'Leave it unmerged and mention it in your summary; do not retry it in this run.'
  );
}
