import { randomUUID } from 'node:crypto';
import { GraphQLError } from 'graphql';
import type {
  FakeLinearCommentRecord,
  FakeLinearIssueRecord,
  FakeLinearUser,
  FakeLinearWorkspace,
} from './fake-linear-workspace.js';

/** The request's context: who the API key belongs to. */
export interface FakeLinearContext {
  viewerId: string;
}

type Args = Record<string, unknown>;
type Comparator = Record<string, unknown> | undefined;

const maxPageSize = 250;
const defaultPageSize = 50;

/** An error shaped like Linear's: a message and `extensions.type`/`code`. */
export function linearError(message: string, type: string, code: string): GraphQLError {
  return new GraphQLError(message, {
    extensions: { type, code, userError: true, userPresentableMessage: message },
  });
}

const invalidInput = (message: string) => linearError(message, 'invalid input', 'INVALID_INPUT');

function encodeCursor(id: string): string {
  return Buffer.from(id, 'utf8').toString('base64url');
}

function paginate<T extends { id: string }>(items: readonly T[], args: Args) {
  const first = args.first === undefined || args.first === null ? defaultPageSize : Number(args.first);
  if (!Number.isInteger(first) || first < 0 || first > maxPageSize) {
    throw invalidInput(`Argument "first" must be between 0 and ${maxPageSize}`);
  }
  let start = 0;
  if (typeof args.after === 'string') {
    const id = Buffer.from(args.after, 'base64url').toString('utf8');
    const index = items.findIndex((item) => item.id === id);
    if (index === -1) throw invalidInput('Invalid cursor in "after"');
    start = index + 1;
  }
  const nodes = items.slice(start, start + first);
  const last = nodes.at(-1);
  return {
    nodes,
    pageInfo: {
      hasNextPage: start + first < items.length,
      hasPreviousPage: start > 0,
      startCursor: nodes[0] ? encodeCursor(nodes[0].id) : null,
      endCursor: last ? encodeCursor(last.id) : null,
    },
  };
}

function matchString(value: string | undefined, comparator: Comparator): boolean {
  if (comparator === undefined || comparator === null) return true;
  const { eq, neq, in: inList, nin, eqIgnoreCase } = comparator as Record<string, unknown>;
  if (eq !== undefined && value !== eq) return false;
  if (neq !== undefined && value === neq) return false;
  if (Array.isArray(inList) && (value === undefined || !inList.includes(value))) return false;
  if (Array.isArray(nin) && value !== undefined && nin.includes(value)) return false;
  if (typeof eqIgnoreCase === 'string' && value?.toLowerCase() !== eqIgnoreCase.toLowerCase()) return false;
  return true;
}

function matchBoolean(value: boolean, comparator: Comparator): boolean {
  if (comparator === undefined || comparator === null) return true;
  if (comparator.eq !== undefined && value !== comparator.eq) return false;
  if (comparator.neq !== undefined && value === comparator.neq) return false;
  return true;
}

function matchDate(value: string | undefined, comparator: Comparator): boolean {
  if (comparator === undefined || comparator === null) return true;
  if (value === undefined) return false;
  const time = Date.parse(value);
  const at = (key: string) => Date.parse(String(comparator[key]));
  if (comparator.eq !== undefined && time !== at('eq')) return false;
  if (comparator.gt !== undefined && !(time > at('gt'))) return false;
  if (comparator.gte !== undefined && !(time >= at('gte'))) return false;
  if (comparator.lt !== undefined && !(time < at('lt'))) return false;
  if (comparator.lte !== undefined && !(time <= at('lte'))) return false;
  return true;
}

