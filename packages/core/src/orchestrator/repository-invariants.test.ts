/**
 * The second line, one case per class of damage a command can do to the repository, each with a
 * permissive policy (everything allowed) and the sandbox off, so only the invariant check stands
 * between the command and the damage: real git, real bash, the real command runner.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Policy, PolicyDecision } from '@codex-orchestrator/policy';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCommandRunner } from '../command/command-runner.js';
import type { CommandRunner } from '../command/command-runner-types.js';
import { createMainLedgerStore } from '../durability/main-ledger.js';
import { repositoryStateDir, withWriterLock } from '../durability/repository-state.js';
import { createEventStream } from '../events/event-stream.js';
import type { OrchestratorEvent } from '../events.js';
import { createTestRepository, type TestRepository } from '../worktree/repository.fixture.js';
import { createRepositoryGit, type RepositoryGit } from './repository-git.js';
import {
  createRepositoryInvariants,
  type RepositoryInvariants,
  runChecked,
} from './repository-invariants.js';

// Allows everything: the policy check is off, so these tests see the guard alone.
const permissive: Policy = {
  evaluate: (command): PolicyDecision => ({
    decision: 'allow',
    reason: 'permissive test policy',
    ruleId: 'test.permissive',
    commands: [{ argv: ['bash'], text: command, decision: 'allow', reason: 'permissive' }],
  }),
};

let repository: TestRepository;
let scratch: string;
let git: RepositoryGit;
let invariants: RepositoryInvariants;
let runner: CommandRunner;
let seen: OrchestratorEvent[];
let tips: Record<string, string>;
let start: string;

async function taskBranch(name: string, commits: number): Promise<string> {
  await repository.git(['worktree', 'add', '--quiet', '-b', name, `../${name}`, 'main']);
  for (let index = 0; index < commits; index += 1) {
    await writeFile(join(repository.baseDir, name, `${name}-${index}.txt`), `${index}\n`);
    await repository.git(['add', '-A'], name);
    await repository.git(['commit', '--quiet', '-m', `${name} ${index}`], name);
  }
  return (await repository.git(['rev-parse', 'HEAD'], name)).trim();
}

beforeEach(async () => {
  repository = await createTestRepository();
  scratch = await mkdtemp(join(tmpdir(), 'invariants-'));
  git = createRepositoryGit(repository.mainPath);
  start = await git.head();
  tips = { 'task-a': await taskBranch('task-a', 2), 'task-b': await taskBranch('task-b', 2) };
  const stateDir = repositoryStateDir(repository.baseDir);
  const ledger = createMainLedgerStore(stateDir);
  await ledger.write({ version: 1, good: start, merges: [] });
  const events = createEventStream();
  seen = [];
  events.onAny((event) => void seen.push(event));
  invariants = await createRepositoryInvariants({
    mainGit: git,
    mainWorktree: 'main',
    commonDir: join(repository.mainPath, '.git'),
    stateDir,
    ledger,
    emit: (event) => events.emit(event),
    taskField: {},
  });
  runner = createCommandRunner({
    baseDir: repository.baseDir,
    policy: permissive,
    events,
    auditLog: join(scratch, 'audit.log'),
    dryRun: false,
    trace: false,
    // The bubblewrap sandbox would stop most of this damage itself (git dirs read-only): off,
    // so the guard is shown catching it alone, as when the sandbox is unavailable or opted out.
    sandbox: 'off',
  });
});
afterEach(async () => {
  await invariants.dispose();
  await repository.cleanup();
  await rm(scratch, { recursive: true, force: true });
});

const run = (worktree: string, command: string) => runChecked(runner, invariants, { worktree, command });
const head = async (ref: string) => (await repository.git(['rev-parse', ref])).trim();

describe('invariants after every run_repo_command (policy off)', () => {
  it('leaves an honest command alone', async () => {
    const result = await run('task-a', 'echo hi > note.txt && git add note.txt && git commit -q -m note');
    expect(result.status).toBe('ok');
    expect(result.reason).toBeUndefined();
    expect(await head('task-b')).toBe(tips['task-b']);
  });

  it('argv[0] wrapper: git run as git-update-ref under another name cannot rewind another branch', async () => {
    // The real git binary by path (the command environment's PATH leads to a no-push shim).
    const realGit = execFileSync('which', ['git'], { encoding: 'utf8' }).trim();
    const result = await run(
      'task-a',
      `bash -c 'exec -a git-update-ref ${realGit} refs/heads/task-b ${tips['task-b']}~1'`,
    );
    expect(result.status).toBe('failed');
    expect(result.reason).toMatch(/moved back branch task-b/);
    expect(await head('task-b')).toBe(tips['task-b']);
  });

  it('git pointed at another git dir: config written there (core.fsmonitor, a remote) is restored', async () => {
    const marker = join(scratch, 'planted');
    const result = await run(
      'task-a',
      `git --git-dir=../main/.git config core.fsmonitor "touch ${marker}" && git --git-dir=../main/.git remote add evil https://example.invalid/x.git`,
    );
    expect(result.reason).toMatch(/restored .*config/);
    const config = await readFile(join(repository.mainPath, '.git', 'config'), 'utf8');
    expect(config).not.toMatch(/fsmonitor|evil/);
    await git.status();
    expect(existsSync(marker)).toBe(false);
  });

  it('a planted hook is removed', async () => {
    const result = await run(
      'task-a',
      `printf '#!/bin/sh\\ntouch ${join(scratch, 'hooked')}\\n' > ../main/.git/hooks/post-checkout && chmod +x ../main/.git/hooks/post-checkout`,
    );
    expect(result.reason).toMatch(/restored .*hooks\/post-checkout/);
    expect(existsSync(join(repository.mainPath, '.git', 'hooks', 'post-checkout'))).toBe(false);
  });

  it('fetch --refmap / --update-head-ok force-moving protected main is undone (main reset to its good commit)', async () => {
    const result = await run(
      'main',
      'git fetch --update-head-ok --refmap=+refs/heads/task-b:refs/heads/main . refs/heads/task-b',
    );
    expect(result.reason).toMatch(/moved main back/);
    expect(await head('main')).toBe(start);
    expect(await git.status()).toEqual([]);
  });

  it('a refspec rewinding other task branches is undone; deleting one recreates it', async () => {
    // git itself refuses to fetch into a branch checked out in a worktree: use one that is not.
    await repository.git(['branch', 'task-c', tips['task-b'] as string]);
    const rewind = await run('task-a', `git fetch -q . +${start}:refs/heads/task-c`);
    expect(rewind.reason).toMatch(/moved back branch task-c/);
    expect(await head('task-c')).toBe(tips['task-b']);
    const removed = await run('main', 'git update-ref -d refs/heads/task-b');
    expect(removed.reason).toMatch(/recreated branch task-b/);
    expect(await head('task-b')).toBe(tips['task-b']);
  });

  it('a tag shadowing a branch name is deleted', async () => {
    const result = await run('task-a', `git tag task-b ${start}`);
    expect(result.reason).toMatch(/deleted tag task-b/);
    expect(await repository.git(['tag', '--list'])).toBe('');
  });

  it('commits lost from its own branch stay reachable on a kept branch', async () => {
    const result = await run('task-a', 'git reset -q --hard HEAD~1');
    expect(result.reason).toMatch(/task-a lost commits .* kept on branch orchestrator-lost\/task-a-/);
    const kept = (
      await repository.git(['branch', '--list', 'orchestrator-lost/*', '--format=%(refname:short)'])
    ).trim();
    expect(await head(kept)).toBe(tips['task-a']);
  });

  it('a move of main by the merge queue (the ledger’s good commit) is not undone', async () => {
    const snapshot = await invariants.before('task-a');
    await repository.git(['merge', '--quiet', '--no-ff', '-m', 'queue merge', 'task-a']);
    const merged = await git.head();
    const ledger = createMainLedgerStore(repositoryStateDir(repository.baseDir));
    await ledger.write({ ...(await ledger.read()), good: merged });
    expect(await invariants.after(snapshot)).toEqual([]);
    expect(await git.head()).toBe(merged);
    expect(seen.filter((event) => event.type === 'error')).toEqual([]);
  });

  it('a merge in progress elsewhere (main moved, not yet recorded good) is waited for, not undone', async () => {
    // Another run's merge queue holds the writer lock: it has merged, its smoke test runs, and the
    // ledger still names the old good commit. A command of this run ends meanwhile.
    const stateDir = repositoryStateDir(repository.baseDir);
    const ledger = createMainLedgerStore(stateDir);
    const snapshot = await invariants.before('task-b');
    let merged = '';
    let checked: Promise<string[]> | undefined;
    await withWriterLock(stateDir, 'merge of another run', async () => {
      await repository.git(['merge', '--quiet', '--no-ff', '-m', 'other run merge', 'task-a']);
      merged = await git.head();
      checked = invariants.after(snapshot);
      // Time for the check to read main and the ledger while the merge is unrecorded.
      await sleep(1500);
      await ledger.write({ ...(await ledger.read()), good: merged });
    });
    expect(await checked).toEqual([]);
    expect(await git.head()).toBe(merged);
    expect(await head('main')).toBe(merged);
  });
});
