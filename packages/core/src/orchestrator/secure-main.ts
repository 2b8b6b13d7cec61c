/**
 * Puts main in a known good state: no merge in progress, a clean working tree, HEAD at the
 * given commit. Nothing is lost on the way: commits main held that are not in the target get a
 * rescue branch, uncommitted changes are stashed (or, with `stash: false`, left alone and reported). Used by the merge queue after a conflict or a
 * failed smoke test, and by the end-of-run guard.
 */

import { OrchestratorError } from '../errors.js';
import type { OrchestratorEventInput } from '../events.js';
import type { RepositoryGit } from './repository-git.js';

/** Options of `secureMain`. */
export interface SecureMainOptions {
  emit: (event: OrchestratorEventInput) => void;
  /** Why main is being secured (for events and messages). */
  reason: string;
  /** A HEAD the caller knows about (e.g. its own merge being undone): no rescue branch for it. */
  expectedHead?: string;
  taskField?: { taskId?: string };
  /**
   * False: uncommitted changes in main are never stashed; finding any (outside a merge in
   * progress) throws `main-unsafe` and leaves them where they are. Default true (the merge queue,
   * undoing its own merge after main was verified clean).
   */
  stash?: boolean;
}

/**
 * Secures main at `target` and returns what had to be done (empty when main was already fine).
 * Throws an `OrchestratorError` (code `main-unsafe`) when main cannot be verified clean afterwards.
 */
export async function secureMain(
  git: RepositoryGit,
  target: string,
  options: SecureMainOptions,
): Promise<string[]> {
  const repairs: string[] = [];
  const short = (commit: string) => commit.slice(0, 10);
  const [merging, currentHead, changes] = await Promise.all([
    git.mergeInProgress(),
    git.head(),
    git.status(),
  ]);
  if (!merging && currentHead === target && changes.length === 0) return repairs;
  if (merging) {
    const aborted = await git.run(['merge', '--abort']);
    repairs.push(
      aborted.exitCode === 0
        ? 'aborted a merge in progress'
        : 'a merge in progress could not be aborted; reset instead',
    );
  }
  let head = await git.head();
  const dirty = (await git.status()).length > 0;
  if (dirty && options.stash === false && !(await git.mergeInProgress())) {
    throw new OrchestratorError(
      `main (${git.cwd}) has uncommitted changes, left alone (${options.reason}); HEAD is ${short(head)}, expected ${short(target)}. ` +
        'Commit or stash them yourself, then run again.',
      { code: 'main-unsafe' },
    );
  }
  if (dirty && head === target && !(await git.mergeInProgress())) {
    const stashed = await git.run([
      'stash',
      'push',
      '--include-untracked',
      '-m',
      `codex-orchestrator: uncommitted changes found in main (${options.reason})`,
    ]);
    if (stashed.exitCode === 0)
      repairs.push('stashed uncommitted changes found in main (see `git stash list`)');
  }
  let rescueBranch: string | undefined;
  if (head !== target) {
    if (head !== options.expectedHead && !(await git.isAncestor(head, target))) {
      rescueBranch = `orchestrator-rescue/${new Date().toISOString().replace(/[-:.]/g, '').replace('T', '-').slice(0, 15)}-${short(head)}`;
      await git.check(['branch', rescueBranch, head]);
      repairs.push(`kept unexpected commits of main on branch ${rescueBranch}`);
    }
    if ((await git.status()).length > 0 && !(await git.mergeInProgress())) {
      const stashed = await git.run([
        'stash',
        'push',
        '--include-untracked',
        '-m',
        `codex-orchestrator: ${options.reason}`,
      ]);
      if (stashed.exitCode === 0)
        repairs.push('stashed uncommitted changes found in main (see `git stash list`)');
    }
  }
  head = await git.head();
  if (head !== target || (await git.mergeInProgress()) || (await git.status()).length > 0) {
    await git.check(['reset', '--hard', '--quiet', target]);
    if (head !== target) {
      repairs.push(`moved main from ${short(head)} back to ${short(target)}`);
      options.emit({
        type: 'main-restore',
        from: head,
        to: target,
        reason: options.reason,
        ...(rescueBranch === undefined ? {} : { rescueBranch }),
        ...options.taskField,
      });
    } else {
      repairs.push('reset the working tree of main to its HEAD');
    }
  }
  const verifiedHead = await git.head();
  const leftovers = await git.status();
  if (verifiedHead !== target || (await git.mergeInProgress()) || leftovers.length > 0) {
    throw new OrchestratorError(
      `main could not be secured at ${short(target)} (${options.reason}): HEAD is ${short(verifiedHead)}, ` +
        `${leftovers.length} path(s) not clean${leftovers.length > 0 ? `: ${leftovers.slice(0, 5).join(', ')}` : ''}. Inspect ${git.cwd} by hand.`,
      { code: 'main-unsafe' },
    );
  }
  return repairs;
}
