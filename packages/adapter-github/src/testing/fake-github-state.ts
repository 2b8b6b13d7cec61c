/** The data of the fake GitHub REST API: repositories, issues, labels, comments, events, people. */

/** Repository permission levels, lowest first (GitHub's `permission` field of the permission lookup). */
export type FakePermission = 'none' | 'read' | 'triage' | 'write' | 'maintain' | 'admin';

export interface FakeIssue {
  number: number;
  title: string;
  body: string;
  state: 'open' | 'closed';
  stateReason: 'completed' | 'not_planned' | 'reopened' | null;
  labels: string[];
  assignees: string[];
  author: string;
  createdAt: string;
  updatedAt: string;
  closedAt: string | null;
}

export interface FakeComment {
  id: number;
  issue: number;
  author: string;
  body: string;
  createdAt: string;
  updatedAt: string;
}

export interface FakeIssueEvent {
  id: number;
  issue: number;
  event: 'labeled' | 'unlabeled' | 'assigned' | 'closed' | 'reopened';
  actor: string;
  label?: string;
  assignee?: string;
  createdAt: string;
}

export interface FakeRepository {
  owner: string;
  name: string;
  issues: Map<number, FakeIssue>;
  comments: Map<number, FakeComment>;
  events: FakeIssueEvent[];
  /** Permissions by login; a login not listed has `none` on a public repository. */
  permissions: Map<string, FakePermission>;
  nextNumber: number;
}

/** A clock that only moves forward, one millisecond at least per call (GitHub times are ordered). */
export function createFakeClock(): () => string {
  let last = 0;
  return () => {
    last = Math.max(Date.now(), last + 1);
    return new Date(last).toISOString();
  };
}
