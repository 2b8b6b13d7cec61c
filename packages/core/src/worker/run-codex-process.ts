/**
 * Starts one `codex exec` process for a worker run and waits for it: argv, push-blocking env,
 * writable git dirs, stdin closed, JSONL fed to the parser, wall-clock timeout and abort that
 * kill the whole process tree.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { noPushEnv } from '../exec/no-push-env.js';
import type { SandboxMode, WorkerRequest } from '../types.js';
import { buildCodexArgv } from './codex-argv.js';
import type { createCodexEventParser } from './codex-event-parser.js';
import type { CodexWorkerOptions } from './codex-worker.js';
import type { CodexRunOutcome } from './codex-worker-result.js';
import { guardGitMetadata } from './git-metadata-guard.js';
import { findGitDirs, writableGitDirs } from './git-writable-dirs.js';
import { killProcessTree } from './kill-process-tree.js';
import type { CodexBinary } from './resolve-codex-binary.js';

/** Process groups of running codex processes; killed if this process exits while they run. */
const runningGroups = new Set<number>();
let exitHookInstalled = false;

function trackGroup(pid: number): void {
  runningGroups.add(pid);
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const group of runningGroups) {
      try {
        process.kill(-group, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  });
}

/** Runs codex once; never throws for a failure of codex itself (it is in the outcome). */
export async function runCodexProcess(
  binary: CodexBinary,
  request: WorkerRequest,
  sandbox: SandboxMode,
  parser: ReturnType<typeof createCodexEventParser>,
  options: CodexWorkerOptions,
  signal: AbortSignal | undefined,
): Promise<CodexRunOutcome> {
  const timeoutMs = request.timeoutMs ?? options.timeoutMs ?? 30 * 60_000;
  const outcome: CodexRunOutcome = {
    exitCode: null,
    timedOut: false,
    cancelled: false,
    timeoutMs,
    stderrTail: '',
  };
  if (signal?.aborted) return { ...outcome, cancelled: true };
  const isDirectory = await stat(request.cwd).then(
    (stats) => stats.isDirectory(),
    () => false,
  );
  if (!isDirectory) return { ...outcome, spawnError: `the worktree directory ${request.cwd} does not exist` };

  const gitDirs = await findGitDirs(request.cwd, signal === undefined ? {} : { signal });
  const addDirs =
    sandbox === 'workspace-write' && options.addGitDirs !== false ? writableGitDirs(gitDirs) : [];
  // Writable git dirs let codex commit, and also write config and hooks that git would run
  // outside the sandbox: those are snapshotted now and put back after the run.
  const guard =
    gitDirs !== undefined && sandbox !== 'read-only' ? await guardGitMetadata(gitDirs) : undefined;
  const scratch = await mkdtemp(join(tmpdir(), 'codex-worker-'));
  const lastMessageFile = join(scratch, 'last-message.txt');
  const argv = buildCodexArgv({
    prompt: request.prompt,
    cwd: request.cwd,
    sandbox,
    addDirs,
    skipGitRepoCheck: gitDirs === undefined,
    outputLastMessageFile: lastMessageFile,
    ...((request.model ?? options.model) === undefined ? {} : { model: request.model ?? options.model }),
    ...(request.resumeThreadId === undefined ? {} : { resumeThreadId: request.resumeThreadId }),
    ...(options.configOverrides === undefined ? {} : { configOverrides: options.configOverrides }),
  });
  const env = noPushEnv({
    ...process.env,
    ...options.env,
    ...(options.codexHome === undefined ? {} : { CODEX_HOME: options.codexHome }),
  });

  try {
    const child = spawn(binary.command, [...binary.args, ...argv], {
      cwd: request.cwd,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
      // Own process group and session, so the whole tree can be signalled without touching ours.
      detached: process.platform !== 'win32',
    });
    if (child.pid !== undefined && process.platform !== 'win32') trackGroup(child.pid);
    const lines = createInterface({ input: child.stdout, crlfDelay: Number.POSITIVE_INFINITY });
    lines.on('line', (line) => parser.push(line));
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      outcome.stderrTail = (outcome.stderrTail + chunk).slice(-8000);
    });

    let stopping: Promise<void> | undefined;
    const stop = () => {
      if (child.pid !== undefined && stopping === undefined) {
        stopping = killProcessTree(
          child.pid,
          options.killGraceMs === undefined ? {} : { graceMs: options.killGraceMs },
        );
      }
    };
    const timer = setTimeout(() => {
      outcome.timedOut = true;
      stop();
    }, timeoutMs);
    const onAbort = () => {
      outcome.cancelled = true;
      stop();
    };
    signal?.addEventListener('abort', onAbort, { once: true });

    await new Promise<void>((resolve) => {
      child.once('error', (error) => {
        outcome.spawnError = `codex could not be started (${binary.command}): ${error.message}`;
        resolve();
      });
      child.once('close', (code) => {
        outcome.exitCode = code;
        resolve();
      });
      // An orphan still holding our pipes must not keep the run open after codex itself exited.
      child.once('exit', () => {
        setTimeout(() => {
          child.stdout.destroy();
          child.stderr.destroy();
        }, 2000).unref();
      });
    });
    clearTimeout(timer);
    signal?.removeEventListener('abort', onAbort);
    if (child.pid !== undefined) runningGroups.delete(child.pid);
    await stopping;
    outcome.lastMessage = await readFile(lastMessageFile, 'utf8').catch(() => undefined);
    return outcome;
  } finally {
    await rm(scratch, { recursive: true, force: true });
    if (guard !== undefined) outcome.gitMetadataRestored = await guard.restore();
  }
}
