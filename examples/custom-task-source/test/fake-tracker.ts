import { createServer } from 'node:http';
import type { TrackerIssue } from '../src/tracker-task-source.js';

/** A tiny in-memory tracker API on 127.0.0.1: `GET /issues?state=&assignee=`, `PATCH /issues/:id`. */
export async function startFakeTracker(issues: TrackerIssue[], options: { token?: string } = {}) {
  const comments = new Map<number, string[]>();
  const requests: string[] = [];
  let failNextRequests = 0;
  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    requests.push(`${request.method} ${url.pathname}${url.search}`);
    const send = (status: number, body: unknown) => {
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end(JSON.stringify(body));
    };
    if (failNextRequests > 0) {
      failNextRequests--;
      return send(503, { error: 'maintenance' });
    }
    if (options.token !== undefined && request.headers.authorization !== `Bearer ${options.token}`) {
      return send(401, { error: 'unauthorized' });
    }
    if (request.method === 'GET' && url.pathname === '/issues') {
      const state = url.searchParams.get('state');
      const assignee = url.searchParams.get('assignee');
      return send(
        200,
        issues.filter(
          (issue) =>
            (state === null || issue.state === state) && (assignee === null || issue.assignee === assignee),
        ),
      );
    }
    const match = /^\/issues\/(\d+)$/.exec(url.pathname);
    if (request.method === 'PATCH' && match) {
      const issue = issues.find((candidate) => candidate.id === Number(match[1]));
      if (!issue) return send(404, { error: 'no such issue' });
      let raw = '';
      request.on('data', (chunk) => {
        raw += chunk;
      });
      request.on('end', () => {
        const patch = JSON.parse(raw) as { state?: TrackerIssue['state']; comment?: string };
        if (patch.state) issue.state = patch.state;
        if (patch.comment) comments.set(issue.id, [...(comments.get(issue.id) ?? []), patch.comment]);
        send(200, issue);
      });
      return;
    }
    send(404, { error: 'no route' });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    baseURL: `http://127.0.0.1:${port}`,
    issues,
    comments,
    requests,
    /** The next `count` requests get HTTP 503 (to test retries). */
    failNext(count: number) {
      failNextRequests = count;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
