/**
 * The second line behind the command policy: whatever a command managed to do, some damage is
 * cheap to see and undo. Before every run_repo_command the refs are read; after it, protected main
 * and every other task branch must point where they did (unless the merge queue moved main: the
 * ledger's good commit), no branch may have lost commits, no tag may shadow a branch, and the
 * repository's config (remotes included), hooks and attributes must equal the run's snapshot.
 * Anything else is put back and named, so the model is told what was undone and why. One guard
 * for every command; codex runs add their own per-run snapshot on top.
 */
import { join } from 'node:path';
import type { CommandRunner } from '../command/command-runner-types.js';
import type { MainLedgerStore } from '../durability/main-ledger.js';
import { withWriterLock } from '../durability/repository-state.js';
import type { OrchestratorEventInput } from '../events.js';
import type { RunRepoCommandResult } from '../types.js';
import { guardGitMetadata } from '../worker/git-metadata-guard.js';
import { parseWorktreeList } from '../worktree/parse-worktree-list.js';
import { shortCommit } from './merge-result.js';
import type { RepositoryGit } from './repository-git.js';

/** Refs and branch owners before one command. */
export interface RefSnapshot {
  worktree: string;
  heads: Map<string, string>;
  tags: Set<string>;
  /** Branch checked out in each worktree. */
  branchOf: Map<string, string>;
}

/** See `createRepositoryInvariants`. */
export interface RepositoryInvariants {
  before(worktree: string): Promise<RefSnapshot>;
  /** Checks and repairs after the command; returns one line per thing undone (empty: all fine). */
  after(snapshot: RefSnapshot): Promise<string[]>;
  /** Ends the guard (its on-disk snapshot is removed after a last check). */
  dispose(): Promise<string[]>;
}

const zero = '0000000000000000000000000000000000000000';

/** Options of `createRepositoryInvariants`. */
export interface RepositoryInvariantsOptions {
  mainGit: RepositoryGit;
  mainWorktree: string;
  /** Common git dir of the repository (main's `.git`). */
  commonDir: string;
  stateDir: string;
  ledger: MainLedgerStore;
  emit: (event: OrchestratorEventInput) => void;
  taskField: { taskId?: string };
}

