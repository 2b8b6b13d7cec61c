import type { Logger } from '@codex-orchestrator/core';
import type {
  TrackerCallOptions,
  TrackerClient,
  TrackerComment,
  TrackerIssue,
  TrackerIssueRef,
  TrackerStatus,
} from '@codex-orchestrator/core/service';
import { Octokit } from '@octokit/rest';
import { type ConditionalFetchStats, createConditionalFetch } from './conditional-fetch.js';
import { toTrackerError } from './github-request-errors.js';
import { type GitHubTrackerSettings, resolveGitHubTrackerSettings } from './github-tracker-settings.js';

/** A GitHub `TrackerClient`, with its request counters. */
export interface GitHubTracker extends TrackerClient {
  readonly kind: 'github';
  /** Requests sent and 304s served from the ETag cache. */
  readonly stats: ConditionalFetchStats;
}

const permissionRank = ['none', 'read', 'triage', 'write', 'maintain', 'admin'];

interface RawIssue {
  number: number;
  title: string;
  body?: string | null;
  state: string;
  html_url: string;
  updated_at: string;
  labels: (string | { name?: string })[];
  assignees?: { login: string }[] | null;
  user: { login: string } | null;
  pull_request?: unknown;
}

/**
 * The GitHub Issues tracker for core's `createTrackerSync`: candidate issues of the configured
 * repositories (open, with every trigger label, and the assignee when one is set), on
 * `@octokit/rest` with every GET conditional (ETags: an unchanged answer is a free 304),
 * pagination through `Link`, and rate limits turned into `TrackerError`s carrying how long GitHub
 * asks us to wait (`Retry-After`, or the reset time when the hourly limit is spent). Statuses are
 * labels (and closing on done); people are allowed by the configured list or their collaborator
 * permission. The token stays inside: errors and logs name requests, never headers.
 *
 * @example
 * const tracker = createGitHubTracker({ repositories: ['octo/shop'], token: process.env.GITHUB_TOKEN });
 * const sync = createTrackerSync({ client: tracker, projects: { 'octo/shop': 'shop' } });
 */
