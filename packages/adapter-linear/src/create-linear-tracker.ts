import { ConfigurationError } from '@codex-orchestrator/core';
import {
  type TrackerCallOptions,
  type TrackerCandidates,
  type TrackerClient,
  type TrackerComment,
  TrackerError,
  type TrackerIssue,
  type TrackerIssueRef,
  type TrackerStatus,
  type TrackerTrigger,
} from '@codex-orchestrator/core/service';
import {
  commentCreateDocument,
  commentUpdateDocument,
  issueCommentsDocument,
  issueDocument,
  issueHistoryDocument,
  issuesDocument,
  issueUpdateDocument,
  labelsDocument,
  teamStatesDocument,
  viewerDocument,
} from './linear-documents.js';
import { createLinearGraphql, type LinearGraphql } from './linear-graphql.js';
import { createLinearPeople } from './linear-people.js';
import type { LinearTrackerSettings } from './linear-tracker-settings.js';

/** The Linear fields of an issue the adapter reads back (ids of its state, team, labels...). */
export interface LinearIssueDetails {
  teamId: string;
  teamKey: string;
  stateId: string;
  stateName: string;
  /** triage, backlog, unstarted, started, completed, canceled or duplicate. */
  stateType: string;
  assigneeId?: string;
  projectId?: string;
  projectName?: string;
  labelIds: string[];
}

/** A Linear issue as a `TrackerIssue`, with its Linear details. `author` is the creator's user id. */
export interface LinearTrackerIssue extends TrackerIssue {
  linear: LinearIssueDetails;
}

/** The Linear `TrackerClient`, plus what tests and benchmarks read. */
export interface LinearTracker extends TrackerClient {
  readonly kind: 'linear';
  /** Requests sent so far. */
  readonly requestCount: number;
}

interface IssueNode {
  id: string;
  identifier: string;
  title: string;
  description: string | null;
  url: string;
  updatedAt: string;
  creator: { id: string } | null;
  assignee: { id: string } | null;
  state: { id: string; name: string; type: string };
  team: { id: string; key: string };
  project: { id: string; name: string } | null;
  labels: { nodes: Array<{ id: string; name: string }> };
}

interface CommentNode {
  id: string;
  body: string;
  createdAt: string;
  user: { id: string } | null;
}

