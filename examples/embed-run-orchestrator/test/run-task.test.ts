import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import {
  addFilePatch,
  applyPatch,
  assistantMessage,
  type CodexHome,
  createCodexHome,
  createScriptedModelServer,
  execCommand,
  functionCall,
  type ScriptedModelServer,
  scriptedModelApiKey,
} from '@codex-orchestrator/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runTask } from '../src/run-task.js';

// The embedding runs offline: a scripted model server plays the orchestrator's turns and
// codex's, while git, the codex binary and the Agents SDK are real.
const execFileAsync = promisify(execFile);
const git = (cwd: string, ...args: string[]) =>
  execFileAsync('git', args, { cwd }).then((result) => result.stdout);
const run = (worktree: string, command: string) => functionCall('run_repo_command', { worktree, command });

describe('runTask (embedding runOrchestrator)', () => {
  let baseDir: string;
  let server: ScriptedModelServer;
  let codexHome: CodexHome;

  beforeAll(async () => {
    baseDir = await mkdtemp(join(tmpdir(), 'embed-example-'));
    const main = join(baseDir, 'main');
    await mkdir(main);
    await writeFile(join(main, 'README.md'), '# shop\n');
    await git(main, 'init', '-q', '--initial-branch=main');
    await git(main, 'config', 'user.name', 'Example');
    await git(main, 'config', 'user.email', 'example@example.invalid');
    await git(main, 'add', '-A');
    await git(main, 'commit', '-q', '-m', 'init');

    server = await createScriptedModelServer();
    server.addScript({
      name: 'orchestrator',
      match: (request) => request.headers.originator !== 'codex_exec',
      turns: [
        [run('main', 'git worktree add ../task-greet main')],
        [
          run(
            'task-greet',
            "codex exec --sandbox workspace-write 'Add greet.js exporting greet(name); commit it.'",
          ),
        ],
        [run('main', 'git merge --no-ff task-greet')],
        [assistantMessage('Merged task-greet: greet.js added.')],
      ],
    });
    server.addScript({
      name: 'codex',
      match: (request) => request.headers.originator === 'codex_exec',
      turns: [
        [applyPatch(addFilePatch('greet.js', "export const greet = (name) => 'Hello, ' + name;\n"))],
        [execCommand("git add -A && git commit -q -m 'Add greet'")],
        [assistantMessage('Added greet.js and committed.')],
      ],
    });
    codexHome = await createCodexHome(server);
  });

  afterAll(async () => {
    await server.close();
    await codexHome.remove();
    await rm(baseDir, { recursive: true, force: true });
  });

  it('follows the event stream to a merged result and returns the report', async () => {
    const lines: string[] = [];
    const result = await runTask('Add a greet util', {
      baseDir,
      baseURL: server.baseURL,
      apiKey: scriptedModelApiKey,
      model: 'scripted',
      review: 'off',
      codex: { codexHome: codexHome.path, env: codexHome.env, model: codexHome.model },
      auditLogPath: join(baseDir, 'run_repo_command.log'),
      onLine: (line) => lines.push(line),
    });

    expect(result.report.status).toBe('completed');
    expect(result.mergedBranches).toEqual(['task-greet']);
    expect(lines[0]).toMatch(/^run run-\S+ started on main at [0-9a-f]{7}$/);
    expect(lines).toContain('task-greet: codex completed, 1 file(s) changed');
    expect(lines).toContain('main: task-greet merged');
    expect(lines.at(-1)).toMatch(/^run completed; main at [0-9a-f]{7}$/);
    expect(result.markdown).toContain('# Orchestrator report: completed');
    // Topological order: commits made within one second would otherwise come in either order.
    expect(await git(join(baseDir, 'main'), 'log', '--topo-order', '--format=%s', '-3')).toMatch(
      /^Merge .*task-greet.*\nAdd greet\ninit\n$/,
    );
    server.assertComplete();
  });
});
