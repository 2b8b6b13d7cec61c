/**
 * The local merge queue: the only way work reaches main. A `CommandHandler` for `git merge` sent
 * to the main worktree, plus the state the end-of-run guard needs (start commit, last merged and
 * tested commit). What the code guarantees, whatever the model asks:
 * - one merge at a time per repository: runs of this process share one queue, and the writer
 *   lock (`withWriterLock`) keeps other processes out while main is checked, merged and tested;
 * - every merge is recorded durably before it starts and at each step (`main-ledger.ts`), so a
 *   restart finishes or undoes it (`recoverMain`); main is checked under the lock right before the
 *   merge, after the review, and the branch must still be at the reviewed commit;
 * - only existing task branches, with every change committed in their worktree;
 * - a branch already in main is a no-op ("already merged"), so a resumed run never merges twice;
 * - review (when on) must approve the branch's current head, and the approval hook must agree;
 * - `--no-ff` merge of the reviewed commit; a conflict is aborted at once and main verified clean;
 * - the smoke test runs after each merge; on failure main goes back to its pre-merge commit.
 */
import { join, resolve } from 'node:path';
import { createMainLedgerStore, type MainLedgerStore, type MergeIntent } from '../durability/main-ledger.js';
import { repositoryStateDir, withWriterLock } from '../durability/repository-state.js';
import type { MergeOutcome, OrchestratorEventInput } from '../events.js';
import type { Sandbox } from '../sandbox/create-sandbox.js';
import type { CommandHandler, MergeApprover, RunRepoCommandResult } from '../types.js';
import { passMergeGates } from './merge-gates.js';
import { checkMergePreconditions } from './merge-preconditions.js';
import { createMergeQueueHandler } from './merge-queue-handler.js';
import { mergeResult, shortCommit } from './merge-result.js';
import { recoverMain } from './recover-main.js';
import { createRepositoryGit, type RepositoryGit } from './repository-git.js';
import type { ReviewGate } from './review-gate.js';
import { runSmokeTest } from './run-smoke-test.js';
import { secureMain } from './secure-main.js';
import { createSemaphore, type Semaphore } from './semaphore.js';

/** Options of `createMergeQueue`. */
export interface MergeQueueOptions {
  /** Absolute (real) path of the folder holding the worktrees. */
  baseDir: string;
  /** Directory name of the main worktree (default `main`). */
  mainWorktree?: string;
  /** Which branches may be merged (default `task-<name>`). */
  taskBranchPattern?: RegExp;
  /** Review before each merge (absent: review off). */
  reviewGate?: ReviewGate;
  /** Asked before each merge; `false` keeps the branch unmerged. */
  approveMerge?: MergeApprover;
  /** Shell command run in main after each merge (e.g. `npm test`); failure puts main back. */
  smokeTest?: string;
  /** Limit of the smoke test (default 10 minutes). */
  smokeTestTimeoutMs?: number;
  taskId?: string;
  /** The sandbox the smoke test runs in (default: a new one, on). */
  sandbox?: Sandbox;
  /** Folder of the repository's durable state (default `<baseDir>/.codex-orchestrator`). */
  stateDir?: string;
  /**
   * @internal Benchmarks only: false keeps the ledger in memory (no files, no fsync) to measure
   * what the durable records cost. Never turn it off in real runs: a crash then loses the intent.
   */
  durableRecords?: boolean;
}

/** One branch the queue merged. */
export interface MergeRecord {
  branch: string;
  worktree?: string;
  branchCommit: string;
  mergeCommit: string;
}

/** Options of one merge. */
export interface MergeCallOptions {
  /** Merge commit message (default `Merge branch '<branch>'`). */
  message?: string;
  signal?: AbortSignal;
  emit?: (event: OrchestratorEventInput) => void;
}

/** The queue without its handler (what the handler builds on). */
export interface MergeQueueCore {
  readonly mainGit: RepositoryGit;
  readonly taskField: { taskId?: string };
  /** Merges a branch under the merge lock, with every check; never leaves main mid-merge. */
  merge(branch: string, options?: MergeCallOptions): Promise<RunRepoCommandResult>;
  /** Runs `action` once no merge is in progress, holding the merge lock and the writer lock. */
  whenIdle<T>(action: () => Promise<T>): Promise<T>;
}