interface Page<T> {
  nodes: T[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

/** Linear's finished state types (a duplicate is closed as one). */
const closedTypes = new Set(['completed', 'canceled', 'duplicate']);
const maxPages = 200;

/** Codes of the configuration errors `createLinearTracker` throws. */
export type LinearConfigurationErrorCode = 'linear-api-key-missing' | 'linear-scope-missing';

/**
 * A `TrackerClient` for Linear: issues of the configured teams or projects that carry the trigger
 * label (and match the assignee and state filters) are candidates; an issue is eligible only when
 * an allowed person created it or applied the label (read from the issue's history). Claim moves
 * the issue to "In Progress" and assigns it to the API key's user; done and needs-review move it
 * to their states; a failure adds the failure label. Polls ask only for issues updated since the
 * cursor (Linear's own `updatedAt`), one request per page; rate limits become `TrackerError`s
 * with the wait Linear asked for. Give it to core's `createTrackerSync`.
 *
 * @example
 * const sync = createTrackerSync({
 *   client: createLinearTracker({ teams: ['ENG'], allowed: { users: ['alice@example.com'] } }),
 *   projects: { ENG: 'shop' },
 * });
 */
export function createLinearTracker(settings: LinearTrackerSettings = {}): LinearTracker {
  const apiKey = settings.apiKey ?? process.env.LINEAR_API_KEY;
  if (apiKey === undefined || apiKey.trim() === '') {
    throw new ConfigurationError<LinearConfigurationErrorCode>(
      'No Linear API key: set LINEAR_API_KEY or the apiKey setting (Linear: Settings > Security & access > Personal API keys)',
      { code: 'linear-api-key-missing' },
    );
  }
  const teams = settings.teams ?? [];
  const projects = settings.projects ?? [];
  if (teams.length === 0 && projects.length === 0) {
    throw new ConfigurationError<LinearConfigurationErrorCode>(
      'Linear tracker: name at least one team key (teams: ["ENG"]) or project',
      {
        code: 'linear-scope-missing',
      },
    );
  }
  const label = settings.label === undefined ? 'orchestrator' : settings.label;
  const workflow = {
    inProgress: settings.workflow?.inProgress ?? 'In Progress',
    done: settings.workflow?.done ?? 'Done',
    needsReview: settings.workflow?.needsReview ?? 'In Review',
    todo: settings.workflow?.todo ?? 'Todo',
  };
  const failureLabel = settings.failureLabel ?? 'orchestrator-failed';
  const pageSize = Math.min(250, Math.max(1, settings.pageSize ?? 50));
  const graphql: LinearGraphql = createLinearGraphql({
    apiKey,
    ...(settings.apiUrl === undefined ? {} : { apiUrl: settings.apiUrl }),
    ...(settings.reserveRequests === undefined ? {} : { reserveRequests: settings.reserveRequests }),
  });
  const people = createLinearPeople(graphql, settings);
  const stateCache = new Map<string, Array<{ id: string; name: string; type: string }>>();
  const labelCache = new Map<string, Array<{ id: string; teamId?: string }>>();
  let viewer: Promise<{ id: string }> | undefined;
  /** Comments read with an issue, reused by the `listComments` that follows (our writes drop them). */
  const recentComments = new Map<string, { at: number; page: Page<CommentNode> }>();
  const commentsReuseMs = 5_000;

  const viewerId = async (signal?: AbortSignal) => {
    viewer ??= graphql
      .request<{ viewer: { id: string } }>(viewerDocument, {}, signal)
      .then((data) => data.viewer)
      .catch((error: unknown) => {
        viewer = undefined;
        throw error;
      });
    return (await viewer).id;
  };

  const assigneeId = async (signal?: AbortSignal): Promise<string | undefined> => {
    if (settings.assignee === undefined) return undefined;
    if (settings.assignee === 'me') return viewerId(signal);
    return (await people.resolve(settings.assignee, signal)) ?? settings.assignee;
  };

  const toIssue = (node: IssueNode): LinearTrackerIssue => {
    const container =
      node.project && projects.includes(node.project.name) ? node.project.name : node.team.key;
    const details: LinearIssueDetails = {
      teamId: node.team.id,
      teamKey: node.team.key,
      stateId: node.state.id,
      stateName: node.state.name,
      stateType: node.state.type,
      labelIds: node.labels.nodes.map((each) => each.id),
    };
    if (node.assignee) details.assigneeId = node.assignee.id;
    if (node.project) {
      details.projectId = node.project.id;
      details.projectName = node.project.name;
    }
    return {
      key: node.identifier,
      container,
      id: node.id,
      title: node.title,
      body: node.description ?? '',
      url: node.url,
      state: closedTypes.has(node.state.type) ? 'closed' : 'open',
      labels: node.labels.nodes.map((each) => each.name),
      assignees: node.assignee ? [node.assignee.id] : [],
      author: node.creator?.id ?? '',
      updatedAt: node.updatedAt,
      linear: details,
    };
  };

  const baseFilter = async (signal?: AbortSignal): Promise<Record<string, unknown>> => {
    const and: Array<Record<string, unknown>> = [{ state: { type: { nin: [...closedTypes] } } }];
    const scope: Array<Record<string, unknown>> = [];
    if (teams.length > 0) scope.push({ team: { key: { in: teams } } });
    if (projects.length > 0) scope.push({ project: { name: { in: projects } } });
    and.push(scope.length === 1 ? (scope[0] as Record<string, unknown>) : { or: scope });
    if (label !== null) and.push({ labels: { some: { name: { eq: label } } } });
    const assignee = await assigneeId(signal);
    if (assignee !== undefined) and.push({ assignee: { id: { eq: assignee } } });
    return { and };
  };

  const paginate = async <T>(fetchPage: (after: string | undefined) => Promise<Page<T>>): Promise<T[]> => {
    const all: T[] = [];
    let after: string | undefined;
    for (let page = 0; page < maxPages; page += 1) {
      const result = await fetchPage(after);
      all.push(...result.nodes);
      if (!result.pageInfo.hasNextPage || result.pageInfo.endCursor === null) return all;
      after = result.pageInfo.endCursor;
    }
    return all;
  };

  const statesOf = async (teamKey: string, signal?: AbortSignal) => {
    const cached = stateCache.get(teamKey);
    if (cached) return cached;
    const data = await graphql.request<{
      teams: { nodes: Array<{ states: { nodes: Array<{ id: string; name: string; type: string }> } }> };
    }>(teamStatesDocument, { key: teamKey }, signal);
    const states = data.teams.nodes[0]?.states.nodes ?? [];
    stateCache.set(teamKey, states);
    return states;
  };

  const stateId = async (issue: LinearTrackerIssue, name: string, signal?: AbortSignal) => {
    const state = (await statesOf(issue.linear.teamKey, signal)).find((each) => each.name === name);
    if (state === undefined) {
      throw new TrackerError(
        `Linear team ${issue.linear.teamKey} has no workflow state "${name}"; create it or set workflow.* in the linear tracker config`,
        { code: 'tracker-not-found' },
      );
    }
    return state.id;
  };

  const labelIds = async (name: string, signal?: AbortSignal) => {
    const cached = labelCache.get(name);
    if (cached) return cached;
    const data = await graphql.request<{
      issueLabels: { nodes: Array<{ id: string; name: string; team: { id: string } | null }> };
    }>(labelsDocument, { name }, signal);
    const found = data.issueLabels.nodes.map((each) =>
      each.team ? { id: each.id, teamId: each.team.id } : { id: each.id },
    );
    labelCache.set(name, found);
    return found;
  };

  const labelFor = async (issue: LinearTrackerIssue, name: string, signal?: AbortSignal) => {
    const candidates = await labelIds(name, signal);
    const label =
      candidates.find((each) => each.teamId === issue.linear.teamId) ??
      candidates.find((each) => each.teamId === undefined);
    if (label === undefined) {
      labelCache.delete(name);
      throw new TrackerError(
        `Linear has no label "${name}" usable in team ${issue.linear.teamKey}; create it (a workspace label) or set failureLabel`,
        { code: 'tracker-not-found' },
      );
    }
    return label.id;
  };

  const fetchIssue = async (id: string, signal?: AbortSignal): Promise<LinearTrackerIssue | undefined> => {
    try {
      const data = await graphql.request<{ issue: IssueNode & { comments: Page<CommentNode> } }>(
        issueDocument,
        { id },
        signal,
      );
      recentComments.set(data.issue.id, { at: Date.now(), page: data.issue.comments });
      return toIssue(data.issue);
    } catch (error) {
      if (error instanceof TrackerError && error.code === 'tracker-not-found') return undefined;
      throw error;
    }
  };

  const asLinear = async (issue: TrackerIssue | TrackerIssueRef, signal?: AbortSignal) => {
    if ('linear' in issue) return issue as LinearTrackerIssue;
    const fetched = await fetchIssue(issue.id, signal);
    if (fetched === undefined) {
      throw new TrackerError(`Linear issue ${issue.key} is gone (deleted, or the API key cannot see it)`, {
        code: 'tracker-not-found',
      });
    }
    return fetched;
  };

  return {
    kind: 'linear',
    get requestCount() {
      return graphql.requestCount;
    },

    async listCandidates(options): Promise<TrackerCandidates> {
      const filter = await baseFilter(options.signal);
      if (options.cursor !== undefined) {
        (filter.and as unknown[]).push({ updatedAt: { gte: options.cursor } });
      }
      const nodes = await paginate<IssueNode>(async (after) => {
        const data = await graphql.request<{ issues: Page<IssueNode> }>(
          issuesDocument,
          { filter, first: pageSize, ...(after === undefined ? {} : { after }) },
          options.signal,
        );
        return data.issues;
      });
      const issues = nodes.map(toIssue);
      const newest = issues.reduce<string | undefined>(
        (latest, issue) => (latest === undefined || issue.updatedAt > latest ? issue.updatedAt : latest),
        options.cursor,
      );
      return { issues, notModified: false, ...(newest === undefined ? {} : { cursor: newest }) };
    },

    getIssue(ref, options: TrackerCallOptions = {}) {
      return fetchIssue(ref.id, options.signal);
    },

    matchesFilter(issue) {
      const linear = (issue as LinearTrackerIssue).linear;
      if (linear === undefined) return false;
      if (linear.stateType === 'canceled' || linear.stateType === 'duplicate') return false;
      const inScope =
        (teams.length > 0 && teams.includes(linear.teamKey)) ||
        (projects.length > 0 && linear.projectName !== undefined && projects.includes(linear.projectName));
      if (!inScope) return false;
      if (label !== null && !issue.labels.includes(label)) return false;
      if (settings.states !== undefined) {
        const ours = [workflow.inProgress, workflow.done, workflow.needsReview];
        if (!settings.states.includes(linear.stateName) && !ours.includes(linear.stateName)) return false;
      }
      return true;
    },

    async checkTrigger(issue, options: TrackerCallOptions = {}): Promise<TrackerTrigger> {
      const linear = await asLinear(issue, options.signal);
      let by = linear.author;
      let how = 'created it';
      if (label !== null) {
        const triggerIds = new Set((await labelIds(label, options.signal)).map((each) => each.id));
        const history = await paginate<{
          createdAt: string;
          actor: { id: string } | null;
          addedLabelIds: string[] | null;
        }>(async (after) => {
          const data = await graphql.request<{
            issue: {
              history: Page<{
                createdAt: string;
                actor: { id: string } | null;
                addedLabelIds: string[] | null;
              }>;
            };
          }>(
            issueHistoryDocument,
            { id: linear.id, ...(after === undefined ? {} : { after }) },
            options.signal,
          );
          return data.issue.history;
        });
        const labelled = history
          .filter((entry) => entry.addedLabelIds?.some((id) => triggerIds.has(id)))
          .sort((a, b) => b.createdAt.localeCompare(a.createdAt))[0];
        if (labelled) {
          // The person who applied the label is the one who asked for the run.
          by = labelled.actor?.id ?? '';
          how = `applied the "${label}" label`;
        }
      }
      if (by === '') {
        return {
          allowed: false,
          by: 'unknown',
          reason: `no person ${how} (an integration or a deleted user)`,
        };
      }
      const allowed = await people.isAllowed(by, options.signal);
      return {
        allowed,
        by,
        reason: allowed ? `an allowed person ${how}` : `the person who ${how} is not allowed to start runs`,
      };
    },

    isAllowed(person, _container, options: TrackerCallOptions = {}) {
      return people.isAllowed(person, options.signal);
    },

    async setStatus(ref, status: TrackerStatus, options: TrackerCallOptions = {}) {
      const issue = await fetchIssue(ref.id, options.signal);
      if (issue === undefined) {
        throw new TrackerError(`Linear issue ${ref.key} is gone; nothing to update`, {
          code: 'tracker-not-found',
        });
      }
      const input: Record<string, unknown> = {};
      const me = await viewerId(options.signal);
      const moveTo = async (name: string) => {
        const id = await stateId(issue, name, options.signal);
        if (id !== issue.linear.stateId) input.stateId = id;
      };
      if (status === 'claimed') {
        if (!closedTypes.has(issue.linear.stateType)) await moveTo(workflow.inProgress);
        if (settings.assignOnClaim !== false && issue.linear.assigneeId !== me) input.assigneeId = me;
      } else if (status === 'done') {
        await moveTo(workflow.done);
      } else if (status === 'needs-review') {
        await moveTo(workflow.needsReview);
      } else if (status === 'failed') {
        const failure = await labelFor(issue, failureLabel, options.signal);
        if (!issue.linear.labelIds.includes(failure)) input.addedLabelIds = [failure];
      } else if (status === 'cancelled') {
        // Undo our claim, unless a person already moved the issue on (cancelled or completed it).
        if (issue.linear.stateName === workflow.inProgress) await moveTo(workflow.todo);
        if (issue.linear.assigneeId === me) input.assigneeId = null;
      }
      if (Object.keys(input).length === 0) return;
      await graphql.request(issueUpdateDocument, { id: issue.id, input }, options.signal);
    },

    async createComment(ref, body, options: TrackerCallOptions = {}) {
      recentComments.delete(ref.id);
      const data = await graphql.request<{ commentCreate: { comment: { id: string } } }>(
        commentCreateDocument,
        { input: { issueId: ref.id, body } },
        options.signal,
      );
      return { id: data.commentCreate.comment.id };
    },

    async updateComment(ref, commentId, body, options: TrackerCallOptions = {}) {
      recentComments.delete(ref.id);
      await graphql.request(commentUpdateDocument, { id: commentId, input: { body } }, options.signal);
    },

    async listComments(
      ref,
      options: TrackerCallOptions & { since?: string } = {},
    ): Promise<TrackerComment[]> {
      const me = await viewerId(options.signal);
      const recent = recentComments.get(ref.id);
      recentComments.delete(ref.id);
      const reuse =
        recent !== undefined && Date.now() - recent.at < commentsReuseMs ? recent.page : undefined;
      let first = reuse;
      const nodes = await paginate<CommentNode>(async (after) => {
        if (first !== undefined) {
          const page = first;
          first = undefined;
          return page;
        }
        const data = await graphql.request<{ issue: { comments: Page<CommentNode> } }>(
          issueCommentsDocument,
          { id: ref.id, ...(after === undefined ? {} : { after }) },
          options.signal,
        );
        return data.issue.comments;
      });
      return nodes
        .filter((node) => options.since === undefined || node.createdAt > options.since)
        .sort((a, b) => a.createdAt.localeCompare(b.createdAt))
        .map((node) => ({
          id: node.id,
          author: node.user?.id ?? '',
          body: node.body,
          own: node.user?.id === me,
          createdAt: node.createdAt,
        }));
    },
  };
}
