/**
 * Scenario builders for testing code that runs the orchestrator (ours and users'): a throwaway
 * repository laid out as the orchestrator expects (`<baseDir>/main`), a scripted model server that
 * plays the orchestrator, the reviewer and every codex run, a CODEX_HOME pointing the real codex
 * binary at it, and small builders that keep a script readable:
 *
 * scenario.orchestrator([
 *   orchestratorTurn(repoCommand('main', 'git worktree add ../task-a main')),
 *   orchestratorTurn(repoCommand('task-a', 'codex exec "TASK-A: add a.txt"')),
 *   orchestratorTurn(finalSummary('done')),
 * ]);
 * scenario.codex('TASK-A', codexWrites({ 'a.txt': 'a\n' }, { commit: 'feat: a' }));
 */
import { mkdir, mkdtemp, realpath, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { execa } from 'execa';
import { type CodexHome, createCodexHome } from './codex-home.js';
import type { ScriptedModelScriptHandle } from './script-router.js';
import type { RecordedModelRequest } from './scripted-model-request.js';
import {
  createScriptedModelServer,
  type ScriptedModelServer,
  scriptedModelApiKey,
} from './scripted-model-server.js';
import {
  assistantMessage,
  execCommand,
  functionCall,
  type ScriptedFunctionCallItem,
  type ScriptedMessageItem,
  type ScriptedOutputItem,
  type ScriptedReply,
  type ScriptedTurn,
  type ScriptedUsage,
} from './scripted-model-turns.js';

const orchestratorMarker = 'You are the senior engineer and team lead';
const reviewerMarker = 'You are the code reviewer';

/** True for requests of the orchestrator agent (by its instructions). */
export function isOrchestratorRequest(request: RecordedModelRequest): boolean {
  const instructions = request.body?.instructions;
  return typeof instructions === 'string' && instructions.startsWith(orchestratorMarker);
}

/** True for requests of the review agent (by its instructions). */
export function isReviewerRequest(request: RecordedModelRequest): boolean {
  const instructions = request.body?.instructions;
  return typeof instructions === 'string' && instructions.startsWith(reviewerMarker);
}

/** A `run_repo_command` call of the orchestrator. */
export function repoCommand(
  worktree: string,
  command: string,
  options: { callId?: string } = {},
): ScriptedFunctionCallItem {
  return functionCall('run_repo_command', { worktree, command }, options);
}

/** The orchestrator's `codex exec --sandbox workspace-write "<prompt>"` in a task worktree. */
export function codexExec(worktree: string, prompt: string): ScriptedFunctionCallItem {
  return repoCommand(worktree, `codex exec --sandbox workspace-write ${JSON.stringify(prompt)}`);
}

/** An `update_plan` call of the orchestrator. */
export function updatePlan(
  steps: Array<{ title: string; status?: 'pending' | 'in-progress' | 'done' | 'blocked'; worktree?: string }>,
  note?: string,
): ScriptedFunctionCallItem {
  return functionCall('update_plan', {
    steps: steps.map((step) => ({
      title: step.title,
      status: step.status ?? 'pending',
      worktree: step.worktree ?? null,
    })),
    note: note ?? null,
  });
}

/** The orchestrator's closing message. */
export function finalSummary(text: string): ScriptedMessageItem {
  return assistantMessage(text);
}

/** One orchestrator turn: the tool calls (run concurrently by the SDK) or message it answers with. */
export function orchestratorTurn(...items: ScriptedOutputItem[]): ScriptedReply;
/** The same, with the usage the turn reports and/or a delay before it answers. */
export function orchestratorTurn(
  options: { usage?: ScriptedUsage; delayMs?: number },
  ...items: ScriptedOutputItem[]
): ScriptedReply;
export function orchestratorTurn(...args: unknown[]): ScriptedReply {
  const first = args[0] as { type?: unknown } | undefined;
  const options =
    first !== undefined && first.type === undefined
      ? (args.shift() as { usage?: ScriptedUsage; delayMs?: number })
      : {};
  return { type: 'reply', output: args as ScriptedOutputItem[], ...options };
}

/** A review verdict as the review agent answers it (JSON matching the reviewer's output type). */
export function reviewVerdict(
  verdict: 'approve' | 'request-changes',
  summary = verdict === 'approve' ? 'Looks good.' : 'Changes needed.',
  comments: Array<{ file?: string; line?: number; comment: string }> = [],
): ScriptedMessageItem {
  return assistantMessage(
    JSON.stringify({
      verdict,
      summary,
      comments: comments.map((entry) => ({
        file: entry.file ?? null,
        line: entry.line ?? null,
        comment: entry.comment,
      })),
    }),
  );
}

/** A bash command that writes files (quoted heredocs, so the text is taken literally). */
export function writeFilesCommand(files: Record<string, string>): string {
  return Object.entries(files)
    .map(([path, text]) => {
      const quoted = `'${path.replace(/'/g, `'\\''`)}'`;
      const directory = dirname(path);
      const makeDirectory = directory === '.' ? '' : `mkdir -p '${directory.replace(/'/g, `'\\''`)}' && `;
      return `${makeDirectory}cat > ${quoted} <<'SCENARIO_EOF'\n${text.endsWith('\n') ? text : `${text}\n`}SCENARIO_EOF`;
    })
    .join('\n');
}

