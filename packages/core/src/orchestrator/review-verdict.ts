/**
 * The reviewer's verdict on one branch: the zod schema the review agent answers with, the
 * normalised verdict the merge queue uses, and the `Reviewer` contract both review modes implement.
 */
import { z } from 'zod';
import type { OrchestratorEventInput, ReviewComment } from '../events.js';

/**
 * The review agent's output type. Optional fields are `nullable` (not optional) because strict
 * structured outputs require every property.
 */
export const reviewVerdictSchema = z.object({
  verdict: z.enum(['approve', 'request-changes']),
  summary: z
    .string()
    .describe('Two or three sentences: what the change does and whether it is ready to merge.'),
  comments: z
    .array(
      z.object({
        file: z.string().nullable().describe('Path relative to the repository root, or null.'),
        line: z.number().int().nullable().describe('Line in the new version of the file, or null.'),
        comment: z.string().describe('What is wrong and how to fix it.'),
      }),
    )
    .describe('Concrete changes required before merging (empty when approving).'),
});

/** What the review agent returns. */
export type ReviewVerdictOutput = z.infer<typeof reviewVerdictSchema>;

/** A review verdict as the merge queue, events and the report see it. */
export interface ReviewVerdict {
  verdict: 'approve' | 'request-changes';
  summary: string;
  comments: ReviewComment[];
}

/** What a reviewer is given about one branch. */
export interface ReviewRequest {
  branch: string;
  /** Worktree the branch is checked out in, when it is. */
  worktree?: string;
  /** Absolute path of that worktree. */
  cwd?: string;
  /** Head commit of the branch. */
  commit: string;
  /** The task of the run, for context. */
  task?: string;
  /** `git diff --stat` against main. */
  diffStat: string;
  /** `git diff main...<branch>`, cut to its head and tail when long. */
  diff: string;
  /** Output of the latest test run in the worktree, when one is known. */
  testLog?: string;
  taskId?: string;
}

/**
 * Reviews a branch. Built-ins: `createAgentReviewer` (a second Agents SDK agent with a zod output
 * type) and `createCodexReviewer` (codex, read-only, in the branch's worktree).
 */
export interface Reviewer {
  readonly mode: 'agent' | 'codex';
  review(
    request: ReviewRequest,
    options: { signal?: AbortSignal; emit?: (event: OrchestratorEventInput) => void },
  ): Promise<ReviewVerdict>;
}

/** Turns the agent's output into a verdict (drops null fields). */
export function normalizeReviewVerdict(output: ReviewVerdictOutput): ReviewVerdict {
  return {
    verdict: output.verdict,
    summary: output.summary.trim(),
    comments: output.comments.map((entry) => ({
      ...(entry.file ? { file: entry.file } : {}),
      ...(entry.line !== null && entry.line !== undefined ? { line: entry.line } : {}),
      comment: entry.comment,
    })),
  };
}

/** Renders a verdict's comments as lines for the orchestrator model. */
export function formatReviewComments(verdict: ReviewVerdict): string {
  if (verdict.comments.length === 0) return '(no comments)';
  return verdict.comments
    .map((entry) => {
      const where = entry.file ? `${entry.file}${entry.line !== undefined ? `:${entry.line}` : ''}: ` : '';
      return `- ${where}${entry.comment}`;
    })
    .join('\n');
}
