/**
 * Starts one `codex exec` process for a worker run and waits for it: argv, push-blocking env,
 * writable git dirs, stdin closed, JSONL fed to the parser, wall-clock timeout and abort that
 * kill the whole process tree.
 */
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { noPushEnv } from '../exec/no-push-env.js';
import { startProcess } from '../process/start-process.js';
import { createSandbox, isSandbox } from '../sandbox/create-sandbox.js';
import { errorMessage } from '../shared/error-message.js';
import type { SandboxMode, WorkerRequest } from '../types.js';
import { buildCodexArgv } from './codex-argv.js';
import { createCodexConnectionWatch } from './codex-connection-watch.js';
import { codexEnv, codexShellPolicy, providerKeyNames } from './codex-env.js';
import type { createCodexEventParser } from './codex-event-parser.js';
import { codexModelEndpoint, codexProviderKeyNames } from './codex-model-endpoint.js';
import type { CodexWorkerOptions } from './codex-worker.js';
import type { CodexRunOutcome } from './codex-worker-result.js';
import { guardGitMetadata } from './git-metadata-guard.js';
import { findGitDirs, writableGitDirs } from './git-writable-dirs.js';
import type { CodexBinary } from './resolve-codex-binary.js';
import { readRolloutCommands } from './rollout-commands.js';

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
  // Provider key variables named in the overrides and in codex's own config file.
  const keyNames = [
    ...providerKeyNames(options.configOverrides),
    ...(await codexProviderKeyNames({
      ...(options.codexHome === undefined ? {} : { codexHome: options.codexHome }),
      ...(options.configOverrides === undefined ? {} : { configOverrides: options.configOverrides }),
      env: { ...process.env, ...options.env },
    })),
  ];
  const scratch = await mkdtemp(join(tmpdir(), 'codex-worker-'));
  const lastMessageFile = join(scratch, 'last-message.txt');
  const env = noPushEnv(
    codexEnv(
      process.env,
      {
        ...options.env,
        ...request.env,
        ...(options.codexHome === undefined ? {} : { CODEX_HOME: options.codexHome }),
      },
      keyNames,
    ),
  );
  const argv = buildCodexArgv({
    prompt: request.prompt,
    cwd: request.cwd,
    sandbox,
    addDirs,
    skipGitRepoCheck: gitDirs === undefined,
    outputLastMessageFile: lastMessageFile,
    ...((request.model ?? options.model) === undefined ? {} : { model: request.model ?? options.model }),
    ...(request.resumeThreadId === undefined ? {} : { resumeThreadId: request.resumeThreadId }),
    // Last, so a caller's override cannot hand keys to codex's commands.
    configOverrides: { ...options.configOverrides, ...codexShellPolicy(env, keyNames) },
  });
  const codexHome = env.CODEX_HOME ?? join(env.HOME ?? homedir(), '.codex');
  let command: string[];
  try {
    const confinement = isSandbox(options.confinement)
      ? options.confinement
      : createSandbox(options.confinement ?? {});
    command = await confinement.confineCodex([binary.command, ...binary.args, ...argv], [codexHome]);
  } catch (error) {
    await rm(scratch, { recursive: true, force: true });
    if (guard !== undefined) outcome.gitMetadataRestored = await guard.restore();
    return { ...outcome, spawnError: errorMessage(error) };
  }

  // Stops codex early when it cannot reach its model (see codex-connection-watch.ts).
  const unreachable = new AbortController();
  const watch =
    options.connectionWatch === false
      ? undefined
      : createCodexConnectionWatch({
          ...options.connectionWatch,
          endpoint: await codexModelEndpoint({
            ...(env.CODEX_HOME === undefined ? {} : { codexHome: env.CODEX_HOME }),
            ...(options.configOverrides === undefined ? {} : { configOverrides: options.configOverrides }),
            env,
          }),
          probe: !usesProxy(env),
          timeoutMs,
          onUnreachable: (reason) => {
            outcome.modelUnreachable = reason;
            unreachable.abort();
          },
        });
  try {
    const child = startProcess({
      file: command[0] as string,
      args: command.slice(1),
      cwd: request.cwd,
      env,
      timeoutMs,
      ...(options.killGraceMs === undefined ? {} : { killGraceMs: options.killGraceMs }),
      signal: signal === undefined ? unreachable.signal : AbortSignal.any([signal, unreachable.signal]),
    });
    const lines = createInterface({ input: child.stdout, crlfDelay: Number.POSITIVE_INFINITY });
    lines.on('line', (line) => {
      parser.push(line);
      watch?.line(line);
    });
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      outcome.stderrTail = (outcome.stderrTail + chunk).slice(-8000);
      watch?.stderr(chunk);
    });
    const ended = await child.done;
    watch?.stop();
    outcome.exitCode = ended.exitCode;
    outcome.timedOut = ended.timedOut;
    outcome.cancelled = ended.cancelled && outcome.modelUnreachable === undefined;
    if (ended.spawnError !== undefined) {
      outcome.spawnError = `codex could not be started (${binary.command}): ${ended.spawnError}`;
    }
    outcome.lastMessage = await readFile(lastMessageFile, 'utf8').catch(() => undefined);
    const threadId = parser.state().threadId;
    if (threadId !== undefined) outcome.recordedCommands = await readRolloutCommands(codexHome, threadId);
    return outcome;
  } finally {
    watch?.stop();
    await rm(scratch, { recursive: true, force: true });
    if (guard !== undefined) outcome.gitMetadataRestored = await guard.restore();
  }
}

/** Node's fetch ignores proxy variables, so with a proxy the probe would not see what codex sees. */
function usesProxy(env: NodeJS.ProcessEnv): boolean {
  return ['HTTPS_PROXY', 'HTTP_PROXY', 'ALL_PROXY'].some(
    (name) => (env[name] ?? env[name.toLowerCase()] ?? '') !== '',
  );
}