/**
 * The two turns of a codex run that writes files, optionally runs a test command, and commits:
 * one shell call, then a final message.
 */
export function codexWrites(
  files: Record<string, string>,
  options: { commit?: string; test?: string; message?: string; delayMs?: number; usage?: ScriptedUsage } = {},
): ScriptedTurn[] {
  const steps = [writeFilesCommand(files)];
  if (options.test !== undefined) steps.push(options.test);
  if (options.commit !== undefined)
    steps.push(`git add -A && git commit -q -m ${JSON.stringify(options.commit)}`);
  return [
    {
      type: 'reply',
      output: [execCommand(steps.join('\n'))],
      ...(options.delayMs === undefined ? {} : { delayMs: options.delayMs }),
    },
    {
      type: 'reply',
      output: [
        assistantMessage(
          options.message ??
            `Done: wrote ${Object.keys(files).join(', ')}${options.commit ? ' and committed' : ''}.`,
        ),
      ],
      ...(options.usage === undefined ? {} : { usage: options.usage }),
    },
  ];
}

/** Options of `createOrchestratorScenario`. */
export interface OrchestratorScenarioOptions {
  /** Files of the initial commit of main (default: a README and a `test.sh` that passes). */
  files?: Record<string, string>;
}

/** A ready scenario; see `createOrchestratorScenario`. */
export interface OrchestratorScenario {
  server: ScriptedModelServer;
  codexHome: CodexHome;
  /** Real path of the base dir holding `main` (and the task worktrees the run creates). */
  baseDir: string;
  mainPath: string;
  /** Audit log of the run (inside the scenario's temp dir). */
  auditLogPath: string;
  /** Options for `runOrchestrator` that point everything at the scenario (review off by default). */
  options: {
    baseDir: string;
    baseURL: string;
    apiKey: string;
    auditLogPath: string;
    review: 'off';
    pruneWorktrees: false;
    codex: { codexHome: string; env: Record<string, string> };
  };
  /** Runs git in a worktree of the scenario (default `main`) and returns stdout. */
  git(args: string[], worktree?: string): Promise<string>;
  /** Adds the orchestrator's script (matched by its instructions). */
  orchestrator(turns: ScriptedTurn[]): ScriptedModelScriptHandle;
  /** Adds a codex run's script, taken by the codex session whose prompt contains `match`. */
  codex(match: string, turns: ScriptedTurn[]): ScriptedModelScriptHandle;
  /** Adds the reviewer: `decide` answers each review (it sees the request, e.g. the branch name). */
  reviewer(decide: (request: RecordedModelRequest) => ScriptedMessageItem): ScriptedModelScriptHandle;
  /** Requests the orchestrator sent, in order. */
  orchestratorRequests(): RecordedModelRequest[];
  /** Stops the server and deletes the temp dirs. */
  close(): Promise<void>;
}