/** See `createMergeQueue`. */
export interface MergeQueue extends MergeQueueCore {
  readonly handler: CommandHandler;
  readonly mainPath: string;
  /** Main's commit when the queue was created. */
  readonly startCommit: string;
  /** Main's good commit as last seen by this queue: the last tested merge of any run, else the start commit. */
  readonly lastGoodCommit: string;
  /** The ledger of main this queue records its merges in. */
  readonly ledger: MainLedgerStore;
  readonly stateDir: string;
  readonly merges: readonly MergeRecord[];
}

const defaultTaskBranch = /^task-[A-Za-z0-9][A-Za-z0-9._-]*$/;

// One queue per repository in this process: every run of a dispatcher on the same main waits here.
const sharedLocks = new Map<string, Semaphore>();
function queueLock(mainPath: string): Semaphore {
  const key = resolve(mainPath);
  let lock = sharedLocks.get(key);
  if (!lock) {
    lock = createSemaphore(1);
    sharedLocks.set(key, lock);
  }
  return lock;
}

/**
 * Creates the merge queue of the repository whose main worktree is `<baseDir>/<mainWorktree>`.
 *
 * @example
 * const queue = await createMergeQueue({ baseDir, smokeTest: 'npm test' });
 * const runner = createCommandRunner({ baseDir, handlers: [queue.handler, ...] });
 */
