import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  createFakeClock,
  type FakeComment,
  type FakeIssue,
  type FakeIssueEvent,
  type FakePermission,
  type FakeRepository,
} from './fake-github-state.js';

/** Settings of `createFakeGitHubApi`. */
export interface FakeGitHubApiOptions {
  /** The token every request must carry (`Authorization: token …` or `Bearer …`). */
  token: string;
  /** The login the token belongs to (default `orchestrator-bot`). */
  login?: string;
  /** Requests per window that count against the limit (default 5,000, GitHub's for a token). */
  rateLimit?: number;
  /** Largest `per_page` (default 100, GitHub's). */
  maxPerPage?: number;
}

/** One request the fake answered. */
export interface FakeGitHubRequest {
  method: string;
  path: string;
  status: number;
  /** False for a 304 (GitHub does not count those) and for refused requests. */
  counted: boolean;
  /** True when it carried the token (never the token itself). */
  authorized: boolean;
}

/** A failure the fake answers with instead of the next requests. */
export interface FakeGitHubFailure {
  status: 429 | 403 | 500 | 502;
  /** Seconds for `Retry-After` (429 and secondary-limit 403). */
  retryAfterSeconds?: number;
  /** Answer a 403 as the primary limit (`x-ratelimit-remaining: 0` and a reset time) instead. */
  primary?: boolean;
}

/** A fake GitHub REST API on loopback, with the behaviours the adapter depends on. */
export interface FakeGitHubApi {
  /** Base URL (`http://127.0.0.1:PORT`), for `baseUrl`. */
  readonly url: string;
  readonly requests: readonly FakeGitHubRequest[];
  /** Creates a repository; `permissions` maps logins to their level (the token's login gets `write`). */
  addRepository(fullName: string, permissions?: Record<string, FakePermission>): void;
  /** Opens an issue as `author`, with labels applied by the author (as an issue template does). */
  openIssue(
    fullName: string,
    issue: { author: string; title: string; body?: string; labels?: string[] },
  ): FakeIssue;
  /** Adds a label as `actor` (recorded as a `labeled` event). */
  addLabel(fullName: string, number: number, label: string, actor: string): void;
  removeLabel(fullName: string, number: number, label: string, actor: string): void;
  closeIssue(fullName: string, number: number, actor: string): void;
  comment(fullName: string, number: number, author: string, body: string): FakeComment;
  issue(fullName: string, number: number): FakeIssue;
  comments(fullName: string, number: number): FakeComment[];
  /** Answers the next `count` requests with `failure` (a 429 storm, an outage). */
  failNext(count: number, failure: FakeGitHubFailure): void;
  close(): Promise<void>;
}

/**
 * Starts a fake GitHub REST API on 127.0.0.1 (an ephemeral port) that enforces what the adapter
 * relies on: token authentication (401), ETags with `If-None-Match` answered 304 without counting
 * against the rate limit, rate-limit headers on every answer and a 403 when the limit is spent,
 * 429 and secondary-limit 403 with `Retry-After`, `Link` pagination with `per_page`, issue labels
 * (removing an absent one is a 404), assignees, comments (only their author may edit them),
 * issue events with their actor, and the collaborator permission lookup.
 *
 * @example
 * const github = await createFakeGitHubApi({ token: 'ghp_test' });
 * github.addRepository('octo/shop', { alice: 'write' });
 * github.openIssue('octo/shop', { author: 'alice', title: 'Add search', labels: ['orchestrator'] });
 */