const identity = {
  GIT_AUTHOR_NAME: 'Scenario',
  GIT_AUTHOR_EMAIL: 'scenario@example.com',
  GIT_COMMITTER_NAME: 'Scenario',
  GIT_COMMITTER_EMAIL: 'scenario@example.com',
};

/**
 * Creates a scenario: a scripted model server on 127.0.0.1, a CODEX_HOME for it, and a git
 * repository `<baseDir>/main` with one commit (user name and email configured, so codex and
 * merges can commit).
 *
 * @example
 * const scenario = await createOrchestratorScenario();
 * scenario.orchestrator([orchestratorTurn(repoCommand('main', 'git status')), orchestratorTurn(finalSummary('ok'))]);
 * const report = await runOrchestrator('Check the repo', scenario.options).report;
 * await scenario.close();
 */
export async function createOrchestratorScenario(
  options: OrchestratorScenarioOptions = {},
): Promise<OrchestratorScenario> {
  const root = await realpath(await mkdtemp(join(tmpdir(), 'orchestrator-scenario-')));
  const baseDir = join(root, 'work');
  const mainPath = join(baseDir, 'main');
  await mkdir(mainPath, { recursive: true });
  const git = async (args: string[], worktree = 'main') =>
    (await execa('git', args, { cwd: join(baseDir, worktree), env: identity, stdin: 'ignore' })).stdout;
  await git(['init', '--quiet', '--initial-branch=main']);
  await git(['config', 'user.name', 'Scenario']);
  await git(['config', 'user.email', 'scenario@example.com']);
  const files = options.files ?? { 'README.md': '# scenario\n', 'test.sh': 'echo "all tests passed"\n' };
  for (const [path, text] of Object.entries(files)) {
    await mkdir(dirname(join(mainPath, path)), { recursive: true });
    await writeFile(join(mainPath, path), text);
  }
  await git(['add', '-A']);
  await git(['commit', '--quiet', '-m', 'initial']);

  const server = await createScriptedModelServer();
  // /tmp is a writable root of codex's sandbox by default; excluding it keeps the sandbox as
  // strict as for a repository under a home directory.
  const codexHome = await createCodexHome(server, {
    directory: join(root, 'codex-home'),
    extraConfig: '[sandbox_workspace_write]\nexclude_slash_tmp = true\nexclude_tmpdir_env_var = true\n',
  });
  const auditLogPath = join(root, 'run_repo_command.log');
  const codexSessions = (request: RecordedModelRequest) => request.headers['session-id'] !== undefined;

  return {
    server,
    codexHome,
    baseDir,
    mainPath,
    auditLogPath,
    options: {
      baseDir,
      baseURL: server.baseURL,
      apiKey: scriptedModelApiKey,
      auditLogPath,
      review: 'off',
      pruneWorktrees: false,
      codex: { codexHome: codexHome.path, env: { ...codexHome.env } },
    },
    git,
    orchestrator: (turns) => server.addScript({ name: 'orchestrator', match: isOrchestratorRequest, turns }),
    codex: (match, turns) =>
      server.addScript({
        name: `codex ${match}`,
        match: (request) => codexSessions(request) && request.text.includes(match),
        turns,
      }),
    reviewer: (decide) =>
      server.addScript({
        name: 'reviewer',
        match: isReviewerRequest,
        reuse: true,
        turns: [(request) => [decide(request)]],
      }),
    orchestratorRequests: () => server.requests.filter(isOrchestratorRequest),
    async close() {
      await server.close();
      await rm(root, { recursive: true, force: true });
    },
  };
}
