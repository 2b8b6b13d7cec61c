/**
 * The crash matrix inside the agent loop: a child process runs one task through the real
 * dispatcher and orchestrator, with the real codex binary against the scripted model server, and
 * is killed with SIGKILL (alone, or with its whole process group) at a chosen event: while the
 * worktree is added, while codex runs, when codex commits, during the review. A new process then
 * starts on the same journal and repository; the dispatcher resumes the task. Whatever the kill
 * point: the task ends completed with its branch in main, main is at a tested commit, no git lock
 * is left anywhere in the repository, the branch is merged exactly once, nothing codex planted in
 * the git config or hooks ever ran, and no process of the killed run is left.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { createFileTaskStore } from '../dispatcher/file-task-store.js';
import { createMainLedgerStore } from '../durability/main-ledger.js';
import { repositoryStateDir } from '../durability/repository-state.js';
import {
  codexExec,
  createOrchestratorScenario,
  finalSummary,
  isOrchestratorRequest,
  isReviewerRequest,
  type OrchestratorScenario,
  orchestratorTurn,
  repoCommand,
  reviewVerdict,
} from '../testing/orchestrator-scenario.js';
import type { RecordedModelRequest } from '../testing/scripted-model-request.js';
import { assistantMessage, execCommand } from '../testing/scripted-model-turns.js';

process.env.OPENAI_AGENTS_DISABLE_TRACING = '1';

const fixture = join(import.meta.dirname, 'agent-crash.fixture.ts');
const resumeNote = 'This run resumes an interrupted attempt';
let scenario: OrchestratorScenario | undefined;
const children: ChildProcess[] = [];
afterEach(async () => {
  for (const child of children.splice(0)) {
    try {
      process.kill(-(child.pid as number), 'SIGKILL');
    } catch {}
  }
  await scenario?.close();
  scenario = undefined;
});

type LogEntry = Record<string, unknown> & { type?: string; pid?: number };

function readLog(path: string): LogEntry[] {
  if (!existsSync(path)) return [];
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .flatMap((line) => {
      try {
        return [JSON.parse(line) as LogEntry];
      } catch {
        return [];
      }
    });
}

async function waitFor(check: () => boolean, what: string, context: () => string) {
  for (let waited = 0; waited < 180_000; waited += 25) {
    if (check()) return;
    await sleep(25);
  }
  throw new Error(`timed out waiting for ${what}\n${context()}`);
}

/** The log, one short line per entry (for failure messages). */
const story = (path: string) =>
  readLog(path)
    .map(
      (entry) =>
        `${entry.pid} ${entry.type} ${String(entry.command ?? entry.reason ?? entry.message ?? '').slice(0, 300)}`,
    )
    .join('\n');

function start(config: Record<string, unknown>) {
  const child = spawn(process.execPath, ['--import', 'tsx', fixture], {
    env: { ...process.env, AGENT_CRASH_CONFIG: JSON.stringify(config) },
    stdio: ['ignore', 'ignore', 'pipe'],
    detached: true, // its own process group, so the whole group can be killed
  });
  children.push(child);
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, exit, stderr: () => stderr };
}

/** Live processes (zombies aside) working in, or naming, `root`: what a run left behind. */
function processesUnder(root: string): string[] {
  const found: string[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name) || Number(name) === process.pid) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      if (stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z')) continue;
      const commandLine = readFileSync(`/proc/${name}/cmdline`, 'utf8').replaceAll('\0', ' ');
      let cwd = '';
      try {
        cwd = readlinkSync(`/proc/${name}/cwd`);
      } catch {}
      if (commandLine.includes(root) || cwd === root || cwd.startsWith(`${root}/`))
        found.push(`${name}: ${commandLine.slice(0, 200)}`);
    } catch {
      // gone meanwhile
    }
  }
  return found;
}

/** Every `*.lock` file in the common git dir, worktree admin folders included. */
async function gitLocksIn(gitDir: string): Promise<string[]> {
  const entries = await readdir(gitDir, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile() && entry.name.endsWith('.lock'))
    .map((entry) => join(entry.parentPath, entry.name));
}

