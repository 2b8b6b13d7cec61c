import type {
  RecordedModelRequest,
  ScriptedModelServer,
  ScriptedOutputItem,
  ScriptedTurn,
} from '@codex-orchestrator/core/testing';
import { applyPatch, assistantMessage, execCommand, functionCall } from '@codex-orchestrator/core/testing';
import { addFilesPatch, type DemoSubtask, demoSubtasks } from './demo-files.js';

/** The opening words of core's orchestrator and reviewer instructions: how their requests are told apart. */
const orchestratorMarker = 'You are the senior engineer and team lead';
const reviewerMarker = 'You are the code reviewer';

const isCodex = (request: RecordedModelRequest) => request.headers.originator === 'codex_exec';

const run = (worktree: string, command: string, callId: string): ScriptedOutputItem =>
  functionCall('run_repo_command', { worktree, command }, { callId });

const plan = (status: (step: number) => 'pending' | 'in-progress' | 'done'): ScriptedOutputItem =>
  functionCall('update_plan', {
    steps: [
      ...demoSubtasks.map((subtask, index) => ({
        title: `${subtask.commitMessage} (codex, in ${subtask.worktree})`,
        status: status(index),
        worktree: subtask.worktree,
      })),
      {
        title: 'Merge both branches one at a time and run the tests in main',
        status: status(demoSubtasks.length),
        worktree: null,
      },
    ],
    note: null,
  });

/** The codex prompt as the orchestrator sends it: single-quoted for the shell (prompts have no `'`). */
export const codexCommand = (subtask: DemoSubtask) =>
  `codex exec --sandbox workspace-write '${subtask.prompt}'`;

/** The orchestrator's closing message, written from the merge results it actually received. */
function closingSummary(request: RecordedModelRequest): ScriptedOutputItem[] {
  const lines = demoSubtasks.map((subtask) => {
    const output =
      request.toolOutputs.find((tool) => tool.callId === `merge-${subtask.worktree}`)?.output ?? '';
    const merged = output.startsWith('status: ok') && /Merged /.test(output);
    return `- ${subtask.worktree}: ${merged ? 'merged into main' : `NOT merged (${output.split('\n').slice(0, 2).join(' ')})`}`;
  });
  const tests = request.toolOutputs.find((tool) => tool.callId === 'test-main')?.output ?? '';
  return [
    assistantMessage(
      [
        'Done. Two subtasks ran in parallel, each in its own worktree, written and committed by codex:',
        ...lines,
        `Tests in main after the merges: ${tests.startsWith('status: ok') ? 'passing' : 'FAILING, see the report'}.`,
      ].join('\n'),
    ),
  ];
}

/** The orchestrator's turns: look, plan, create worktrees, run codex twice in parallel, check, merge, test. */
function orchestratorTurns(): ScriptedTurn[] {
  return [
    [run('main', 'git log --oneline -5', 'look-log'), run('main', 'cat package.json', 'look-package')],
    [
      plan(() => 'pending'),
      ...demoSubtasks.map((subtask) =>
        run('main', `git worktree add ../${subtask.worktree} main`, `add-${subtask.worktree}`),
      ),
    ],
    [
      plan((step) => (step < demoSubtasks.length ? 'in-progress' : 'pending')),
      ...demoSubtasks.map((subtask) =>
        run(subtask.worktree, codexCommand(subtask), `codex-${subtask.worktree}`),
      ),
    ],
    demoSubtasks.flatMap((subtask) => [
      run(subtask.worktree, 'git log --oneline main..HEAD', `log-${subtask.worktree}`),
      run(subtask.worktree, 'npm test', `test-${subtask.worktree}`),
    ]),
    demoSubtasks.map((subtask) =>
      run('main', `git merge --no-ff ${subtask.worktree}`, `merge-${subtask.worktree}`),
    ),
    [
      plan(() => 'done'),
      run('main', 'npm test', 'test-main'),
      run('main', 'git log --oneline --graph -8', 'graph-main'),
    ],
    closingSummary,
  ];
}

/** Codex's turns in one worktree: add the files with apply_patch, run the tests, commit, report. */
function codexTurns(subtask: DemoSubtask): ScriptedTurn[] {
  return [
    [applyPatch(addFilesPatch(subtask.files))],
    [execCommand('node --test')],
    [execCommand(`git add -A && git commit -q -m '${subtask.commitMessage}'`)],
    [assistantMessage(`Added ${Object.keys(subtask.files).join(' and ')}; node --test passes; committed.`)],
  ];
}

/** The review agent's verdict, decided from the test log it is shown. */
function reviewTurn(request: RecordedModelRequest): ScriptedOutputItem[] {
  const branch = /Branch: (task-[a-z0-9-]+)/.exec(request.text)?.[1] ?? 'the branch';
  const testsPass = /# fail 0\b/.test(request.text);
  const verdict = testsPass
    ? {
        verdict: 'approve',
        summary: `${branch} adds one small util with tests, and the tests pass. Ready to merge.`,
        comments: [],
      }
    : {
        verdict: 'request-changes',
        summary: `No passing test run is known for ${branch}.`,
        comments: [
          { file: null, line: null, comment: 'Run node --test in the worktree and fix what fails.' },
        ],
      };
  return [assistantMessage(JSON.stringify(verdict))];
}

/**
 * Loads the demo's scripts into a scripted model server: one for the orchestrator agent, one per
 * codex run (keyed by its prompt), and a reusable one for the review agent.
 */
export function addDemoScripts(server: Pick<ScriptedModelServer, 'addScript'>): void {
  server.addScript({
    name: 'orchestrator',
    match: (request) => !isCodex(request) && request.text.includes(orchestratorMarker),
    turns: orchestratorTurns(),
  });
  for (const subtask of demoSubtasks) {
    const fileName = Object.keys(subtask.files)[0] as string;
    server.addScript({
      name: `codex ${subtask.worktree}`,
      match: (request) => isCodex(request) && request.text.includes(fileName),
      turns: codexTurns(subtask),
    });
  }
  server.addScript({
    name: 'reviewer',
    match: (request) => !isCodex(request) && request.text.includes(reviewerMarker),
    turns: [reviewTurn],
    reuse: true,
  });
}
