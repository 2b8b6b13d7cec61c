import { randomUUID } from 'node:crypto';

/** A workspace member of the fake. `admin` and `guest` are Linear's two role flags. */
export interface FakeLinearUser {
  id: string;
  name: string;
  displayName: string;
  email: string;
  admin: boolean;
  guest: boolean;
  active: boolean;
}

export interface FakeLinearTeam {
  id: string;
  key: string;
  name: string;
}

/** Linear's workflow state types. */
export type FakeLinearStateType =
  | 'triage'
  | 'backlog'
  | 'unstarted'
  | 'started'
  | 'completed'
  | 'canceled'
  | 'duplicate';

export interface FakeLinearState {
  id: string;
  teamId: string;
  name: string;
  type: FakeLinearStateType;
  position: number;
}

export interface FakeLinearLabel {
  id: string;
  name: string;
  teamId?: string;
}

export interface FakeLinearProject {
  id: string;
  name: string;
}

export interface FakeLinearIssueRecord {
  id: string;
  teamId: string;
  number: number;
  identifier: string;
  title: string;
  description?: string;
  createdAt: string;
  updatedAt: string;
  canceledAt?: string;
  completedAt?: string;
  creatorId?: string;
  assigneeId?: string;
  stateId: string;
  projectId?: string;
  labelIds: string[];
}

export interface FakeLinearCommentRecord {
  id: string;
  issueId: string;
  userId?: string;
  body: string;
  createdAt: string;
  updatedAt: string;
  editedAt?: string;
}

export interface FakeLinearHistoryRecord {
  id: string;
  issueId: string;
  createdAt: string;
  actorId?: string;
  addedLabelIds?: string[];
  removedLabelIds?: string[];
  fromStateId?: string;
  toStateId?: string;
}

/** What `changeIssue` may change, as a person would in Linear's UI. */
export interface FakeIssueChange {
  state?: string;
  addLabels?: string[];
  removeLabels?: string[];
  assigneeId?: string | null;
  title?: string;
  description?: string;
}

/** A change a webhook reports. */
export interface FakeWorkspaceChange {
  type: 'Issue' | 'Comment';
  action: 'create' | 'update';
  data: Record<string, unknown>;
  actorId?: string;
}

/** The fake's data and the rules Linear applies when it changes. */
export class FakeLinearWorkspace {
  readonly organization = { id: randomUUID(), name: 'Fake Workspace', urlKey: 'fake' };
  readonly users = new Map<string, FakeLinearUser>();
  readonly teams = new Map<string, FakeLinearTeam>();
  readonly states = new Map<string, FakeLinearState>();
  readonly labels = new Map<string, FakeLinearLabel>();
  readonly projects = new Map<string, FakeLinearProject>();
  readonly issues = new Map<string, FakeLinearIssueRecord>();
  readonly comments = new Map<string, FakeLinearCommentRecord>();
  readonly history: FakeLinearHistoryRecord[] = [];
  private lastTime = 0;
  private readonly listeners = new Set<(change: FakeWorkspaceChange) => void>();

  /** Strictly increasing timestamps, so `updatedAt` cursors never tie. */
  now(): string {
    this.lastTime = Math.max(Date.now(), this.lastTime + 1);
    return new Date(this.lastTime).toISOString();
  }