interface KillPoint {
  name: string;
  /** True for the log entry to kill at. */
  at: (entry: LogEntry) => boolean;
  /** Main with thousands of files, and the kill waits for git's `initializing` lock of task-a. */
  midCheckout?: boolean;
}

const killPoints: KillPoint[] = [
  {
    name: 'at worktree add',
    at: (entry) => entry.type === 'command-start' && String(entry.command).startsWith('git worktree add'),
  },
  {
    name: 'in the middle of worktree add (a big main: the checkout is cut short)',
    at: (entry) => entry.type === 'command-start' && String(entry.command).startsWith('git worktree add'),
    midCheckout: true,
  },
  { name: 'during codex', at: (entry) => entry.type === 'worker-start' },
  {
    name: 'when codex commits',
    at: (entry) => entry.type === 'worker-command-start' && String(entry.command).includes('git commit'),
  },
  { name: 'during the review', at: (entry) => entry.type === 'review-start' },
];

// Codex (first run) tries to plant an fsmonitor command and a hook that would run outside any
// sandbox in the orchestrator's own git calls; they touch `planted` beside main if they ever run
// (`#` comments out the arguments git appends to the fsmonitor command).
const plantCommand = (marker: string) =>
  [
    `git config core.fsmonitor "touch ${marker}; false #" 2>/dev/null`,
    `hooks="$(git rev-parse --git-common-dir)/hooks"`,
    `printf '#!/bin/sh\\ntouch ${marker}\\n' > "$hooks/post-merge" 2>/dev/null && chmod +x "$hooks/post-merge" 2>/dev/null`,
    `printf 'a\\n' > a.txt`,
    'true',
  ].join('; ');

function addScripts(scenario: OrchestratorScenario, marker: string, reviewDelay: () => number) {
  const isResumed = (request: RecordedModelRequest) => request.text.includes(resumeNote);
  const orchestratorTurns = (prompt: string) => [
    orchestratorTurn(repoCommand('main', 'git worktree add ../task-a main')),
    orchestratorTurn(codexExec('task-a', prompt)),
    orchestratorTurn(repoCommand('main', 'git merge task-a')),
    orchestratorTurn(finalSummary('task-a is done.')),
  ];
  scenario.server.addScript({
    name: 'orchestrator (first run)',
    match: (request) => isOrchestratorRequest(request) && !isResumed(request),
    turns: orchestratorTurns('FIRST-A: add a.txt, commit'),
  });
  scenario.server.addScript({
    name: 'orchestrator (resumed)',
    match: (request) => isOrchestratorRequest(request) && isResumed(request),
    turns: orchestratorTurns('AGAIN-A: make sure a.txt is committed'),
  });
  scenario.codex('FIRST-A', [
    [execCommand(plantCommand(marker))],
    [execCommand('git add -A && git commit -q -m "feat: a"')],
    [assistantMessage('Added a.txt and committed.')],
  ]);
  scenario.codex('AGAIN-A', [
    [
      execCommand(
        `printf 'a\\n' > a.txt && git add -A && { git diff --cached --quiet || git commit -q -m "feat: a"; }`,
      ),
    ],
    [assistantMessage('a.txt is committed.')],
  ]);
  scenario.server.addScript({
    name: 'reviewer',
    match: isReviewerRequest,
    reuse: true,
    turns: [
      () => ({
        type: 'reply',
        output: [reviewVerdict('approve', 'Small and tested.')],
        delayMs: reviewDelay(),
      }),
    ],
  });
}