/** Takes the run's snapshot of config, hooks and attributes (written to disk too). */
export async function createRepositoryInvariants(
  options: RepositoryInvariantsOptions,
): Promise<RepositoryInvariants> {
  const { mainGit, emit, taskField } = options;
  const metadata = await guardGitMetadata(
    { commonDir: options.commonDir, gitDir: options.commonDir },
    { persistDir: options.stateDir, linkedWorktrees: false },
  );
  const mainBranch = (await mainGit.run(['symbolic-ref', '--short', '-q', 'HEAD'])).stdout.trim() || 'main';
  const busy = new Map<string, number>();

  async function readRefs(): Promise<{ heads: Map<string, string>; tags: Set<string> }> {
    const listed = await mainGit.check([
      'for-each-ref',
      '--format=%(objectname) %(refname)',
      'refs/heads',
      'refs/tags',
    ]);
    const heads = new Map<string, string>();
    const tags = new Set<string>();
    for (const line of listed.split('\n')) {
      const [commit, ref] = line.split(' ');
      if (!commit || !ref) continue;
      if (ref.startsWith('refs/heads/')) heads.set(ref.slice('refs/heads/'.length), commit);
      else tags.add(ref.slice('refs/tags/'.length));
    }
    return { heads, tags };
  }

  const descends = async (from: string, to: string) => from === to || (await mainGit.isAncestor(from, to));

  async function repair(snapshot: RefSnapshot): Promise<string[]> {
    const undone: string[] = [];
    for (const file of await metadata.check())
      undone.push(`restored ${file} (a command must not change git config, remotes or hooks)`);
    const now = await readRefs();
    const ownBranch = snapshot.branchOf.get(snapshot.worktree);
    const inUse = new Set(
      [...snapshot.branchOf]
        .filter(([worktree]) => (busy.get(worktree) ?? 0) > 0 && worktree !== snapshot.worktree)
        .map(([, branch]) => branch),
    );
    for (const [branch, old] of snapshot.heads) {
      const current = now.heads.get(branch);
      if (current === old) continue;
      if (branch === mainBranch) {
        // Main at the ledger's good commit: the merge queue moved it (no need to wait for the lock).
        if (current === (await options.ledger.read()).good) continue;
        // Decided under the writer lock, from main and the ledger as they are then: a merge of
        // another run or process holds that lock and moves main before it records the merge as
        // good (after its smoke test), so a decision taken before the lock would undo that merge.
        const line = await withWriterLock(options.stateDir, 'repair of main after a command', async () => {
          const [good, mainNow] = await Promise.all([
            options.ledger.read().then((record) => record.good),
            mainGit.branchCommit(branch),
          ]);
          if (mainNow === good) return undefined; // the merge queue moved it
          const target = good ?? old;
          if (mainNow !== undefined && !(await descends(mainNow, target))) {
            await mainGit.run(['branch', '-f', `orchestrator-rescue/${shortCommit(mainNow)}`, mainNow]);
          }
          await mainGit.check(['update-ref', `refs/heads/${branch}`, target]);
          await mainGit.check(['reset', '--hard', '--quiet', target]);
          return `moved ${branch} back from ${mainNow === undefined ? 'deleted' : shortCommit(mainNow)} to ${shortCommit(target)} (only the merge queue moves ${branch})`;
        });
        if (line !== undefined) undone.push(line);
        continue;
      }
      if (current !== undefined && (await descends(old, current))) continue; // new commits only
      if (branch === ownBranch || inUse.has(branch)) {
        // Its own worktree's branch (or one another command is working on): keep the lost
        // commits reachable instead of undoing work in progress.
        if (current === undefined) {
          await mainGit.run(['update-ref', `refs/heads/${branch}`, old, zero]);
          undone.push(`recreated branch ${branch} at ${shortCommit(old)} (deleted by the command)`);
        } else {
          const keep = `orchestrator-lost/${branch}-${shortCommit(old)}`;
          await mainGit.run(['branch', keep, old]);
          undone.push(
            `${branch} lost commits (${shortCommit(old)} is no longer in it); they are kept on branch ${keep}`,
          );
        }
        continue;
      }
      const moved = await mainGit.run(['update-ref', `refs/heads/${branch}`, old, current ?? zero]);
      if (moved.exitCode === 0) {
        undone.push(
          `${current === undefined ? 'recreated' : 'moved back'} branch ${branch} at ${shortCommit(old)} (a command in ${snapshot.worktree} must not ${current === undefined ? 'delete' : 'rewrite'} another branch)`,
        );
      }
    }
    for (const tag of now.tags) {
      if (snapshot.tags.has(tag) || !now.heads.has(tag)) continue;
      await mainGit.run(['update-ref', '-d', `refs/tags/${tag}`]);
      undone.push(`deleted tag ${tag}: it shadowed the branch of the same name`);
    }
    return undone;
  }

  return {
    async before(worktree) {
      busy.set(worktree, (busy.get(worktree) ?? 0) + 1);
      const [refs, listed] = await Promise.all([
        readRefs(),
        mainGit.run(['worktree', 'list', '--porcelain', '-z']),
      ]);
      const branchOf = new Map<string, string>();
      for (const entry of parseWorktreeList(listed.stdout, join(mainGit.cwd))) {
        if (entry.branch) branchOf.set(entry.name, entry.branch);
      }
      return { worktree, ...refs, branchOf };
    },
    async after(snapshot) {
      busy.set(snapshot.worktree, Math.max(0, (busy.get(snapshot.worktree) ?? 1) - 1));
      const undone = await repair(snapshot);
      if (undone.length > 0) {
        emit({
          type: 'error',
          code: 'repository-restored',
          message: `A command in ${snapshot.worktree} changed the repository; undone: ${undone.join('; ')}`,
          ...taskField,
        });
      }
      return undone;
    },
    async dispose() {
      return metadata.restore();
    },
  };
}

/**
 * Runs one command of `runner` between the invariant checks; what was undone is added to the
 * result (status `failed`), so the model is told what was undone and why.
 */
export async function runChecked(
  runner: CommandRunner,
  invariants: RepositoryInvariants | undefined,
  input: Parameters<CommandRunner['run']>[0],
  runOptions?: Parameters<CommandRunner['run']>[1],
): Promise<RunRepoCommandResult> {
  if (invariants === undefined) return runner.run(input, runOptions);
  const snapshot = await invariants.before(input.worktree);
  const outcome = await runner.run(input, runOptions).then(
    (result) => ({ result }),
    (error: unknown) => ({ error }),
  );
  const undone = await invariants
    .after(snapshot)
    .catch((error: unknown) => [
      `the repository check after this command failed: ${error instanceof Error ? error.message : String(error)}`,
    ]);
  if ('error' in outcome) throw outcome.error;
  const { result } = outcome;
  if (undone.length === 0) return result;
  const note = `The orchestrator undid what this command did to the repository: ${undone.join('; ')}. Do not change git refs, config, remotes or hooks; work on your own task branch.`;
  return {
    ...result,
    status: result.status === 'ok' ? 'failed' : result.status,
    stderr: `${result.stderr}${result.stderr === '' || result.stderr.endsWith('\n') ? '' : '\n'}${note}\n`,
    reason: result.reason === undefined ? note : `${result.reason}\n${note}`,
  };
}
