import { noPushEnv } from '../exec/no-push-env.js';

// Variables that would point git at another repository than the worktree it runs in (set, for
// example, when the orchestrator itself runs from a git hook).
const repositoryLocationVariables = [
  'GIT_DIR',
  'GIT_WORK_TREE',
  'GIT_INDEX_FILE',
  'GIT_COMMON_DIR',
  'GIT_OBJECT_DIRECTORY',
  'GIT_ALTERNATE_OBJECT_DIRECTORIES',
  'GIT_NAMESPACE',
  'GIT_PREFIX',
];

/** Options of `createCommandEnv`. */
export interface CommandEnvOptions {
  /** The environment to start from (default `process.env`). */
  base?: NodeJS.ProcessEnv;
  /** Names removed from it (secrets a plain command does not need). */
  remove?: readonly string[];
  /** Names added on top (e.g. `ROOT`, `WORKTREE` for a setup hook). */
  extra?: Record<string, string>;
}

/**
 * The environment of every process run_repo_command and the worktree manager start: the base
 * environment without variables that redirect git to another repository, without the given secret
 * names, non-interactive (`GIT_TERMINAL_PROMPT=0`), and with pushing made impossible (`noPushEnv`).
 */
export function createCommandEnv(options: CommandEnvOptions = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...(options.base ?? process.env) };
  for (const name of repositoryLocationVariables) delete env[name];
  for (const name of options.remove ?? []) delete env[name];
  Object.assign(env, { GIT_TERMINAL_PROMPT: '0' }, options.extra);
  return noPushEnv(env);
}
