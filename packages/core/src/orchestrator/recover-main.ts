/**
 * Recovery of main from the ledger, run under the writer lock at the start of every run, before
 * every merge and at the end of every run: clears git locks of dead processes, aborts a half
 * merge, finishes or undoes a merge an earlier process left unfinished (re-running its smoke test
 * when it was never tested), and returns main's good commit. Main only ever ends at a commit the
 * ledger calls good: a start commit found clean, or a merge whose smoke test passed.
 */
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { MainLedger, MainLedgerStore, MergeIntent } from '../durability/main-ledger.js';
import { clearStaleGitLocks } from '../durability/stale-git-locks.js';
import { OrchestratorError } from '../errors.js';
import type { OrchestratorEventInput } from '../events.js';
import { shortCommit } from './merge-result.js';
import type { RepositoryGit } from './repository-git.js';
import { runSmokeTest } from './run-smoke-test.js';
import { secureMain } from './secure-main.js';

/** When recovery runs: at start a clean HEAD that moved since the last run becomes the new good commit. */
export type RecoveryMoment = 'start' | 'before-merge' | 'end';

/** Options of `recoverMain`. */
export interface RecoverMainOptions {
  git: RepositoryGit;
  ledger: MainLedgerStore;
  moment: RecoveryMoment;
  emit: (event: OrchestratorEventInput) => void;
  taskField: { taskId?: string };
  smokeTestTimeoutMs?: number;
}

/** What recovery found and did. */
export interface MainRecovery {
  /** Main's good commit after recovery (HEAD is there). */
  good: string;
  /** One line per repair, for reports and the model. */
  repairs: string[];
  /** The ledger as written back. */
  ledger: MainLedger;
}

async function gitDirOf(git: RepositoryGit): Promise<string> {
  const dotGit = join(git.cwd, '.git');
  if ((await stat(dotGit).catch(() => undefined))?.isDirectory()) return dotGit;
  return (await git.check(['rev-parse', '--path-format=absolute', '--git-dir'])).trim();
}

async function parentsOf(git: RepositoryGit, commit: string): Promise<string[]> {
  const result = await git.run(['rev-list', '--parents', '-n', '1', commit]);
  return result.exitCode === 0 ? result.stdout.trim().split(' ').slice(1) : [];
}

/** Untracked files in main that the merged branch brought (left by a half checkout). */
async function removeHalfCheckout(git: RepositoryGit, intent: MergeIntent): Promise<number> {
  const untracked = (await git.run(['ls-files', '--others', '--exclude-standard', '-z'])).stdout
    .split('\0')
    .filter((path) => path !== '');
  if (untracked.length === 0) return 0;
  const ofBranch = new Set(
    (await git.run(['ls-tree', '-r', '-z', '--name-only', intent.branchCommit])).stdout.split('\0'),
  );
  const remove = untracked.filter((path) => ofBranch.has(path));
  for (let index = 0; index < remove.length; index += 500) {
    await git.check(['rm', '--cached', '-q', '--ignore-unmatch', '--', ...remove.slice(index, index + 500)]);
    await git.run(['clean', '-f', '-q', '--', ...remove.slice(index, index + 500)]);
  }
  return remove.length;
}

async function undoMerge(git: RepositoryGit, intent: MergeIntent, options: RecoverMainOptions, why: string) {
  const repairs: string[] = [];
  if (await git.mergeInProgress()) {
    const aborted = await git.run(['merge', '--abort']);
    repairs.push(
      aborted.exitCode === 0 ? 'aborted a half-finished merge' : 'a half-finished merge could not be aborted',
    );
  }
  const head = await git.head();
  // Main was verified clean under the lock before this merge started: whatever differs from the
  // commit before it was written by the merge (or its smoke test), so the orchestrator resets it.
  await git.check(['reset', '--hard', '--quiet', intent.mainBefore]);
  const removed = await removeHalfCheckout(git, intent);
  if (removed > 0)
    repairs.push(`removed ${removed} file(s) a half checkout of ${intent.branch} left in main`);
  if (head !== intent.mainBefore) {
    repairs.push(`moved main from ${shortCommit(head)} back to ${shortCommit(intent.mainBefore)} (${why})`);
    options.emit({
      type: 'main-restore',
      from: head,
      to: intent.mainBefore,
      reason: why,
      ...options.taskField,
    });
  } else if (repairs.length === 0)
    repairs.push(`cleaned the working tree of main after an interrupted merge of ${intent.branch}`);
  return repairs;
}

