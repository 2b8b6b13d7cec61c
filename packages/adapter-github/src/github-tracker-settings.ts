import { ConfigurationError, type Logger } from '@codex-orchestrator/core';

/** Labels the adapter sets for each status (omit one to set none). */
export interface GitHubStatusLabels {
  /** While queued or running (default `orchestrator:in-progress`). */
  inProgress?: string;
  /** When every branch merged (default `orchestrator:done`). */
  done?: string;
  /** When some or no branch merged (default `orchestrator:needs-review`). */
  needsReview?: string;
  /** When the run failed (default `orchestrator:failed`); the issue stays open. */
  failed?: string;
}

/** Settings of `createGitHubTracker`. */
export interface GitHubTrackerSettings {
  /** Repositories to watch, `owner/name`. */
  repositories: readonly string[];
  /** The token (fine-grained: Issues read and write, Metadata read). Default: env `GITHUB_TOKEN`. */
  token?: string;
  /** Labels an issue must all have to become a task (default `['orchestrator']`). */
  labels?: readonly string[];
  /** Also require this assignee (a login). */
  assignee?: string;
  /** Logins allowed to start runs and decide approvals, besides collaborators. */
  allowedUsers?: readonly string[];
  /**
   * The least collaborator permission that allows a person (default `write`); `false` allows only
   * `allowedUsers`.
   */
  collaborators?: 'triage' | 'write' | 'maintain' | 'admin' | false;
  statusLabels?: GitHubStatusLabels;
  /** Close the issue (as completed) when every branch merged (default true). */
  closeOnDone?: boolean;
  /** Assign the token's user when claiming (default true). */
  assignSelf?: boolean;
  /** The login of the token's user, when `GET /user` is not allowed (a GitHub App token). */
  login?: string;
  /** API base URL (default `https://api.github.com`; GitHub Enterprise: `https://HOST/api/v3`). */
  baseUrl?: string;
  /** Send conditional requests with ETags (default true). */
  conditionalRequests?: boolean;
  /** How long a permission lookup is trusted (default 10 minutes). */
  permissionCacheMs?: number;
  logger?: Logger;
  env?: NodeJS.ProcessEnv;
  /** Replaces `fetch` (tests, proxies). */
  fetch?: typeof globalThis.fetch;
}

const repositoryPattern = /^[A-Za-z0-9][A-Za-z0-9-]{0,38}\/[A-Za-z0-9._-]{1,100}$/;

/** Codes of the configuration errors of the GitHub tracker's settings. */
export type GitHubConfigurationErrorCode =
  | 'github-token-missing'
  | 'github-no-repositories'
  | 'github-bad-repository'
  | 'github-empty-filter';

/** Settings with defaults filled in and checked; throws `ConfigurationError` naming the fix. */
export function resolveGitHubTrackerSettings(settings: GitHubTrackerSettings) {
  const env = settings.env ?? process.env;
  const token = settings.token ?? env.GITHUB_TOKEN;
  if (!token)
    throw new ConfigurationError<GitHubConfigurationErrorCode>(
      'No GitHub token: pass `token` or set GITHUB_TOKEN (a fine-grained token with Issues: read and write)',
      { code: 'github-token-missing' },
    );
  if (settings.repositories.length === 0)
    throw new ConfigurationError<GitHubConfigurationErrorCode>(
      'No repositories to watch: pass `repositories: ["owner/name"]`',
      {
        code: 'github-no-repositories',
      },
    );
  for (const repository of settings.repositories)
    if (!repositoryPattern.test(repository))
      throw new ConfigurationError<GitHubConfigurationErrorCode>(
        `Not a repository: "${repository}" (write it as "owner/name")`,
        {
          code: 'github-bad-repository',
        },
      );
  const labels = [...(settings.labels ?? ['orchestrator'])];
  if (labels.length === 0 && settings.assignee === undefined)
    throw new ConfigurationError<GitHubConfigurationErrorCode>(
      'The GitHub filter is empty: set `labels` (e.g. ["orchestrator"]) or `assignee`, or every open issue would be a task',
      { code: 'github-empty-filter' },
    );
  const defaults: GitHubStatusLabels = {
    inProgress: 'orchestrator:in-progress',
    done: 'orchestrator:done',
    needsReview: 'orchestrator:needs-review',
    failed: 'orchestrator:failed',
  };
  return {
    token,
    repositories: [...settings.repositories],
    labels,
    assignee: settings.assignee,
    allowedUsers: new Set((settings.allowedUsers ?? []).map((login) => login.toLowerCase())),
    collaborators: settings.collaborators ?? ('write' as const),
    statusLabels: { ...defaults, ...settings.statusLabels },
    closeOnDone: settings.closeOnDone ?? true,
    assignSelf: settings.assignSelf ?? true,
    login: settings.login,
    baseUrl: (settings.baseUrl ?? 'https://api.github.com').replace(/\/+$/, ''),
    conditionalRequests: settings.conditionalRequests ?? true,
    permissionCacheMs: settings.permissionCacheMs ?? 10 * 60_000,
  };
}