  onChange(listener: (change: FakeWorkspaceChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(change: FakeWorkspaceChange): void {
    for (const listener of [...this.listeners]) listener(change);
  }

  addUser(input: { name: string; email?: string; admin?: boolean; guest?: boolean; active?: boolean }) {
    const id = randomUUID();
    const user: FakeLinearUser = {
      id,
      name: input.name,
      displayName: input.name.toLowerCase().replace(/\s+/g, ''),
      email: input.email ?? `${input.name.toLowerCase().replace(/\s+/g, '.')}@example.test`,
      admin: input.admin ?? false,
      guest: input.guest ?? false,
      active: input.active ?? true,
    };
    this.users.set(id, user);
    return user;
  }

  /** A team with Linear's default workflow (Backlog, Todo, In Progress, In Review, Done, Canceled). */
  addTeam(input: { key: string; name?: string }): FakeLinearTeam {
    const team: FakeLinearTeam = { id: randomUUID(), key: input.key, name: input.name ?? input.key };
    this.teams.set(team.id, team);
    const defaults: Array<[string, FakeLinearStateType]> = [
      ['Backlog', 'backlog'],
      ['Todo', 'unstarted'],
      ['In Progress', 'started'],
      ['In Review', 'started'],
      ['Done', 'completed'],
      ['Canceled', 'canceled'],
      ['Duplicate', 'duplicate'],
    ];
    defaults.forEach(([name, type], position) => {
      const state: FakeLinearState = { id: randomUUID(), teamId: team.id, name, type, position };
      this.states.set(state.id, state);
    });
    return team;
  }

  addLabel(input: { name: string; teamId?: string }): FakeLinearLabel {
    const label: FakeLinearLabel = { id: randomUUID(), name: input.name };
    if (input.teamId !== undefined) label.teamId = input.teamId;
    this.labels.set(label.id, label);
    return label;
  }

  addProject(input: { name: string }): FakeLinearProject {
    const project = { id: randomUUID(), name: input.name };
    this.projects.set(project.id, project);
    return project;
  }

  teamOf(keyOrId: string): FakeLinearTeam {
    const team = this.teams.get(keyOrId) ?? [...this.teams.values()].find((each) => each.key === keyOrId);
    if (team === undefined) throw new Error(`fake Linear: no team "${keyOrId}"`);
    return team;
  }

  stateNamed(teamId: string, name: string): FakeLinearState {
    const state = [...this.states.values()].find((each) => each.teamId === teamId && each.name === name);
    if (state === undefined) throw new Error(`fake Linear: team has no state "${name}"`);
    return state;
  }

  /** The label with this name usable on the team (a team label first, else a workspace label). */
  labelNamed(teamId: string, name: string): FakeLinearLabel {
    const candidates = [...this.labels.values()].filter((each) => each.name === name);
    const label =
      candidates.find((each) => each.teamId === teamId) ??
      candidates.find((each) => each.teamId === undefined);
    if (label === undefined) throw new Error(`fake Linear: no label "${name}" for this team`);
    return label;
  }

  createIssue(input: {
    team: string;
    title: string;
    description?: string;
    creatorId: string;
    labels?: string[];
    assigneeId?: string;
    state?: string;
    projectId?: string;
  }): FakeLinearIssueRecord {
    const team = this.teamOf(input.team);
    const number = [...this.issues.values()].filter((each) => each.teamId === team.id).length + 1;
    const at = this.now();
    const issue: FakeLinearIssueRecord = {
      id: randomUUID(),
      teamId: team.id,
      number,
      identifier: `${team.key}-${number}`,
      title: input.title,
      createdAt: at,
      updatedAt: at,
      creatorId: input.creatorId,
      stateId: this.stateNamed(team.id, input.state ?? 'Todo').id,
      labelIds: (input.labels ?? []).map((name) => this.labelNamed(team.id, name).id),
    };
    if (input.description !== undefined) issue.description = input.description;
    if (input.assigneeId !== undefined) issue.assigneeId = input.assigneeId;
    if (input.projectId !== undefined) issue.projectId = input.projectId;
    this.issues.set(issue.id, issue);
    if (issue.labelIds.length > 0) {
      this.history.push({
        id: randomUUID(),
        issueId: issue.id,
        createdAt: at,
        actorId: input.creatorId,
        addedLabelIds: [...issue.labelIds],
      });
    }
    this.emit({ type: 'Issue', action: 'create', data: { ...issue }, actorId: input.creatorId });
    return issue;
  }

  getIssue(id: string): FakeLinearIssueRecord {
    const issue = this.issues.get(id) ?? [...this.issues.values()].find((each) => each.identifier === id);
    if (issue === undefined) throw new Error(`fake Linear: no issue "${id}"`);
    return issue;
  }

  /** Applies a change by `actorId` with the history entries Linear records for it. */
  changeIssue(issueId: string, actorId: string | undefined, change: FakeIssueChange): FakeLinearIssueRecord {
    const issue = this.getIssue(issueId);
    const at = this.now();
    const entry: FakeLinearHistoryRecord = { id: randomUUID(), issueId: issue.id, createdAt: at };
    if (actorId !== undefined) entry.actorId = actorId;
    if (change.state !== undefined) {
      const state = this.stateNamed(issue.teamId, change.state);
      this.moveToState(issue, state, entry, at);
    }
    const added = (change.addLabels ?? [])
      .map((name) => this.labelNamed(issue.teamId, name).id)
      .filter((id) => !issue.labelIds.includes(id));
    const removed = (change.removeLabels ?? [])
      .map((name) => this.labelNamed(issue.teamId, name).id)
      .filter((id) => issue.labelIds.includes(id));
    this.applyLabels(issue, added, removed, entry);
    if (change.assigneeId !== undefined) {
      if (change.assigneeId === null) delete issue.assigneeId;
      else issue.assigneeId = change.assigneeId;
    }
    if (change.title !== undefined) issue.title = change.title;
    if (change.description !== undefined) issue.description = change.description;
    issue.updatedAt = at;
    this.history.push(entry);
    this.emit({ type: 'Issue', action: 'update', data: { ...issue }, ...(actorId ? { actorId } : {}) });
    return issue;
  }

  moveToState(
    issue: FakeLinearIssueRecord,
    state: FakeLinearState,
    entry: FakeLinearHistoryRecord,
    at: string,
  ): void {
    if (state.teamId !== issue.teamId) {
      throw new Error('fake Linear: the state belongs to another team');
    }
    if (state.id === issue.stateId) return;
    entry.fromStateId = issue.stateId;
    entry.toStateId = state.id;
    issue.stateId = state.id;
    delete issue.canceledAt;
    delete issue.completedAt;
    if (state.type === 'canceled') issue.canceledAt = at;
    if (state.type === 'completed') issue.completedAt = at;
  }

  applyLabels(
    issue: FakeLinearIssueRecord,
    added: readonly string[],
    removed: readonly string[],
    entry: FakeLinearHistoryRecord,
  ): void {
    if (added.length > 0) {
      issue.labelIds.push(...added);
      entry.addedLabelIds = [...added];
    }
    if (removed.length > 0) {
      issue.labelIds = issue.labelIds.filter((id) => !removed.includes(id));
      entry.removedLabelIds = [...removed];
    }
  }

  /** A comment by `userId`. Like Linear, a comment does not move the issue's `updatedAt`. */
  addComment(issueId: string, userId: string, body: string): FakeLinearCommentRecord {
    const issue = this.getIssue(issueId);
    const at = this.now();
    const comment: FakeLinearCommentRecord = {
      id: randomUUID(),
      issueId: issue.id,
      userId,
      body,
      createdAt: at,
      updatedAt: at,
    };
    this.comments.set(comment.id, comment);
    this.emit({ type: 'Comment', action: 'create', data: { ...comment }, actorId: userId });
    return comment;
  }

  editComment(commentId: string, body: string): FakeLinearCommentRecord {
    const comment = this.comments.get(commentId);
    if (comment === undefined) throw new Error(`fake Linear: no comment "${commentId}"`);
    const at = this.now();
    comment.body = body;
    comment.updatedAt = at;
    comment.editedAt = at;
    this.emit({
      type: 'Comment',
      action: 'update',
      data: { ...comment },
      ...(comment.userId ? { actorId: comment.userId } : {}),
    });
    return comment;
  }

  commentsOf(issueId: string): FakeLinearCommentRecord[] {
    return [...this.comments.values()]
      .filter((each) => each.issueId === issueId)
      .sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  }
}