/**
 * Recovers main (see the file comment). Must run under the writer lock. Throws an
 * `OrchestratorError` (code `main-unsafe`) when main cannot be brought to a good commit without
 * touching a user's uncommitted edits.
 */
export async function recoverMain(options: RecoverMainOptions): Promise<MainRecovery> {
  const { git, emit, taskField } = options;
  const repairs: string[] = [];
  const gitDir = await gitDirOf(git);
  const cleared = await clearStaleGitLocks(gitDir, [git.cwd, gitDir]);
  if (cleared.length > 0)
    repairs.push(`removed git lock file(s) left by a killed git process: ${cleared.join(', ')}`);
  const ledger = await options.ledger.read();
  const intent = ledger.intent;
  if (intent !== undefined) {
    const head = await git.head();
    const merging = await git.mergeInProgress();
    const mergeCommit =
      intent.mergeCommit ??
      (!merging &&
      head !== intent.mainBefore &&
      (await parentsOf(git, head)).join(' ') === `${intent.mainBefore} ${intent.branchCommit}`
        ? head
        : undefined);
    const what = `the interrupted merge of ${intent.branch} (${shortCommit(intent.branchCommit)})`;
    if (mergeCommit !== undefined && head === mergeCommit && !merging && intent.phase !== 'failed') {
      let passed = intent.phase === 'tested' || intent.smokeTest === undefined;
      if (!passed && intent.smokeTest !== undefined) {
        const smoke = await runSmokeTest({
          command: intent.smokeTest,
          cwd: git.cwd,
          branch: intent.branch,
          mainCommit: mergeCommit,
          emit,
          taskField,
          ...(options.smokeTestTimeoutMs === undefined ? {} : { timeoutMs: options.smokeTestTimeoutMs }),
        });
        passed = smoke.passed;
        repairs.push(`re-ran the smoke test of ${what}: ${passed ? 'passed' : 'failed'}`);
      }
      if (passed) {
        ledger.good = mergeCommit;
        ledger.merges.push({
          branch: intent.branch,
          branchCommit: intent.branchCommit,
          mergeCommit,
          ...(intent.taskId === undefined ? {} : { taskId: intent.taskId }),
          at: new Date().toISOString(),
        });
        repairs.push(`kept ${what}: merge commit ${shortCommit(mergeCommit)} is tested`);
      } else {
        repairs.push(...(await undoMerge(git, intent, options, `the smoke test of ${what} failed`)));
        ledger.good = intent.mainBefore;
      }
    } else {
      repairs.push(...(await undoMerge(git, intent, options, `${what} never finished`)));
      ledger.good = intent.mainBefore;
    }
    delete ledger.intent;
    await options.ledger.write(ledger);
  }
  if (await git.mergeInProgress()) {
    // A merge nobody recorded (not the queue's): abort it, keeping main's commit.
    await git.run(['merge', '--abort']);
    repairs.push('aborted a merge in progress in main that the merge queue did not start');
  }
  if (options.moment === 'start') await assertMainClean(git, taskField);
  const head = await git.head();
  if (ledger.good === undefined || (options.moment === 'start' && head !== ledger.good)) {
    // Between runs only the user moves main: a clean HEAD found at the start is theirs, and good.
    ledger.good = head;
    await options.ledger.write(ledger);
  }
  const good = ledger.good ?? head;
  if (head !== good) {
    repairs.push(
      ...(await secureMain(git, good, {
        emit,
        taskField,
        reason: 'main changed outside the merge queue',
        stash: false,
      })),
    );
  }
  return { good, repairs, ledger };
}

/** Throws when main has uncommitted changes (a user's edits are never moved without asking). */
export async function assertMainClean(git: RepositoryGit, taskField: { taskId?: string }): Promise<void> {
  const dirty = await git.status();
  if (dirty.length === 0) return;
  throw new OrchestratorError(
    `main (${git.cwd}) has uncommitted changes: ${dirty.slice(0, 5).join('; ')}${dirty.length > 5 ? '; ...' : ''}. ` +
      'Commit or stash them yourself, then start the run again (the orchestrator never moves your edits).',
    { code: 'main-dirty', kind: 'user', ...taskField },
  );
}