/** Resolvers over a workspace, in graphql-js's root-value style. */
export function createFakeLinearRoot(workspace: FakeLinearWorkspace) {
  const userView = (user: FakeLinearUser | undefined, context?: FakeLinearContext) =>
    user === undefined ? null : { ...user, isMe: context?.viewerId === user.id };
  const userById = (id: string | undefined, context: FakeLinearContext) =>
    id === undefined ? null : userView(workspace.users.get(id), context);

  const teamView = (id: string) => {
    const team = workspace.teams.get(id);
    if (team === undefined) throw invalidInput('Entity not found: Team');
    return {
      ...team,
      states: (args: Args) =>
        paginate(
          [...workspace.states.values()]
            .filter((state) => state.teamId === id)
            .sort((a, b) => a.position - b.position)
            .map(stateView),
          args,
        ),
      labels: (args: Args) =>
        paginate(
          [...workspace.labels.values()]
            .filter((label) => label.teamId === undefined || label.teamId === id)
            .map(labelView),
          args,
        ),
    };
  };
  const stateView = (state: {
    id: string;
    teamId: string;
    name: string;
    type: string;
    position: number;
  }) => ({
    ...state,
    team: () => teamView(state.teamId),
  });
  const labelView = (label: { id: string; name: string; teamId?: string }) => ({
    ...label,
    team: () => (label.teamId === undefined ? null : teamView(label.teamId)),
  });
  const stateById = (id: string | undefined) => {
    const state = id === undefined ? undefined : workspace.states.get(id);
    return state === undefined ? null : stateView(state);
  };

  const commentView = (comment: FakeLinearCommentRecord) => ({
    ...comment,
    editedAt: comment.editedAt ?? null,
    user: (_args: Args, context: FakeLinearContext) => userById(comment.userId, context),
    issue: () => issueView(workspace.getIssue(comment.issueId)),
  });

  const issueView = (issue: FakeLinearIssueRecord) => {
    const team = workspace.teams.get(issue.teamId);
    return {
      ...issue,
      description: issue.description ?? null,
      canceledAt: issue.canceledAt ?? null,
      completedAt: issue.completedAt ?? null,
      archivedAt: null,
      url: `https://linear.app/${workspace.organization.urlKey}/issue/${issue.identifier}`,
      creator: (_args: Args, context: FakeLinearContext) => userById(issue.creatorId, context),
      assignee: (_args: Args, context: FakeLinearContext) => userById(issue.assigneeId, context),
      state: () => stateById(issue.stateId),
      team: () => teamView(team?.id ?? issue.teamId),
      project: () => {
        const project = issue.projectId === undefined ? undefined : workspace.projects.get(issue.projectId);
        return project ?? null;
      },
      labels: (args: Args) =>
        paginate(
          issue.labelIds.flatMap((id) => {
            const label = workspace.labels.get(id);
            return label ? [labelView(label)] : [];
          }),
          args,
        ),
      comments: (args: Args) => paginate(workspace.commentsOf(issue.id).map(commentView), args),
      history: (args: Args) =>
        paginate(
          workspace.history
            .filter((entry) => entry.issueId === issue.id)
            .map((entry) => ({
              ...entry,
              addedLabelIds: entry.addedLabelIds ?? null,
              removedLabelIds: entry.removedLabelIds ?? null,
              actor: (_args: Args, context: FakeLinearContext) => userById(entry.actorId, context),
              fromState: () => stateById(entry.fromStateId),
              toState: () => stateById(entry.toStateId),
            })),
          args,
        ),
    };
  };

  const matchTeam = (teamId: string, filter: Comparator): boolean => {
    if (filter === undefined || filter === null) return true;
    const team = workspace.teams.get(teamId);
    return (
      matchString(teamId, filter.id as Comparator) &&
      matchString(team?.key, filter.key as Comparator) &&
      matchString(team?.name, filter.name as Comparator)
    );
  };
  const matchState = (stateId: string, filter: Comparator): boolean => {
    if (filter === undefined || filter === null) return true;
    const state = workspace.states.get(stateId);
    if (state === undefined) return false;
    return (
      matchString(state.id, filter.id as Comparator) &&
      matchString(state.name, filter.name as Comparator) &&
      matchString(state.type, filter.type as Comparator) &&
      matchTeam(state.teamId, filter.team as Comparator)
    );
  };
  const matchLabel = (labelId: string, filter: Comparator): boolean => {
    const label = workspace.labels.get(labelId);
    if (label === undefined) return false;
    const team = filter?.team as Comparator;
    if (team) {
      if (team.null === true && label.teamId !== undefined) return false;
      if (team.null === false && label.teamId === undefined) return false;
      if ((team.id || team.key) && (label.teamId === undefined || !matchTeam(label.teamId, team)))
        return false;
    }
    return (
      matchString(label.id, filter?.id as Comparator) && matchString(label.name, filter?.name as Comparator)
    );
  };
  const matchUser = (userId: string | undefined, filter: Comparator, context: FakeLinearContext) => {
    if (filter === undefined || filter === null) return true;
    if (filter.null === true) return userId === undefined;
    if (filter.null === false && userId === undefined) return false;
    if (userId === undefined) return false;
    const user = workspace.users.get(userId);
    return (
      matchString(userId, filter.id as Comparator) &&
      matchString(user?.email, filter.email as Comparator) &&
      matchBoolean(context.viewerId === userId, filter.isMe as Comparator)
    );
  };
  const matchIssue = (
    issue: FakeLinearIssueRecord,
    filter: Comparator,
    context: FakeLinearContext,
  ): boolean => {
    if (filter === undefined || filter === null) return true;
    if (!matchString(issue.id, filter.id as Comparator)) return false;
    if (!matchTeam(issue.teamId, filter.team as Comparator)) return false;
    if (!matchState(issue.stateId, filter.state as Comparator)) return false;
    if (!matchUser(issue.assigneeId, filter.assignee as Comparator, context)) return false;
    if (!matchUser(issue.creatorId, filter.creator as Comparator, context)) return false;
    if (!matchDate(issue.createdAt, filter.createdAt as Comparator)) return false;
    if (!matchDate(issue.updatedAt, filter.updatedAt as Comparator)) return false;
    const project = filter.project as Comparator;
    if (project) {
      if (project.null === true && issue.projectId !== undefined) return false;
      if (project.null === false && issue.projectId === undefined) return false;
      if (project.id !== undefined && !matchString(issue.projectId, project.id as Comparator)) return false;
      if (project.name !== undefined) {
        const name = issue.projectId ? workspace.projects.get(issue.projectId)?.name : undefined;
        if (!matchString(name, project.name as Comparator)) return false;
      }
    }
    const labels = filter.labels as Comparator;
    if (labels) {
      const direct = { id: labels.id, name: labels.name } as Comparator;
      if ((labels.id || labels.name) && !issue.labelIds.some((id) => matchLabel(id, direct))) return false;
      if (labels.some && !issue.labelIds.some((id) => matchLabel(id, labels.some as Comparator)))
        return false;
      if (labels.every && !issue.labelIds.every((id) => matchLabel(id, labels.every as Comparator)))
        return false;
    }
    if (Array.isArray(filter.and) && !filter.and.every((each) => matchIssue(issue, each, context)))
      return false;
    if (Array.isArray(filter.or) && !filter.or.some((each) => matchIssue(issue, each, context))) return false;
    return true;
  };

  const issueOrThrow = (id: string) => {
    try {
      return workspace.getIssue(id);
    } catch {
      throw invalidInput('Entity not found: Issue');
    }
  };
  const payloadIssue = (issue: FakeLinearIssueRecord) => ({
    success: true,
    lastSyncId: Date.now(),
    issue: issueView(issue),
  });

  return {
    viewer: (_args: Args, context: FakeLinearContext) => userById(context.viewerId, context),
    organization: (_args: Args, context: FakeLinearContext) => ({
      ...workspace.organization,
      users: (args: Args) =>
        paginate(
          [...workspace.users.values()]
            .filter((user) => args.includeDisabled === true || user.active)
            .map((user) => userView(user, context) as FakeLinearUser),
          args,
        ),
    }),
    users: (args: Args, context: FakeLinearContext) => {
      const filter = args.filter as Comparator;
      return paginate(
        [...workspace.users.values()]
          .filter((user) => args.includeDisabled === true || user.active)
          .filter(
            (user) =>
              matchString(user.id, filter?.id as Comparator) &&
              matchString(user.email, filter?.email as Comparator) &&
              matchBoolean(user.admin, filter?.admin as Comparator) &&
              matchBoolean(user.active, filter?.active as Comparator),
          )
          .map((user) => userView(user, context) as FakeLinearUser),
        args,
      );
    },
    teams: (args: Args) =>
      paginate(
        [...workspace.teams.keys()].filter((id) => matchTeam(id, args.filter as Comparator)).map(teamView),
        args,
      ),
    team: (args: Args) => {
      const team = [...workspace.teams.values()].find((each) => each.id === args.id || each.key === args.id);
      if (team === undefined) throw invalidInput('Entity not found: Team');
      return teamView(team.id);
    },
    issue: (args: Args) => issueView(issueOrThrow(String(args.id))),
    issues: (args: Args, context: FakeLinearContext) => {
      const key = args.orderBy === 'updatedAt' ? 'updatedAt' : 'createdAt';
      const matching = [...workspace.issues.values()]
        .filter((issue) => matchIssue(issue, args.filter as Comparator, context))
        .sort((a, b) => b[key].localeCompare(a[key]) || b.id.localeCompare(a.id));
      return paginate(matching.map(issueView), args);
    },
    workflowStates: (args: Args) =>
      paginate(
        [...workspace.states.values()]
          .filter((state) => matchState(state.id, args.filter as Comparator))
          .sort((a, b) => a.position - b.position)
          .map(stateView),
        args,
      ),
    issueLabels: (args: Args) =>
      paginate(
        [...workspace.labels.values()]
          .filter((label) => matchLabel(label.id, args.filter as Comparator))
          .map(labelView),
        args,
      ),

    issueUpdate: (args: Args, context: FakeLinearContext) => {
      const issue = issueOrThrow(String(args.id));
      const input = args.input as Record<string, unknown>;
      const at = workspace.now();
      const entry = { id: randomUUID(), issueId: issue.id, createdAt: at, actorId: context.viewerId };
      if (typeof input.stateId === 'string') {
        const state = workspace.states.get(input.stateId);
        if (state === undefined || state.teamId !== issue.teamId) {
          throw invalidInput("The workflow state does not belong to the issue's team");
        }
        workspace.moveToState(issue, state, entry, at);
      }
      const knownLabel = (id: string) => {
        const label = workspace.labels.get(id);
        if (label === undefined || (label.teamId !== undefined && label.teamId !== issue.teamId)) {
          throw invalidInput(`Label ${id} not found or not available to this team`);
        }
        return id;
      };
      if (Array.isArray(input.labelIds)) {
        const next = (input.labelIds as string[]).map(knownLabel);
        const added = next.filter((id) => !issue.labelIds.includes(id));
        const removed = issue.labelIds.filter((id) => !next.includes(id));
        workspace.applyLabels(issue, added, removed, entry);
      }
      const added = ((input.addedLabelIds as string[] | undefined) ?? [])
        .map(knownLabel)
        .filter((id) => !issue.labelIds.includes(id));
      const removed = ((input.removedLabelIds as string[] | undefined) ?? []).filter((id) =>
        issue.labelIds.includes(id),
      );
      workspace.applyLabels(issue, added, removed, entry);
      if (input.assigneeId === null) delete issue.assigneeId;
      else if (typeof input.assigneeId === 'string') {
        if (!workspace.users.has(input.assigneeId)) throw invalidInput('Entity not found: User');
        issue.assigneeId = input.assigneeId;
      }
      if (typeof input.title === 'string') issue.title = input.title;
      if (typeof input.description === 'string') issue.description = input.description;
      issue.updatedAt = at;
      workspace.history.push(entry);
      return payloadIssue(issue);
    },
    issueAddLabel: (args: Args, context: FakeLinearContext) => {
      const issue = issueOrThrow(String(args.id));
      const label = workspace.labels.get(String(args.labelId));
      if (label === undefined) throw invalidInput('Entity not found: IssueLabel');
      const at = workspace.now();
      const entry = { id: randomUUID(), issueId: issue.id, createdAt: at, actorId: context.viewerId };
      if (!issue.labelIds.includes(label.id)) workspace.applyLabels(issue, [label.id], [], entry);
      issue.updatedAt = at;
      workspace.history.push(entry);
      return payloadIssue(issue);
    },
    issueRemoveLabel: (args: Args, context: FakeLinearContext) => {
      const issue = issueOrThrow(String(args.id));
      const labelId = String(args.labelId);
      const at = workspace.now();
      const entry = { id: randomUUID(), issueId: issue.id, createdAt: at, actorId: context.viewerId };
      if (issue.labelIds.includes(labelId)) workspace.applyLabels(issue, [], [labelId], entry);
      issue.updatedAt = at;
      workspace.history.push(entry);
      return payloadIssue(issue);
    },
    commentCreate: (args: Args, context: FakeLinearContext) => {
      const input = args.input as { issueId: string; body: string };
      const issue = issueOrThrow(input.issueId);
      if (input.body.trim() === '') throw invalidInput('Comment body must not be empty');
      const comment = workspace.addComment(issue.id, context.viewerId, input.body);
      return { success: true, lastSyncId: Date.now(), comment: commentView(comment) };
    },
    commentUpdate: (args: Args, context: FakeLinearContext) => {
      const comment = workspace.comments.get(String(args.id));
      if (comment === undefined) throw invalidInput('Entity not found: Comment');
      // Linear lets people edit only their own comments.
      if (comment.userId !== context.viewerId) {
        throw linearError('You can only edit your own comments', 'forbidden', 'FORBIDDEN');
      }
      const input = args.input as { body: string };
      const updated = workspace.editComment(comment.id, input.body);
      return { success: true, lastSyncId: Date.now(), comment: commentView(updated) };
    },
  };
}