export function createGitHubTracker(settings: GitHubTrackerSettings): GitHubTracker {
  const options = resolveGitHubTrackerSettings(settings);
  const conditional = createConditionalFetch({
    disabled: !options.conditionalRequests,
    ...(settings.fetch ? { fetch: settings.fetch } : {}),
  });
  const logger: Logger = settings.logger ?? { warn: () => undefined, error: () => undefined };
  const octokit = new Octokit({
    auth: options.token,
    baseUrl: options.baseUrl,
    userAgent: 'codex-orchestrator-adapter-github',
    request: { fetch: conditional.fetch },
    // Octokit's own log would print deprecation notices and request lines to the console.
    log: {
      debug: () => undefined,
      info: () => undefined,
      warn: (message: string) => logger.warn(`github: ${message}`),
      error: (message: string) => logger.error(`github: ${message}`),
    },
  });
  const permissions = new Map<string, { allowed: boolean; at: number }>();
  let ownLogin: Promise<string> | undefined =
    options.login === undefined ? undefined : Promise.resolve(options.login);

  const split = (container: string) => {
    const [owner = '', repo = ''] = container.split('/');
    return { owner, repo };
  };
  const locate = (ref: TrackerIssueRef) => ({ ...split(ref.container), issue_number: Number(ref.id) });
  async function call<T>(what: string, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      throw toTrackerError(error, what);
    }
  }
  const self = () => {
    ownLogin ??= call('GET /user', async () => (await octokit.rest.users.getAuthenticated()).data.login);
    ownLogin.catch(() => {
      ownLogin = options.login === undefined ? undefined : Promise.resolve(options.login);
    });
    return ownLogin;
  };

  const toIssue = (container: string, raw: RawIssue): TrackerIssue => ({
    key: `${container}#${raw.number}`,
    container,
    id: String(raw.number),
    title: raw.title,
    body: raw.body ?? '',
    url: raw.html_url,
    state: raw.state === 'open' ? 'open' : 'closed',
    labels: raw.labels.map((label) => (typeof label === 'string' ? label : (label.name ?? ''))),
    assignees: (raw.assignees ?? []).map((assignee) => assignee.login),
    author: raw.user?.login ?? '',
    updatedAt: raw.updated_at,
  });

  async function isAllowed(person: string, container: string, callOptions: TrackerCallOptions = {}) {
    const login = person.toLowerCase();
    if (login === '') return false;
    if (options.allowedUsers.has(login)) return true;
    if (options.collaborators === false) return false;
    const key = `${container.toLowerCase()}\0${login}`;
    const cached = permissions.get(key);
    if (cached && Date.now() - cached.at < options.permissionCacheMs) return cached.allowed;
    let permission = 'none';
    try {
      const { data } = await octokit.rest.repos.getCollaboratorPermissionLevel({
        ...split(container),
        username: person,
        request: { signal: callOptions.signal },
      });
      permission = data.permission;
    } catch (error) {
      const failure = toTrackerError(error, `GET the permission of a user on ${container}`);
      if (failure.code !== 'tracker-not-found') throw failure;
    }
    const allowed = permissionRank.indexOf(permission) >= permissionRank.indexOf(options.collaborators);
    permissions.set(key, { allowed, at: Date.now() });
    return allowed;
  }

  async function addLabels(ref: TrackerIssueRef, labels: string[], signal?: AbortSignal) {
    if (labels.length === 0) return;
    await call(`POST labels of ${ref.key}`, () =>
      octokit.rest.issues.addLabels({ ...locate(ref), labels, request: { signal } }),
    );
  }
  async function removeLabel(ref: TrackerIssueRef, name: string | undefined, signal?: AbortSignal) {
    if (name === undefined) return;
    try {
      await octokit.rest.issues.removeLabel({ ...locate(ref), name, request: { signal } });
    } catch (error) {
      const failure = toTrackerError(error, `DELETE a label of ${ref.key}`);
      if (failure.code !== 'tracker-not-found') throw failure; // absent already: done
    }
  }

  return {
    kind: 'github',
    stats: conditional.stats,
    async listCandidates({ signal }) {
      const issues: TrackerIssue[] = [];
      const before = conditional.stats.notModified;
      let sent = 0;
      for (const container of options.repositories) {
        const pages = octokit.paginate.iterator(octokit.rest.issues.listForRepo, {
          ...split(container),
          state: 'open',
          labels: options.labels.join(','),
          ...(options.assignee === undefined ? {} : { assignee: options.assignee }),
          per_page: 100,
          request: { signal },
        });
        await call(`GET issues of ${container}`, async () => {
          for await (const page of pages) {
            sent += 1;
            for (const raw of page.data as RawIssue[])
              if (raw.pull_request === undefined) issues.push(toIssue(container, raw));
          }
        });
      }
      return { issues, notModified: sent > 0 && conditional.stats.notModified - before === sent };
    },
    async getIssue(ref, callOptions = {}) {
      try {
        const { data } = await octokit.rest.issues.get({
          ...locate(ref),
          request: { signal: callOptions.signal },
        });
        return toIssue(ref.container, data as RawIssue);
      } catch (error) {
        const failure = toTrackerError(error, `GET ${ref.key}`);
        if (failure.code === 'tracker-not-found') return undefined;
        throw failure;
      }
    },
    matchesFilter(issue) {
      return (
        issue.state === 'open' &&
        options.labels.every((label) => issue.labels.includes(label)) &&
        (options.assignee === undefined ||
          issue.assignees.some((login) => login.toLowerCase() === options.assignee?.toLowerCase()))
      );
    },
    async checkTrigger(issue, callOptions = {}) {
      if (await isAllowed(issue.author, issue.container, callOptions))
        return { allowed: true, by: issue.author, reason: `opened by ${issue.author}, an allowed person` };
      // Not the author: who applied the trigger? The latest labelling (or assignment) counts.
      const events = await call(`GET events of ${issue.key}`, () =>
        octokit.paginate(octokit.rest.issues.listEvents, {
          ...locate(issue),
          per_page: 100,
          request: { signal: callOptions.signal },
        }),
      );
      const triggers = new Map<string, string>();
      for (const entry of events as {
        event: string;
        actor?: { login: string } | null;
        label?: { name: string };
      }[]) {
        if (
          entry.event === 'labeled' &&
          entry.label &&
          options.labels.includes(entry.label.name) &&
          entry.actor
        )
          triggers.set(`label:${entry.label.name}`, entry.actor.login);
        if (entry.event === 'assigned' && options.assignee !== undefined && entry.actor)
          triggers.set('assignee', entry.actor.login);
      }
      const actors = [...new Set(triggers.values())];
      if (actors.length === 0)
        return {
          allowed: false,
          by: issue.author,
          reason: `opened by ${issue.author}, who is not allowed to start runs`,
        };
      for (const actor of actors)
        if (!(await isAllowed(actor, issue.container, callOptions)))
          return {
            allowed: false,
            by: actor,
            reason: `opened by ${issue.author} and triggered by ${actor}; neither is allowed to start runs`,
          };
      return {
        allowed: true,
        by: actors.join(', '),
        reason: `triggered by ${actors.join(', ')}, allowed to start runs (opened by ${issue.author})`,
      };
    },
    isAllowed,
    async setStatus(ref, status: TrackerStatus, callOptions = {}) {
      const { signal } = callOptions;
      const labels = options.statusLabels;
      if (status === 'claimed') {
        await addLabels(ref, labels.inProgress === undefined ? [] : [labels.inProgress], signal);
        if (options.assignSelf) {
          const login = await self();
          await call(`POST assignees of ${ref.key}`, () =>
            octokit.rest.issues.addAssignees({ ...locate(ref), assignees: [login], request: { signal } }),
          );
        }
        return;
      }
      await removeLabel(ref, labels.inProgress, signal);
      const added =
        status === 'done'
          ? labels.done
          : status === 'needs-review'
            ? labels.needsReview
            : status === 'failed'
              ? labels.failed
              : undefined;
      await addLabels(ref, added === undefined ? [] : [added], signal);
      if (status === 'done' && options.closeOnDone)
        await call(`PATCH ${ref.key}`, () =>
          octokit.rest.issues.update({
            ...locate(ref),
            state: 'closed',
            state_reason: 'completed',
            request: { signal },
          }),
        );
    },
    async createComment(ref, body, callOptions = {}) {
      const { data } = await call(`POST a comment on ${ref.key}`, () =>
        octokit.rest.issues.createComment({ ...locate(ref), body, request: { signal: callOptions.signal } }),
      );
      return { id: String(data.id) };
    },
    async updateComment(ref, commentId, body, callOptions = {}) {
      await call(`PATCH a comment on ${ref.key}`, () =>
        octokit.rest.issues.updateComment({
          ...split(ref.container),
          comment_id: Number(commentId),
          body,
          request: { signal: callOptions.signal },
        }),
      );
    },
    async listComments(ref, callOptions = {}) {
      const login = (await self()).toLowerCase();
      const comments = await call(`GET comments of ${ref.key}`, () =>
        octokit.paginate(octokit.rest.issues.listComments, {
          ...locate(ref),
          per_page: 100,
          ...(callOptions.since === undefined ? {} : { since: callOptions.since }),
          request: { signal: callOptions.signal },
        }),
      );
      return comments.map(
        (comment): TrackerComment => ({
          id: String(comment.id),
          author: comment.user?.login ?? '',
          body: comment.body ?? '',
          own: (comment.user?.login ?? '').toLowerCase() === login,
          createdAt: comment.created_at,
        }),
      );
    },
  };
}
