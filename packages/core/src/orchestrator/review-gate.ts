/**
 * The review step before a merge: collects a branch's diff against main and its latest test log,
 * asks the reviewer, emits review-start / review-end, and remembers the verdict per branch head
 * (a branch is reviewed again only after new commits).
 */
import { capText } from '../command/output-capture.js';
import type { OrchestratorEventInput } from '../events.js';
import { errorMessage } from '../shared/error-message.js';
import type { RepositoryGit } from './repository-git.js';
import type { Reviewer, ReviewRequest, ReviewVerdict } from './review-verdict.js';
import type { TestLogTracker } from './test-log-tracker.js';

/** Options of `createReviewGate`. */
export interface ReviewGateOptions {
  reviewer: Reviewer;
  /** Git in the main worktree (diffs are taken against its HEAD). */
  mainGit: RepositoryGit;
  testLogs?: TestLogTracker;
  /** The run's task, given to the reviewer for context. */
  task?: string;
  /** Cap of the diff given to the reviewer (head and tail kept). Default 48 KiB. */
  maxDiffBytes?: number;
  taskId?: string;
}

/** A branch head to review. */
export interface ReviewTarget {
  branch: string;
  commit: string;
  worktree?: string;
  cwd?: string;
}

/** A verdict and whether it was just made (false: remembered from an earlier review of this head). */
export interface GateVerdict extends ReviewVerdict {
  cached: boolean;
}

/** See `createReviewGate`. */
export interface ReviewGate {
  readonly mode: Reviewer['mode'];
  verdictFor(
    target: ReviewTarget,
    options: { signal?: AbortSignal; emit: (event: OrchestratorEventInput) => void },
  ): Promise<GateVerdict>;
}

/** Creates the review gate. */
export function createReviewGate(options: ReviewGateOptions): ReviewGate {
  const { reviewer, mainGit } = options;
  const maxDiffBytes = options.maxDiffBytes ?? 48 * 1024;
  const verdicts = new Map<string, ReviewVerdict>();
  const inFlight = new Map<string, Promise<ReviewVerdict>>();
  const taskField = options.taskId === undefined ? {} : { taskId: options.taskId };

  async function review(
    target: ReviewTarget,
    signal: AbortSignal | undefined,
    emit: (event: OrchestratorEventInput) => void,
  ): Promise<ReviewVerdict> {
    const where = {
      branch: target.branch,
      commit: target.commit,
      mode: reviewer.mode,
      ...(target.worktree === undefined ? {} : { worktree: target.worktree }),
      ...taskField,
    };
    emit({ type: 'review-start', ...where });
    const started = performance.now();
    let verdict: ReviewVerdict;
    let error: string | undefined;
    try {
      const gitOptions = signal ? { signal } : {};
      const [diffStat, diff] = await Promise.all([
        mainGit.check(['diff', '--stat', `HEAD...${target.commit}`], gitOptions),
        mainGit.check(['diff', `HEAD...${target.commit}`], gitOptions),
      ]);
      const testRun = target.worktree === undefined ? undefined : options.testLogs?.latest(target.worktree);
      const request: ReviewRequest = {
        branch: target.branch,
        commit: target.commit,
        diffStat: diffStat.trim(),
        diff: capText(diff, maxDiffBytes).text,
        ...(target.worktree === undefined ? {} : { worktree: target.worktree }),
        ...(target.cwd === undefined ? {} : { cwd: target.cwd }),
        ...(options.task === undefined ? {} : { task: options.task }),
        ...(testRun
          ? { testLog: `$ ${testRun.command}\n(exit code ${testRun.exitCode ?? 'none'})\n${testRun.output}` }
          : {}),
        ...taskField,
      };
      verdict = await reviewer.review(request, { ...(signal ? { signal } : {}), emit });
    } catch (caught) {
      if (signal?.aborted) throw caught;
      error = errorMessage(caught);
      verdict = {
        verdict: 'request-changes',
        summary: `The review could not be completed: ${error}`,
        comments: [],
      };
    }
    emit({
      type: 'review-end',
      ...where,
      verdict: verdict.verdict,
      summary: verdict.summary,
      comments: verdict.comments,
      durationMs: Math.round(performance.now() - started),
      ...(error === undefined ? {} : { error }),
    });
    // A failed review is not remembered: the next merge attempt reviews again.
    if (error === undefined) verdicts.set(`${target.branch}@${target.commit}`, verdict);
    return verdict;
  }

  return {
    mode: reviewer.mode,
    async verdictFor(target, { signal, emit }) {
      const key = `${target.branch}@${target.commit}`;
      const known = verdicts.get(key);
      if (known) return { ...known, cached: true };
      let pending = inFlight.get(key);
      if (!pending) {
        pending = review(target, signal, emit).finally(() => inFlight.delete(key));
        inFlight.set(key, pending);
      }
      return { ...(await pending), cached: false };
    },
  };
}
