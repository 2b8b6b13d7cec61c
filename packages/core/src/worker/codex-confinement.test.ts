import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { assistantMessage, execCommand } from '../testing/scripted-model-turns.js';
import { type CodexTestSetup, createCodexTestSetup } from './codex-setup.fixture.js';
import { createCodexWorker } from './codex-worker.js';
import { formatWorkerSummary } from './format-worker-summary.js';
import { createGitFixture, type GitFixture } from './git-repository.fixture.js';
import { readRolloutCommands } from './rollout-commands.js';

let setup: CodexTestSetup | undefined;
let fixture: GitFixture | undefined;
let fakeHome: string | undefined;
const realHome = process.env.HOME;
afterEach(async () => {
  await setup?.close();
  await fixture?.remove();
  setup = undefined;
  fixture = undefined;
});
afterAll(async () => {
  process.env.HOME = realHome;
  if (fakeHome !== undefined) await rm(fakeHome, { recursive: true, force: true });
});

/** A fake home with a private key, so the real ~/.ssh is never touched. */
async function useFakeHome(): Promise<string> {
  fakeHome = await mkdtemp(join(tmpdir(), 'fake-home-'));
  await mkdir(join(fakeHome, '.ssh'));
  await writeFile(join(fakeHome, '.ssh', 'id_rsa'), 'FAKE-PRIVATE-KEY-MATERIAL\n');
  await writeFile(join(fakeHome, '.netrc'), 'machine example.com password NETRC-SECRET\n');
  process.env.HOME = fakeHome;
  return fakeHome;
}

describe('codex inside the orchestrator sandbox', () => {
  it('hides secret paths and the API key from the commands codex runs, while codex reaches its model', async () => {
    const home = await useFakeHome();
    setup = await createCodexTestSetup();
    fixture = await createGitFixture();
    const keyName = 'SCRIPTED_API_KEY';
    expect(keyName).toBeDefined();
    const script = [
      'echo CONTROL-RAN',
      `cat ${home}/.ssh/id_rsa; echo "ssh=$?"`,
      `cat ${home}/.netrc; echo "netrc=$?"`,
      `echo "key=[\${${keyName}:-}]"`,
      'env | grep -c _API_KEY; true',
    ].join('; ');
    setup.server.addScript({
      turns: [
        [execCommand(script)],
        (request) => [assistantMessage(request.toolOutputs.at(-1)?.output ?? '')],
      ],
    });
    const worker = createCodexWorker({
      codexHome: setup.home.path,
      env: setup.home.env,
      sandbox: 'workspace-write',
    });
    const result = await worker.run({ worktree: 'main', cwd: fixture.main, prompt: 'look around' });

    expect(result.status).toBe('completed');
    expect(result.finalMessage).toContain('CONTROL-RAN');
    expect(result.finalMessage).not.toContain('FAKE-PRIVATE-KEY-MATERIAL');
    expect(result.finalMessage).not.toContain('NETRC-SECRET');
    expect(result.finalMessage).toMatch(/ssh=1/);
    expect(result.finalMessage).toContain('key=[]');
    expect(result.finalMessage).not.toContain(setup.home.env.SCRIPTED_API_KEY);
  }, 60000);

  it("reports a refused git push in the summary the orchestrator model reads, not just 'completed (exit 0)'", async () => {
    setup = await createCodexTestSetup();
    fixture = await createGitFixture();
    const worktree = await fixture.addWorktree('task-refused');
    setup.server.addScript({
      turns: [[execCommand('git push origin HEAD:main')], [assistantMessage('pushed, I think')]],
    });
    const worker = createCodexWorker({
      codexHome: setup.home.path,
      env: setup.home.env,
      sandbox: 'danger-full-access',
    });
    const result = await worker.run({ worktree: 'task-refused', cwd: worktree, prompt: 'push' });

    expect(result.status).toBe('completed');
    expect(result.refusals?.join('\n')).toMatch(/^push refused: `git push origin HEAD:main`/);
    const summary = formatWorkerSummary('codex', result);
    expect(summary.split('\n')[0]).toMatch(/completed \(exit 0, .*\); 1 command\(s\) refused or denied/);
    expect(summary).toMatch(
      /refused \(1\):\n {2}push refused: `git push origin HEAD:main` \(.*pushing is disabled for this task/,
    );
  }, 60000);

  // Codex 0.169 can leave the denied command out of its --json stream (openai/codex#47433: an
  // early sandbox denial in unified exec skips the item; timing-dependent, about 1 run in 2 after
  // another codex run in the same process). The refusal is then read from codex's session file.
  it('reports a write the sandbox denied', async () => {
    setup = await createCodexTestSetup();
    fixture = await createGitFixture();
    const outside = await mkdtemp(join(tmpdir(), 'outside-'));
    try {
      setup.server.addScript({
        turns: [[execCommand(`echo x > ${outside}/escaped.txt`)], [assistantMessage('done')]],
      });
      const worker = createCodexWorker({
        codexHome: setup.home.path,
        env: setup.home.env,
        sandbox: 'workspace-write',
      });
      const result = await worker.run({ worktree: 'main', cwd: fixture.main, prompt: 'write' });
      expect(result.refusals?.join('\n')).toMatch(
        /^sandbox denied: `echo x > .*escaped\.txt` \(.*(Read-only file system|Permission denied)/,
      );
      // The session file of the installed codex has the shape the fallback reads.
      const recorded = await readRolloutCommands(setup.home.path, result.threadId ?? '');
      expect(recorded).toEqual([
        expect.objectContaining({ command: `echo x > ${outside}/escaped.txt`, exitCode: 1 }),
      ]);
    } finally {
      await rm(outside, { recursive: true, force: true });
    }
  }, 60000);
});
