import type { TrackerClient, TrackerComment, TrackerIssue, TrackerStatus } from './tracker-types.js';

/** An in-memory `TrackerClient` for the state machine's tests; it records every write. */
export function createMemoryTrackerClient(options: { allowed: string[] }) {
  const issues = new Map<string, TrackerIssue>();
  const comments = new Map<string, TrackerComment[]>();
  const statuses: [string, TrackerStatus][] = [];
  const created: [string, string][] = [];
  let nextId = 1;
  const client: TrackerClient = {
    kind: 'memory',
    async listCandidates() {
      return {
        issues: [...issues.values()].filter((issue) => client.matchesFilter(issue)),
        notModified: false,
      };
    },
    async getIssue(ref) {
      return issues.get(ref.key);
    },
    matchesFilter: (issue) => issue.state === 'open' && issue.labels.includes('go'),
    async checkTrigger(issue) {
      const allowed = options.allowed.includes(issue.author);
      return {
        allowed,
        by: issue.author,
        reason: allowed ? 'allowed author' : `${issue.author} is not allowed`,
      };
    },
    isAllowed: async (person) => options.allowed.includes(person),
    async setStatus(ref, status) {
      statuses.push([ref.key, status]);
    },
    async createComment(ref, body) {
      const comment = {
        id: String(nextId++),
        author: 'bot',
        body,
        own: true,
        createdAt: new Date().toISOString(),
      };
      comments.set(ref.key, [...(comments.get(ref.key) ?? []), comment]);
      created.push([ref.key, body]);
      return { id: comment.id };
    },
    async updateComment(ref, id, body) {
      const found = comments.get(ref.key)?.find((comment) => comment.id === id);
      if (!found) throw new Error(`no comment ${id}`);
      found.body = body;
    },
    async listComments(ref) {
      return (comments.get(ref.key) ?? []).map((comment) => ({ ...comment }));
    },
  };
  return {
    client,
    statuses,
    created,
    comments: (key: string) => comments.get(key) ?? [],
    open(number: number, author: string, extra: Partial<TrackerIssue> = {}) {
      const issue: TrackerIssue = {
        key: `o/r#${number}`,
        container: 'o/r',
        id: String(number),
        title: `issue ${number}`,
        body: 'body',
        url: `https://tracker.example/o/r/${number}`,
        state: 'open',
        labels: ['go'],
        assignees: [],
        author,
        updatedAt: new Date().toISOString(),
        ...extra,
      };
      issues.set(issue.key, issue);
      return issue;
    },
    comment(key: string, author: string, body: string) {
      const comment = { id: String(nextId++), author, body, own: false, createdAt: new Date().toISOString() };
      comments.set(key, [...(comments.get(key) ?? []), comment]);
    },
    addOwnComment(key: string, body: string) {
      comments.set(key, [
        ...(comments.get(key) ?? []),
        { id: String(nextId++), author: 'bot', body, own: true, createdAt: new Date().toISOString() },
      ]);
    },
  };
}
