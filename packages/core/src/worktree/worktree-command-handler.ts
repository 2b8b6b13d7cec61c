import { realpathSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { errorMessage } from '../shared/error-message.js';
import type { CommandHandler, CommandInvocation, RunRepoCommandResult } from '../types.js';
import { type WorktreeManager, worktreeNameFor } from './worktree-manager.js';

const usage =
  'use `git worktree add [-b <branch>] ../task-<name> [<base>]` or `git worktree remove [--force] ../task-<name>`';

type Parsed =
  | { action: 'add'; name: string; branch?: string; base?: string }
  | { action: 'remove'; name: string; force: boolean }
  | { error: string };

function targetName(path: string, cwd: string, baseDir: string): string | undefined {
  const absolute = resolve(cwd, path);
  if (dirname(absolute) !== baseDir) return undefined;
  const name = absolute.slice(baseDir.length + 1);
  return name.startsWith('task-') ? name : undefined;
}

function parse(argv: string[], cwd: string, baseDir: string): Parsed {
  const [, , action, ...rest] = argv;
  const positional: string[] = [];
  let branch: string | undefined;
  let force = false;
  for (let index = 0; index < rest.length; index++) {
    const argument = rest[index] as string;
    if (action === 'add' && argument === '-b') {
      branch = rest[++index];
      if (branch === undefined) return { error: 'option -b needs a branch name' };
    } else if (
      action === 'add' &&
      (argument === '--no-track' || argument === '-q' || argument === '--quiet')
    ) {
      // Accepted: new branches never track, and the output is ours anyway.
    } else if (action === 'remove' && (argument === '--force' || argument === '-f')) {
      force = true;
    } else if (argument.startsWith('-')) {
      return { error: `option ${argument} is not supported here` };
    } else positional.push(argument);
  }
  const [path, base, extra] = positional;
  if (path === undefined || extra !== undefined || (action === 'remove' && base !== undefined)) {
    return { error: 'wrong number of arguments' };
  }
  const name = targetName(path, cwd, baseDir);
  if (!name)
    return { error: `${JSON.stringify(path)} is not a task-<name> directory directly in ${baseDir}` };
  if (action === 'remove') return { action, name, force };
  if (worktreeNameFor(name) !== name) {
    return { error: `worktree names are task-<lower-case-slug>, such as ${worktreeNameFor(name)}` };
  }
  return { action: 'add', name, ...(branch ? { branch } : {}), ...(base ? { base } : {}) };
}

const result = (status: 'ok' | 'failed', stdout: string, reason?: string): RunRepoCommandResult => ({
  status,
  exitCode: status === 'ok' ? 0 : 1,
  stdout,
  stderr: '',
  truncated: false,
  durationMs: 0,
  ...(reason ? { reason } : {}),
});

/**
 * A command handler that routes `git worktree add` and `git worktree remove`, sent by the model
 * through run_repo_command from any worktree, to the worktree manager, so they are serialised
 * with every other metadata change (no `.git/config.lock` collisions) and get the setup hook.
 * Accepted forms: `git worktree add [-b <branch>] ../task-<name> [<base>]` and
 * `git worktree remove [--force] ../task-<name>`; other options are refused with a reason.
 */
export function createWorktreeCommandHandler(manager: WorktreeManager): CommandHandler {
  return {
    name: 'worktree',
    matches(invocation: CommandInvocation) {
      const [command, subcommand, action] = invocation.argv;
      if (command !== 'git' || subcommand !== 'worktree' || (action !== 'add' && action !== 'remove'))
        return false;
      return realpathSync(invocation.context.baseDir) === manager.baseDir;
    },
    async run(invocation, { signal }) {
      const parsed = parse(invocation.argv, invocation.cwd, manager.baseDir);
      if ('error' in parsed) return result('failed', '', `${parsed.error}: ${usage}`);
      const taskId = invocation.context.taskId;
      try {
        if (parsed.action === 'remove') {
          const removed = await manager.remove(parsed.name, {
            force: parsed.force,
            signal,
            ...(taskId ? { taskId } : {}),
          });
          return result(
            'ok',
            `Removed worktree ${removed.name} (${removed.path}); branch ${removed.branch ?? '(none)'} is kept.\n`,
          );
        }
        const created = await manager.create(parsed.name, {
          signal,
          ...(parsed.branch ? { branch: parsed.branch } : {}),
          ...(parsed.base ? { base: parsed.base } : {}),
          ...(taskId ? { taskId } : {}),
        });
        const what = created.reused
          ? `Worktree ${created.name} already exists at ${created.path} on branch ${created.branch}; reusing it.`
          : `Created worktree ${created.name} at ${created.path} on new branch ${created.branch} from ${created.base}.`;
        if (created.setup && !created.setup.ok) {
          return result(
            'failed',
            `${what}\nSetup output:\n${created.setup.output}\n`,
            `the worktree was created but its setup command failed (${created.setup.error}); the worktree is kept`,
          );
        }
        return result('ok', `${what}\n`);
      } catch (error) {
        return result('failed', '', errorMessage(error));
      }
    },
  };
}
