import { afterEach, describe, expect, it } from 'vitest';
import { assistantMessage, execCommand } from '../testing/scripted-model-turns.js';
import type { SandboxMode } from '../types.js';
import { type CodexTestSetup, createCodexTestSetup } from './codex-setup.fixture.js';
import { createCodexWorker } from './codex-worker.js';
import { createGitFixture, type GitFixture } from './git-repository.fixture.js';

let setup: CodexTestSetup | undefined;
let fixture: GitFixture | undefined;
afterEach(async () => {
  await setup?.close();
  await fixture?.remove();
  setup = undefined;
  fixture = undefined;
});

describe('a codex worker told to push', () => {
  it.each<SandboxMode>(['danger-full-access', 'workspace-write'])(
    'cannot push from %s: the bare origin refs are unchanged',
    async (sandbox) => {
      setup = await createCodexTestSetup();
      fixture = await createGitFixture();
      const worktree = await fixture.addWorktree('task-push');
      await fixture.git(worktree, 'commit', '-q', '--allow-empty', '-m', 'work to push');
      // A remote with an explicit pushurl: git does not apply pushInsteadOf to it.
      await fixture.git(fixture.main, 'remote', 'add', 'mirror', fixture.origin);
      await fixture.git(fixture.main, 'config', 'remote.mirror.pushurl', fixture.origin);
      const refsBefore = await fixture.originRefs();
      const attempts = [
        'git push origin HEAD:main',
        `git push ${fixture.origin} HEAD:refs/heads/by-path`,
        `git push file://${fixture.origin} HEAD:refs/heads/by-url`,
        'git push mirror HEAD:refs/heads/by-pushurl',
        `git send-pack ${fixture.origin} HEAD:refs/heads/by-send-pack`,
      ];
      const script = attempts.map((attempt) => `${attempt}; echo "exit=$?"`).join('; ');
      setup.server.addScript({
        turns: [
          [execCommand(script)],
          (request) => [assistantMessage(request.toolOutputs.at(-1)?.output ?? '')],
        ],
      });
      const worker = createCodexWorker({ codexHome: setup.home.path, env: setup.home.env, sandbox });
      const result = await worker.run({ worktree: 'task-push', cwd: worktree, prompt: 'push your work' });

      expect(result.commands).toHaveLength(1);
      const exits = [...result.finalMessage.matchAll(/exit=(\d+)/g)].map((match) => Number(match[1]));
      expect(exits).toHaveLength(attempts.length);
      expect(exits.every((exit) => exit !== 0)).toBe(true);
      if (sandbox === 'danger-full-access') {
        // Without a sandbox, the environment is what stops every attempt.
        expect(result.finalMessage).toMatch(/codex-orchestrator: pushing is disabled for this task/);
      }
      expect(await fixture.originRefs()).toBe(refsBefore);
      // Fetching still works in the same environment.
      expect(await fixture.git(worktree, 'fetch', 'origin')).toBe('');
    },
    60000,
  );
});
