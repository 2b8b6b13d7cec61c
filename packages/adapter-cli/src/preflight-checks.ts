import { runGit } from '@codex-orchestrator/core/building-blocks';
import { CliError } from './cli-error.js';

// Checks run before the first model call. Each failure is a CliError of one line: what is wrong,
// with the offending value, and the command that fixes it. Nothing here changes the repository.

interface GitOutput {
  code: number;
  stdout: string;
}

/**
 * Git in main through core's one git call: hooks and `core.fsmonitor` off, so a `git status` here
 * never runs code a crashed run's codex may have planted in the repository's config.
 */
async function git(args: string[], cwd: string, env: Record<string, string | undefined>): Promise<GitOutput> {
  try {
    const result = await runGit(args, {
      cwd,
      env: { ...env, GIT_TERMINAL_PROMPT: '0', LC_ALL: 'C' } as NodeJS.ProcessEnv,
    });
    return { code: result.exitCode, stdout: result.stdout };
  } catch {
    return { code: 1, stdout: '' };
  }
}

/**
 * Main must be clean and on its default branch: merges land there, and a user's uncommitted
 * work in main is never moved, stashed or overwritten, so the run refuses up front instead of
 * spending tokens on work it could not merge.
 */
export async function checkMainReady(main: string, env: Record<string, string | undefined>): Promise<string> {
  const head = await git(['symbolic-ref', '--short', '-q', 'HEAD'], main, env);
  const branch = head.stdout.trim();
  if (head.code !== 0 || branch === '') {
    throw new CliError(
      `${main} is not on a branch (detached HEAD): check out your default branch first (git -C ${main} switch main).`,
      { code: 'main-not-ready' },
    );
  }
  const defaultBranch = await findDefaultBranch(main, env);
  if (defaultBranch !== undefined && branch !== defaultBranch) {
    throw new CliError(
      `${main} is on branch ${branch}, not ${defaultBranch}: the orchestrator merges into the checked-out branch of main/, so switch first (git -C ${main} switch ${defaultBranch}).`,
      { code: 'main-not-ready' },
    );
  }
  for (const marker of ['MERGE_HEAD', 'REBASE_HEAD', 'CHERRY_PICK_HEAD', 'REVERT_HEAD']) {
    if ((await git(['rev-parse', '-q', '--verify', marker], main, env)).code === 0) {
      throw new CliError(
        `${main} is in the middle of a ${marker.replace('_HEAD', '').toLowerCase().replace('_', '-')}: finish or abort it first (git -C ${main} status).`,
        { code: 'main-not-ready' },
      );
    }
  }
  const status = await git(['status', '--porcelain', '--untracked-files=normal'], main, env);
  const changes = status.stdout.split('\n').filter((line) => line.trim() !== '');
  if (changes.length > 0) {
    const listed = changes
      .slice(0, 3)
      .map((line) => line.trim())
      .join(', ');
    throw new CliError(
      `${main} has uncommitted changes (${listed}${changes.length > 3 ? `, and ${changes.length - 3} more` : ''}): commit or stash them yourself first (git -C ${main} status); the orchestrator never moves your uncommitted work.`,
      { code: 'main-dirty' },
    );
  }
  return branch;
}

/** `origin/HEAD`'s branch when the clone knows it, else main/master when only one exists. */
async function findDefaultBranch(
  main: string,
  env: Record<string, string | undefined>,
): Promise<string | undefined> {
  const remoteHead = await git(['symbolic-ref', '--short', '-q', 'refs/remotes/origin/HEAD'], main, env);
  if (remoteHead.code === 0 && remoteHead.stdout.trim().startsWith('origin/')) {
    return remoteHead.stdout.trim().slice('origin/'.length);
  }
  const locals = await git(
    ['for-each-ref', '--format=%(refname:short)', 'refs/heads/main', 'refs/heads/master'],
    main,
    env,
  );
  const names = locals.stdout.split('\n').filter((name) => name !== '');
  return names.length === 1 ? names[0] : undefined;
}

/** Merge commits need an author: `user.name` and `user.email` from git config or the environment. */
export async function checkGitIdentity(main: string, env: Record<string, string | undefined>): Promise<void> {
  const missing: string[] = [];
  for (const [key, variable] of [
    ['user.name', 'GIT_COMMITTER_NAME'],
    ['user.email', 'GIT_COMMITTER_EMAIL'],
  ] as const) {
    if (env[variable]?.trim()) continue;
    const value = await git(['config', '--get', key], main, env);
    if (value.code !== 0 || value.stdout.trim() === '') missing.push(key);
  }
  if (missing.length > 0) {
    throw new CliError(
      `git has no ${missing.join(' and ')} for commits in ${main}: set them (git config --global user.name "Your Name"; git config --global user.email you@example.com).`,
      { code: 'git-identity-missing' },
    );
  }
}

/**
 * Checks that an OpenAI-compatible endpoint answers, without spending tokens: `GET <base>/models`
 * (any HTTP answer counts as reachable; 401/403 means the key was refused). Fails in at most
 * `timeoutMs` with the URL and the reason.
 */
export async function probeEndpoint(input: {
  who: 'orchestrator' | 'codex';
  baseURL: string;
  apiKey?: string;
  timeoutMs?: number;
  fetch?: typeof fetch;
}): Promise<void> {
  const url = `${input.baseURL.replace(/\/+$/, '')}/models`;
  const fix =
    input.who === 'orchestrator'
      ? 'start the server, or fix --base-url / OPENAI_BASE_URL'
      : 'start the server, or fix "codex.baseURL" in the config file';
  let response: Response;
  try {
    response = await (input.fetch ?? fetch)(url, {
      headers: input.apiKey === undefined ? {} : { authorization: `Bearer ${input.apiKey}` },
      signal: AbortSignal.timeout(input.timeoutMs ?? 5000),
    });
    await response.body?.cancel();
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    const reason =
      (error as Error).name === 'TimeoutError'
        ? `no answer within ${Math.round((input.timeoutMs ?? 5000) / 1000)} s`
        : (cause?.code ?? cause?.message ?? (error as Error).message);
    throw new CliError(
      `Cannot reach the ${input.who}'s model endpoint ${input.baseURL} (${reason}): ${fix}.`,
      {
        code: 'endpoint-unreachable',
        cause: error,
      },
    );
  }
  if (response.status === 401 || response.status === 403) {
    throw new CliError(
      `The ${input.who}'s model endpoint ${input.baseURL} refused the API key (HTTP ${response.status}): check OPENAI_API_KEY.`,
      { code: 'endpoint-unauthorized' },
    );
  }
}