export async function createFakeGitHubApi(options: FakeGitHubApiOptions): Promise<FakeGitHubApi> {
  const self = options.login ?? 'orchestrator-bot';
  const limit = options.rateLimit ?? 5_000;
  const maxPerPage = options.maxPerPage ?? 100;
  const now = createFakeClock();
  const repositories = new Map<string, FakeRepository>();
  const requests: FakeGitHubRequest[] = [];
  const failures: FakeGitHubFailure[] = [];
  let used = 0;
  let windowReset = Math.floor(Date.now() / 1000) + 3600;
  let nextId = 1000;

  const repository = (fullName: string) => {
    const found = repositories.get(fullName.toLowerCase());
    if (!found) throw new Error(`fake GitHub: no repository ${fullName}`);
    return found;
  };
  const issueOf = (repo: FakeRepository, number: number) => {
    const found = repo.issues.get(number);
    if (!found) throw new Error(`fake GitHub: no issue #${number} in ${repo.owner}/${repo.name}`);
    return found;
  };
  const event = (repo: FakeRepository, entry: Omit<FakeIssueEvent, 'id' | 'createdAt'>) => {
    const at = now();
    repo.events.push({ ...entry, id: nextId++, createdAt: at });
    issueOf(repo, entry.issue).updatedAt = at;
  };
  const permissionOf = (repo: FakeRepository, login: string): FakePermission =>
    repo.permissions.get(login.toLowerCase()) ?? 'none';

  const api = (repo: FakeRepository, base: string) => ({
    issue: (issue: FakeIssue) => ({
      id: issue.number + 1_000_000,
      number: issue.number,
      title: issue.title,
      body: issue.body,
      state: issue.state,
      state_reason: issue.stateReason,
      labels: issue.labels.map((name) => ({ name })),
      assignees: issue.assignees.map((login) => ({ login })),
      user: { login: issue.author },
      html_url: `https://github.com/${repo.owner}/${repo.name}/issues/${issue.number}`,
      url: `${base}/repos/${repo.owner}/${repo.name}/issues/${issue.number}`,
      created_at: issue.createdAt,
      updated_at: issue.updatedAt,
      closed_at: issue.closedAt,
    }),
    comment: (comment: FakeComment) => ({
      id: comment.id,
      body: comment.body,
      user: { login: comment.author },
      created_at: comment.createdAt,
      updated_at: comment.updatedAt,
      html_url: `https://github.com/${repo.owner}/${repo.name}/issues/${comment.issue}#issuecomment-${comment.id}`,
    }),
    event: (entry: FakeIssueEvent) => ({
      id: entry.id,
      event: entry.event,
      actor: { login: entry.actor },
      created_at: entry.createdAt,
      ...(entry.label ? { label: { name: entry.label } } : {}),
      ...(entry.assignee ? { assignee: { login: entry.assignee } } : {}),
    }),
  });

  class HttpAnswer {
    constructor(
      readonly status: number,
      readonly body: unknown,
      readonly headers: Record<string, string> = {},
    ) {}
  }
  const fail = (status: number, message: string, headers: Record<string, string> = {}) =>
    new HttpAnswer(status, { message, documentation_url: 'https://docs.github.com/rest' }, headers);

  function paginate(url: URL, items: unknown[]): HttpAnswer {
    const perPage = Math.min(maxPerPage, Math.max(1, Number(url.searchParams.get('per_page') ?? 30)));
    const page = Math.max(1, Number(url.searchParams.get('page') ?? 1));
    const last = Math.max(1, Math.ceil(items.length / perPage));
    const links: string[] = [];
    const link = (to: number, rel: string) => {
      const next = new URL(url);
      next.searchParams.set('page', String(to));
      links.push(`<${next.toString()}>; rel="${rel}"`);
    };
    if (page < last) {
      link(page + 1, 'next');
      link(last, 'last');
    }
    if (page > 1) {
      link(1, 'first');
      link(page - 1, 'prev');
    }
    return new HttpAnswer(
      200,
      items.slice((page - 1) * perPage, page * perPage),
      links.length > 0 ? { link: links.join(', ') } : {},
    );
  }

  async function route(method: string, url: URL, body: Record<string, unknown>): Promise<HttpAnswer> {
    const base = `${url.protocol}//${url.host}`;
    if (method === 'GET' && url.pathname === '/user') return new HttpAnswer(200, { login: self, id: 1 });
    if (method === 'GET' && url.pathname === '/rate_limit')
      return new HttpAnswer(200, { rate: { limit, remaining: limit - used, reset: windowReset, used } });
    const match = /^\/repos\/([^/]+)\/([^/]+)(\/.*)?$/.exec(url.pathname);
    if (!match) return fail(404, 'Not Found');
    const repo = repositories.get(
      `${decodeURIComponent(match[1] ?? '')}/${decodeURIComponent(match[2] ?? '')}`.toLowerCase(),
    );
    if (!repo) return fail(404, 'Not Found');
    const shape = api(repo, base);
    const rest = match[3] ?? '';
    const permissionPath = /^\/collaborators\/([^/]+)\/permission$/.exec(rest);
    if (permissionPath && method === 'GET') {
      const login = decodeURIComponent(permissionPath[1] ?? '');
      const permission = permissionOf(repo, login);
      return new HttpAnswer(200, { permission, role_name: permission, user: { login } });
    }
    if (rest === '/issues' && method === 'GET') {
      const wanted = (url.searchParams.get('labels') ?? '').split(',').filter(Boolean);
      const state = url.searchParams.get('state') ?? 'open';
      const assignee = url.searchParams.get('assignee');
      const since = url.searchParams.get('since');
      const issues = [...repo.issues.values()]
        .filter((issue) => state === 'all' || issue.state === state)
        .filter((issue) => wanted.every((label) => issue.labels.includes(label)))
        .filter((issue) => !assignee || issue.assignees.includes(assignee))
        .filter((issue) => !since || issue.updatedAt >= since)
        .sort((left, right) => right.number - left.number);
      return paginate(url, issues.map(shape.issue));
    }
    const commentPath = /^\/issues\/comments\/(\d+)$/.exec(rest);
    if (commentPath && method === 'PATCH') {
      const comment = repo.comments.get(Number(commentPath[1]));
      if (!comment) return fail(404, 'Not Found');
      if (comment.author !== self) return fail(403, 'Must have admin rights to Repository.');
      comment.body = String(body.body ?? '');
      comment.updatedAt = now();
      return new HttpAnswer(200, shape.comment(comment));
    }
    const issuePath = /^\/issues\/(\d+)(\/.*)?$/.exec(rest);
    if (!issuePath) return fail(404, 'Not Found');
    const issue = repo.issues.get(Number(issuePath[1]));
    if (!issue) return fail(404, 'Not Found');
    const sub = issuePath[2] ?? '';
    const labelPath = /^\/labels\/(.+)$/.exec(sub);
    if (sub === '' && method === 'GET') return new HttpAnswer(200, shape.issue(issue));
    if (sub === '' && method === 'PATCH') {
      if (body.state === 'closed' && issue.state === 'open') {
        issue.state = 'closed';
        issue.stateReason = body.state_reason === 'not_planned' ? 'not_planned' : 'completed';
        issue.closedAt = now();
        event(repo, { issue: issue.number, event: 'closed', actor: self });
      }
      return new HttpAnswer(200, shape.issue(issue));
    }
    if (sub === '/labels' && method === 'POST') {
      const labels = Array.isArray(body.labels) ? body.labels.map(String) : [];
      for (const label of labels)
        if (!issue.labels.includes(label)) {
          issue.labels.push(label);
          event(repo, { issue: issue.number, event: 'labeled', actor: self, label });
        }
      return new HttpAnswer(
        200,
        issue.labels.map((name) => ({ name })),
      );
    }
    if (labelPath && method === 'DELETE') {
      const label = decodeURIComponent(labelPath[1] ?? '');
      if (!issue.labels.includes(label)) return fail(404, 'Label does not exist');
      issue.labels = issue.labels.filter((name) => name !== label);
      event(repo, { issue: issue.number, event: 'unlabeled', actor: self, label });
      return new HttpAnswer(
        200,
        issue.labels.map((name) => ({ name })),
      );
    }
    if (sub === '/assignees' && method === 'POST') {
      for (const login of Array.isArray(body.assignees) ? body.assignees.map(String) : [])
        if (permissionOf(repo, login) !== 'none' && !issue.assignees.includes(login)) {
          issue.assignees.push(login);
          event(repo, { issue: issue.number, event: 'assigned', actor: self, assignee: login });
        }
      return new HttpAnswer(201, shape.issue(issue));
    }
    if (sub === '/comments' && method === 'GET') {
      const since = url.searchParams.get('since');
      const comments = [...repo.comments.values()]
        .filter((comment) => comment.issue === issue.number && (!since || comment.updatedAt >= since))
        .sort((left, right) => left.id - right.id);
      return paginate(url, comments.map(shape.comment));
    }
    if (sub === '/comments' && method === 'POST') {
      if (typeof body.body !== 'string' || body.body === '') return fail(422, 'Validation Failed');
      if (body.body.length > 65_536) return fail(422, 'Body is too long (maximum is 65536 characters)');
      const created = addComment(repo, issue, self, body.body);
      return new HttpAnswer(201, shape.comment(created));
    }
    if (sub === '/events' && method === 'GET')
      return paginate(url, repo.events.filter((entry) => entry.issue === issue.number).map(shape.event));
    return fail(404, 'Not Found');
  }

  function addComment(repo: FakeRepository, issue: FakeIssue, author: string, body: string): FakeComment {
    const at = now();
    const comment: FakeComment = {
      id: nextId++,
      issue: issue.number,
      author,
      body,
      createdAt: at,
      updatedAt: at,
    };
    repo.comments.set(comment.id, comment);
    issue.updatedAt = at;
    return comment;
  }

  const rateHeaders = () => {
    if (Date.now() / 1000 >= windowReset) {
      used = 0;
      windowReset = Math.floor(Date.now() / 1000) + 3600;
    }
    return {
      'x-ratelimit-limit': String(limit),
      'x-ratelimit-remaining': String(Math.max(0, limit - used)),
      'x-ratelimit-reset': String(windowReset),
      'x-ratelimit-used': String(used),
      'x-ratelimit-resource': 'core',
    };
  };

  async function handle(request: IncomingMessage, response: ServerResponse) {
    const url = new URL(request.url ?? '/', `http://${request.headers.host ?? '127.0.0.1'}`);
    const method = request.method ?? 'GET';
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const authorization = request.headers.authorization ?? '';
    const authorized =
      authorization === `token ${options.token}` || authorization === `Bearer ${options.token}`;
    const send = (answer: HttpAnswer, counted: boolean) => {
      requests.push({ method, path: url.pathname + url.search, status: answer.status, counted, authorized });
      const text = answer.status === 304 ? '' : JSON.stringify(answer.body);
      response.writeHead(answer.status, {
        'content-type': 'application/json; charset=utf-8',
        ...rateHeaders(),
        ...answer.headers,
      });
      response.end(text);
    };
    if (!authorized) return send(fail(401, 'Bad credentials'), false);
    const failure = failures.shift();
    if (failure) {
      const retry: Record<string, string> =
        failure.retryAfterSeconds === undefined ? {} : { 'retry-after': String(failure.retryAfterSeconds) };
      if (failure.status === 403 && failure.primary) {
        used = limit;
        return send(fail(403, 'API rate limit exceeded for user.'), false);
      }
      return send(
        fail(
          failure.status,
          failure.status >= 500 ? 'Server Error' : 'You have exceeded a secondary rate limit.',
          retry,
        ),
        false,
      );
    }
    if (used >= limit) return send(fail(403, 'API rate limit exceeded for user.'), false);
    let body: Record<string, unknown> = {};
    try {
      body =
        chunks.length > 0
          ? (JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>)
          : {};
    } catch {
      return send(fail(400, 'Problems parsing JSON'), true);
    }
    const answer = await route(method, url, body);
    if (method === 'GET' && answer.status === 200) {
      const etag = `W/"${createHash('sha256')
        .update(JSON.stringify(answer.body))
        .update(answer.headers.link ?? '')
        .digest('hex')
        .slice(0, 32)}"`;
      const conditional = request.headers['if-none-match'];
      if (conditional?.split(/\s*,\s*/).includes(etag))
        return send(new HttpAnswer(304, null, { etag }), false);
      used += 1;
      return send(new HttpAnswer(200, answer.body, { ...answer.headers, etag }), true);
    }
    used += 1;
    send(answer, true);
  }

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      response.writeHead(500, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ message: String(error) }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    addRepository(fullName, permissions = {}) {
      const [owner = '', name = ''] = fullName.split('/');
      const entries = Object.entries(permissions).map(
        ([login, level]) => [login.toLowerCase(), level] as const,
      );
      repositories.set(fullName.toLowerCase(), {
        owner,
        name,
        issues: new Map(),
        comments: new Map(),
        events: [],
        permissions: new Map([[self.toLowerCase(), 'write'], ...entries]),
        nextNumber: 1,
      });
    },
    openIssue(fullName, input) {
      const repo = repository(fullName);
      const at = now();
      const issue: FakeIssue = {
        number: repo.nextNumber++,
        title: input.title,
        body: input.body ?? '',
        state: 'open',
        stateReason: null,
        labels: [],
        assignees: [],
        author: input.author,
        createdAt: at,
        updatedAt: at,
        closedAt: null,
      };
      repo.issues.set(issue.number, issue);
      for (const label of input.labels ?? []) {
        issue.labels.push(label);
        event(repo, { issue: issue.number, event: 'labeled', actor: input.author, label });
      }
      return issue;
    },
    addLabel(fullName, number, label, actor) {
      const repo = repository(fullName);
      const issue = issueOf(repo, number);
      if (issue.labels.includes(label)) return;
      issue.labels.push(label);
      event(repo, { issue: number, event: 'labeled', actor, label });
    },
    removeLabel(fullName, number, label, actor) {
      const repo = repository(fullName);
      const issue = issueOf(repo, number);
      issue.labels = issue.labels.filter((name) => name !== label);
      event(repo, { issue: number, event: 'unlabeled', actor, label });
    },
    closeIssue(fullName, number, actor) {
      const repo = repository(fullName);
      const issue = issueOf(repo, number);
      issue.state = 'closed';
      issue.stateReason = 'not_planned';
      issue.closedAt = now();
      event(repo, { issue: number, event: 'closed', actor });
    },
    comment(fullName, number, author, body) {
      const repo = repository(fullName);
      return addComment(repo, issueOf(repo, number), author, body);
    },
    issue: (fullName, number) => structuredClone(issueOf(repository(fullName), number)),
    comments: (fullName, number) =>
      [...repository(fullName).comments.values()]
        .filter((comment) => comment.issue === number)
        .map((comment) => structuredClone(comment)),
    failNext(count, failure) {
      for (let index = 0; index < count; index++) failures.push(failure);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