describe('crash matrix inside the agent loop (real codex): SIGKILL, then a resumed run', () => {
  for (const point of killPoints) {
    for (const group of [false, true]) {
      it(`${point.name} (${group ? 'process group' : 'process'})`, async () => {
        const files: Record<string, string> = {
          'README.md': '# scenario\n',
          'test.sh': 'echo "all tests passed"\n',
        };
        if (point.midCheckout)
          for (let index = 0; index < 3000; index += 1)
            files[`big/d${index % 30}/f${index}.txt`] = `${index}\n`;
        scenario = await createOrchestratorScenario({ files });
        const current = scenario;
        const root = join(current.baseDir, '..');
        const marker = join(current.baseDir, 'planted');
        let killed = false;
        addScripts(current, marker, () => (killed ? 0 : 30_000));
        const log = join(root, 'events.jsonl');
        const journal = join(root, 'journal.jsonl');
        const options = {
          ...current.options,
          review: 'agent',
          pruneWorktrees: true,
          smokeTest: 'sh test.sh',
        };
        const task = { id: 'crash-task', text: 'Add a.txt in one subtask and merge it.' };

        const first = start({ options, journal, log, deliver: [task] });
        await waitFor(
          () => readLog(log).some(point.at),
          point.name,
          () => `${story(log)}\n${first.stderr()}`,
        );
        if (point.midCheckout) {
          // Git may finish before the lock is seen: then the kill lands just after the add.
          const initializing = join(current.mainPath, '.git', 'worktrees', 'task-a', 'locked');
          for (let polls = 0; polls < 20_000 && !existsSync(initializing); polls += 1) await sleep(1);
        }
        const pid = first.child.pid as number;
        process.kill(group ? -pid : pid, 'SIGKILL');
        killed = true;
        await first.exit;

        const second = start({ options, journal, log, deliver: [] });
        expect(await second.exit, second.stderr()).toBe(0);
        const entries = readLog(log);
        if (process.env.AGENT_CRASH_VERBOSE) {
          console.log(
            entries
              .map((entry) => `${entry.pid} ${entry.time} ${entry.type} ${entry.command ?? ''}`)
              .join('\n'),
          );
        }
        expect(entries.at(-1)?.type).toBe('drained');
        const runs = entries.filter((entry) => entry.type === 'task-run');
        expect(runs.map((entry) => [entry.pid === pid, entry.resume])).toEqual([
          [true, false],
          [false, true],
        ]);

        // No task lost, and the completed task's branch is in main.
        const store = createFileTaskStore(journal);
        const states = (await store.load()).map((entry) => [entry.taskId, entry.state]);
        await store.close();
        expect(states).toEqual([['crash-task', 'completed']]);
        const head = (await current.git(['rev-parse', 'HEAD'])).trim();
        const branchTip = (await current.git(['rev-parse', 'task-a'])).trim();
        expect(await current.git(['merge-base', '--is-ancestor', branchTip, head]).then(() => true)).toBe(
          true,
        );
        expect(readFileSync(join(current.mainPath, 'a.txt'), 'utf8')).toBe('a\n');
        expect(await current.git(['diff', '--name-only', `${head}~1`, head])).toBe('a.txt');

        // Main at a tested commit, recorded as good, clean; no git lock anywhere.
        const ledger = await createMainLedgerStore(repositoryStateDir(current.baseDir)).read();
        expect(ledger.intent).toBeUndefined();
        expect(ledger.good).toBe(head);
        const passedOn = entries
          .filter((entry) => entry.type === 'smoke-test-end' && entry.passed === true)
          .map((entry) => entry.mainCommit);
        expect(passedOn).toContain(head);
        expect(await current.git(['status', '--porcelain'])).toBe('');
        expect(await gitLocksIn(join(current.mainPath, '.git'))).toEqual([]);

        // The branch merged exactly once.
        const merges = (await current.git(['rev-list', '--merges', '--first-parent', 'HEAD']))
          .split('\n')
          .filter(Boolean);
        expect(merges).toHaveLength(1);
        expect((await current.git(['rev-parse', `${merges[0]}^2`])).trim()).toBe(branchTip);

        // Nothing planted ran, and nothing of either run is left running.
        expect(existsSync(marker)).toBe(false);
        expect(await current.git(['config', '--get', 'core.fsmonitor']).catch(() => '')).toBe('');
        await waitFor(
          () => processesUnder(root).length === 0,
          'no process left',
          () => processesUnder(root).join('\n'),
        );
      }, 300_000);
    }
  }
});