export async function createMergeQueue(options: MergeQueueOptions): Promise<MergeQueue> {
  const mainWorktree = options.mainWorktree ?? 'main';
  const mainPath = join(options.baseDir, mainWorktree);
  const git = createRepositoryGit(mainPath);
  const lock = queueLock(mainPath);
  const stateDir = options.stateDir ?? repositoryStateDir(options.baseDir);
  const ledger = createMainLedgerStore(stateDir, { durable: options.durableRecords !== false });
  const taskField = options.taskId === undefined ? {} : { taskId: options.taskId };
  const startCommit = await git.head();
  const merges: MergeRecord[] = [];
  const writerLocked = <T>(label: string, action: () => Promise<T>) =>
    withWriterLock(stateDir, label, action);
  // A repository the ledger has never seen: main as the queue finds it is the good commit.
  let lastGoodCommit = await writerLocked('merge queue start', async () => {
    const record = await ledger.read();
    if (record.good !== undefined) return record.good;
    record.good = startCommit;
    await ledger.write(record);
    return startCommit;
  });

  async function mergeLocked(branch: string, call: MergeCallOptions): Promise<RunRepoCommandResult> {
    const started = performance.now();
    const { signal } = call;
    const emit = call.emit ?? (() => {});
    // Before the review, a first check against main as it is now (no lock: nothing is written).
    // Everything that matters is checked again under the writer lock right before the merge.
    const mainCommit = (await ledger.read()).good ?? lastGoodCommit;
    const checked = await checkMergePreconditions({
      mainGit: git,
      mainPath,
      mainCommit,
      branch,
      taskBranch: options.taskBranchPattern ?? defaultTaskBranch,
      mergedHere: merges.some((record) => record.branch === branch),
      ...(signal ? { signal } : {}),
    });
    const worktree = checked.worktree?.name;
    const end = (outcome: MergeOutcome, commit: string, reason?: string) =>
      emit({
        type: 'merge-end',
        branch,
        outcome,
        mainCommit: commit,
        durationMs: Math.round(performance.now() - started),
        ...(worktree === undefined ? {} : { worktree }),
        ...(checked.branchCommit === undefined ? {} : { branchCommit: checked.branchCommit }),
        ...(reason === undefined ? {} : { reason }),
        ...taskField,
      });
    const fail = (outcome: MergeOutcome, reason: string) => {
      end(outcome, mainCommit, reason);
      return mergeResult('failed', '', reason, started);
    };
    if (checked.kind === 'refuse') return fail('refused', checked.reason);
    if (checked.kind === 'already-merged') {
      end('already-merged', mainCommit, checked.text);
      return mergeResult('ok', `${checked.text}\n`, undefined, started);
    }
    const { branchCommit } = checked;
    const refusal = await passMergeGates({
      branch,
      branchCommit,
      mainGit: git,
      emit,
      ...(checked.worktree ? { worktree: checked.worktree } : {}),
      ...(options.reviewGate ? { reviewGate: options.reviewGate } : {}),
      ...(options.approveMerge ? { approveMerge: options.approveMerge } : {}),
      ...(options.taskId === undefined ? {} : { taskId: options.taskId }),
      ...(signal ? { signal } : {}),
    });
    if (refusal !== undefined) return fail('refused', refusal);
    if (signal?.aborted) return fail('refused', 'the run was cancelled before the merge started');
    return writerLocked(`merge of ${branch}`, () =>
      mergeReviewed({ branch, branchCommit, call, started, end, worktree }),
    );
  }

  async function mergeReviewed(input: {
    branch: string;
    branchCommit: string;
    call: MergeCallOptions;
    started: number;
    end: (outcome: MergeOutcome, commit: string, reason?: string) => void;
    worktree: string | undefined;
  }): Promise<RunRepoCommandResult> {
    const { branch, branchCommit, call, started, end, worktree } = input;
    const emit = call.emit ?? (() => {});
    // Under the writer lock, right before the merge: finish or undo whatever an earlier process
    // left, and set aside anything that moved main outside the queue, so nothing rides along.
    const recovery = await recoverMain({
      git,
      ledger,
      moment: 'before-merge',
      emit,
      taskField,
      ...(options.smokeTestTimeoutMs === undefined ? {} : { smokeTestTimeoutMs: options.smokeTestTimeoutMs }),
    });
    const mainCommit = recovery.good;
    lastGoodCommit = mainCommit;
    const mainNote =
      recovery.repairs.length > 0
        ? `Note: main had changed outside the merge queue; ${recovery.repairs.join('; ')}. Do not commit in main.\n`
        : '';
    const fail = (outcome: MergeOutcome, reason: string) => {
      end(outcome, mainCommit, reason);
      return mergeResult('failed', '', reason, started);
    };
    const [dirty, branchNow] = await Promise.all([git.status(), git.branchCommit(branch)]);
    if (dirty.length > 0) {
      return fail(
        'refused',
        `main has uncommitted changes, so nothing is merged into it:\n${dirty.slice(0, 10).join('\n')}\nNever change files in main: work happens in task worktrees.`,
      );
    }
    if (branchNow !== branchCommit) {
      return fail(
        'refused',
        `${branch} moved from the reviewed commit ${shortCommit(branchCommit)} to ${branchNow === undefined ? 'nothing (deleted)' : shortCommit(branchNow)} while it was being reviewed; merge it again to review the new commits.`,
      );
    }
    if (await git.isAncestor(branchCommit, mainCommit)) {
      const text = `${branch} is already merged into main (nothing to do).`;
      end('already-merged', mainCommit, text);
      return mergeResult('ok', `${text}\n`, undefined, started);
    }
    const where = worktree === undefined ? {} : { worktree };
    const record = recovery.ledger;
    const intent: MergeIntent = {
      branch,
      branchCommit,
      mainBefore: mainCommit,
      ...(options.smokeTest === undefined ? {} : { smokeTest: options.smokeTest }),
      phase: 'merging',
      pid: process.pid,
      ...taskField,
      updatedAt: new Date().toISOString(),
    };
    const note = async (changes: Partial<MergeIntent> | 'closed') => {
      if (changes === 'closed') delete record.intent;
      else record.intent = Object.assign(intent, changes, { updatedAt: new Date().toISOString() });
      await ledger.write(record);
    };
    await note({});
    emit({ type: 'merge-start', branch, mainCommit, branchCommit, ...where, ...taskField });
    // The merge itself gets no signal: killing git halfway could leave lock files behind. The
    // reviewed commit is merged (not the branch name), so what was reviewed is what lands.
    const message = call.message ?? `Merge branch '${branch}'`;
    const merged = await git.run(['merge', '--no-ff', '--no-edit', '-m', message, branchCommit]);
    if (merged.exitCode !== 0) {
      const conflicted = (await git.mergeInProgress()) ? await git.conflictedFiles() : [];
      await secureMain(git, mainCommit, { emit, taskField, reason: `the merge of ${branch} failed` });
      await note('closed');
      if (conflicted.length === 0) {
        const output = (merged.stderr || merged.stdout).trim().slice(-2000);
        return fail(
          'failed',
          `git merge of ${branch} failed (exit ${merged.exitCode}); main is unchanged at ${shortCommit(mainCommit)}: ${output}`,
        );
      }
      emit({ type: 'merge-conflict', branch, files: conflicted, mainCommit, ...where, ...taskField });
      return fail(
        'conflict',
        `merging ${branch} into main conflicts in: ${conflicted.join(', ')}. The merge was aborted; main is clean at ${shortCommit(mainCommit)}. ` +
          `Send the branch back for rework: in worktree ${worktree ?? `<the worktree of ${branch}>`} run \`git merge main\`, then have codex resolve the conflicts ` +
          '(codex exec "Resolve the merge conflicts in <files>, keeping the intent of both sides; run the tests; commit"), ' +
          'check it is committed, then merge again. Other ready branches can be merged meanwhile.',
      );
    }
    const mergeCommit = await git.head();
    let smokeNote = '';
    if (options.smokeTest !== undefined) {
      await note({ mergeCommit, phase: 'merged' });
      const smoke = await runSmokeTest({
        command: options.smokeTest,
        cwd: mainPath,
        branch,
        mainCommit: mergeCommit,
        emit,
        taskField,
        ...(options.smokeTestTimeoutMs === undefined ? {} : { timeoutMs: options.smokeTestTimeoutMs }),
        ...(call.signal ? { signal: call.signal } : {}),
        ...(options.sandbox ? { sandbox: options.sandbox } : {}),
      });
      if (!smoke.passed) {
        const reason = `the smoke test failed after merging ${branch}`;
        await note({ phase: 'failed' });
        await secureMain(git, mainCommit, { emit, taskField, reason, expectedHead: mergeCommit });
        await note('closed');
        return fail(
          'reverted',
          `the smoke test \`${options.smokeTest}\` failed after merging ${branch} (${smoke.exitCode === null ? 'no exit code' : `exit ${smoke.exitCode}`}); ` +
            `main was put back to ${shortCommit(mainCommit)}. Fix the branch in its worktree (codex), commit, then merge again.\nOutput (tail):\n${smoke.output}`,
        );
      }
      smokeNote = `Smoke test \`${options.smokeTest}\` passed.\n`;
    }
    // Tested (or no smoke test configured) and done, in one durable write.
    record.good = mergeCommit;
    record.merges.push({ branch, branchCommit, mergeCommit, ...taskField, at: new Date().toISOString() });
    await note('closed');
    merges.push({ branch, branchCommit, mergeCommit, ...where });
    lastGoodCommit = mergeCommit;
    end('merged', mergeCommit);
    const stat = (await git.run(['diff', '--shortstat', mainCommit, mergeCommit])).stdout.trim();
    return mergeResult(
      'ok',
      `${mainNote}Merged ${branch} (${shortCommit(branchCommit)}) into main with --no-ff: merge commit ${shortCommit(mergeCommit)}${stat ? ` (${stat})` : ''}.\n${smokeNote}`,
      undefined,
      started,
    );
  }

  const core: MergeQueueCore = {
    mainGit: git,
    taskField,
    async merge(branch, call = {}) {
      const release = await lock.acquire(call.signal ? { signal: call.signal } : {});
      try {
        return await mergeLocked(branch, call);
      } finally {
        release();
      }
    },
    whenIdle: (action) => lock.use(() => writerLocked('check of main', action)),
  };
  return {
    ...core,
    handler: createMergeQueueHandler(core, mainWorktree),
    mainPath,
    startCommit,
    get lastGoodCommit() {
      return lastGoodCommit;
    },
    merges,
    ledger,
    stateDir,
  };
}
