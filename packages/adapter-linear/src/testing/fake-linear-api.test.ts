import { LinearClient, LinearErrorType } from '@linear/sdk';
import { LinearWebhookClient } from '@linear/sdk/webhooks';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createFakeLinearApi, type FakeLinearApi, signLinearWebhook } from './fake-linear-api.js';

let fake: FakeLinearApi | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

async function start() {
  fake = await createFakeLinearApi({ requestsPerHour: 100 });
  const team = fake.workspace.addTeam({ key: 'ENG' });
  const alice = fake.workspace.addUser({ name: 'Alice', admin: true });
  fake.workspace.addLabel({ name: 'orchestrator' });
  fake.workspace.addLabel({ name: 'bug', teamId: team.id });
  return { fake, team, alice };
}

const issuesQuery = /* GraphQL */ `
  query Issues($filter: IssueFilter, $after: String, $first: Int) {
    issues(filter: $filter, first: $first, after: $after, orderBy: updatedAt) {
      nodes { id identifier title state { name type } labels { nodes { name } } creator { id } }
      pageInfo { hasNextPage endCursor }
    }
  }
`;

describe('createFakeLinearApi', () => {
  // The SDK's generated queries select every field of a type (User alone has dozens), which a
  // schema subset cannot answer; the adapter sends its own documents through the SDK's client.
  it('answers the real @linear/sdk GraphQL client', async () => {
    const { fake, alice } = await start();
    fake.workspace.createIssue({
      team: 'ENG',
      title: 'Add search',
      creatorId: alice.id,
      labels: ['orchestrator'],
    });
    const client = new LinearClient({ apiKey: fake.apiKey, apiUrl: fake.url });
    const viewer = await client.client.rawRequest<{ viewer: { name: string } }, Record<string, unknown>>(
      'query { viewer { name } }',
    );
    expect(viewer.data?.viewer.name).toBe('Orchestrator Bot');
    const response = await client.client.rawRequest<
      { issues: { nodes: Array<Record<string, unknown>> } },
      Record<string, unknown>
    >(issuesQuery, { filter: { team: { key: { eq: 'ENG' } }, labels: { name: { eq: 'orchestrator' } } } });
    expect(response.data?.issues.nodes).toEqual([
      expect.objectContaining({
        identifier: 'ENG-1',
        title: 'Add search',
        state: { name: 'Todo', type: 'unstarted' },
        labels: { nodes: [{ name: 'orchestrator' }] },
        creator: { id: alice.id },
      }),
    ]);
    expect(response.headers?.get('x-ratelimit-requests-limit')).toBe('100');
  });

  it("refuses a wrong or missing key with Linear's authentication error and keeps no key", async () => {
    const { fake } = await start();
    const client = new LinearClient({ apiKey: 'lin_api_wrong', apiUrl: fake.url });
    const error = await client.client.rawRequest('query { viewer { id } }').then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
    expect(error).toMatchObject({ type: LinearErrorType.AuthenticationError });
    expect(fake.requests.at(-1)?.outcome).toBe('unauthenticated');
    expect(JSON.stringify(fake.requests)).not.toContain('lin_api_wrong');
  });

  it('paginates with pageInfo and refuses pages over 250', async () => {
    const { fake, alice } = await start();
    for (let index = 0; index < 5; index += 1) {
      fake.workspace.createIssue({ team: 'ENG', title: `Issue ${index}`, creatorId: alice.id });
    }
    const client = new LinearClient({ apiKey: fake.apiKey, apiUrl: fake.url });
    const seen: string[] = [];
    let after: string | undefined;
    for (;;) {
      const page = await client.client.rawRequest<
        {
          issues: {
            nodes: Array<{ identifier: string }>;
            pageInfo: { hasNextPage: boolean; endCursor: string };
          };
        },
        Record<string, unknown>
      >(issuesQuery, { first: 2, ...(after ? { after } : {}) });
      seen.push(...(page.data?.issues.nodes.map((node) => node.identifier) ?? []));
      if (!page.data?.issues.pageInfo.hasNextPage) break;
      after = page.data.issues.pageInfo.endCursor;
    }
    expect(seen.sort()).toEqual(['ENG-1', 'ENG-2', 'ENG-3', 'ENG-4', 'ENG-5']);
    await expect(client.client.rawRequest(issuesQuery, { first: 251 })).rejects.toThrow(/between 0 and 250/);
  });

  it('filters by team, label, state, assignee, project and updatedAt', async () => {
    const { fake, alice } = await start();
    fake.workspace.addTeam({ key: 'OPS' });
    const project = fake.workspace.addProject({ name: 'Search' });
    const a = fake.workspace.createIssue({
      team: 'ENG',
      title: 'a',
      creatorId: alice.id,
      labels: ['orchestrator'],
      assigneeId: fake.viewer.id,
      projectId: project.id,
    });
    fake.workspace.createIssue({ team: 'ENG', title: 'b', creatorId: alice.id, labels: ['bug'] });
    fake.workspace.createIssue({ team: 'OPS', title: 'c', creatorId: alice.id, labels: ['orchestrator'] });
    const client = new LinearClient({ apiKey: fake.apiKey, apiUrl: fake.url });
    const titles = async (filter: Record<string, unknown>) => {
      const page = await client.client.rawRequest<
        { issues: { nodes: Array<{ title: string }> } },
        Record<string, unknown>
      >(issuesQuery, { filter });
      return page.data?.issues.nodes.map((node) => node.title).sort();
    };
    expect(await titles({ team: { key: { eq: 'ENG' } } })).toEqual(['a', 'b']);
    expect(await titles({ labels: { some: { name: { in: ['orchestrator'] } } } })).toEqual(['a', 'c']);
    expect(await titles({ assignee: { isMe: { eq: true } } })).toEqual(['a']);
    expect(await titles({ project: { id: { eq: project.id } } })).toEqual(['a']);
    // The fake's clock only moves forward, so the change is strictly after the cursor.
    const cursor = fake.workspace.now();
    fake.workspace.changeIssue(a.id, alice.id, { state: 'In Progress' });
    expect(await titles({ updatedAt: { gt: cursor } })).toEqual(['a']);
    expect(await titles({ state: { type: { eq: 'started' } } })).toEqual(['a']);
  });

  it("answers RATELIMITED with Linear's headers when the budget is spent or on demand", async () => {
    const { fake } = await start();
    const client = new LinearClient({ apiKey: fake.apiKey, apiUrl: fake.url });
    fake.rateLimitNext(2, { resetInMs: 5000 });
    const error = (await client.client.rawRequest('query { viewer { id } }').catch((thrown) => thrown)) as {
      raw?: { response?: { errors?: Array<{ extensions?: { code?: string } }>; headers?: Headers } };
    };
    expect(error.raw?.response?.errors?.[0]?.extensions?.code).toBe('RATELIMITED');
    const reset = Number(error.raw?.response?.headers?.get('x-ratelimit-requests-reset'));
    expect(reset).toBeGreaterThan(Date.now());
    await expect(client.client.rawRequest('query { viewer { id } }')).rejects.toThrow(/Rate limit/);
    await expect(client.client.rawRequest('query { viewer { id } }')).resolves.toBeDefined();
    expect(fake.requests.map((request) => request.outcome)).toEqual(['rate-limited', 'rate-limited', 'ok']);
  });

  it('enforces comment authorship, team-scoped states and labels, and validation errors', async () => {
    const { fake, alice } = await start();
    fake.workspace.addTeam({ key: 'OPS' });
    const issue = fake.workspace.createIssue({ team: 'ENG', title: 'x', creatorId: alice.id });
    const foreign = fake.workspace.addComment(issue.id, alice.id, 'mine');
    const client = new LinearClient({ apiKey: fake.apiKey, apiUrl: fake.url });
    const update =
      'mutation U($id: String!, $body: String!) { commentUpdate(id: $id, input: { body: $body }) { success } }';
    await expect(client.client.rawRequest(update, { id: foreign.id, body: 'x' })).rejects.toThrow(
      /own comments/,
    );
    const created = await client.client.rawRequest<
      { commentCreate: { comment: { id: string } } },
      Record<string, unknown>
    >('mutation C($input: CommentCreateInput!) { commentCreate(input: $input) { comment { id } } }', {
      input: { issueId: issue.id, body: 'progress' },
    });
    const ownId = created.data?.commentCreate.comment.id ?? '';
    await client.client.rawRequest(update, { id: ownId, body: 'progress 2' });
    expect(fake.workspace.comments.get(ownId)?.body).toBe('progress 2');
    const opsState = fake.workspace.stateNamed(fake.workspace.teamOf('OPS').id, 'Done');
    await expect(
      client.client.rawRequest(
        'mutation M($id: String!, $s: String!) { issueUpdate(id: $id, input: { stateId: $s }) { success } }',
        {
          id: issue.id,
          s: opsState.id,
        },
      ),
    ).rejects.toThrow(/team/);
    await expect(client.client.rawRequest('query { viewer { nope } }')).rejects.toThrow(
      /Cannot query field "nope"/,
    );
  });

  it('signs webhook deliveries the way @linear/sdk verifies them', async () => {
    const secret = 'whsec-test-0123456789';
    const received: Array<{ body: string; signature: string }> = [];
    const { createServer } = await import('node:http');
    const server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        received.push({
          body: Buffer.concat(chunks).toString(),
          signature: String(request.headers['linear-signature']),
        });
        response.end('ok');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as { port: number }).port;
    const { fake, alice } = await start();
    fake.addWebhook({ url: `http://127.0.0.1:${port}/`, secret });
    fake.workspace.createIssue({ team: 'ENG', title: 'hooked', creatorId: alice.id });
    await vi.waitFor(() => expect(received.length).toBeGreaterThan(0), { timeout: 30_000 });
    const delivery = received[0];
    if (delivery === undefined) throw new Error('no delivery');
    expect(delivery.signature).toBe(signLinearWebhook(delivery.body, secret));
    const payload = new LinearWebhookClient(secret).parseData(Buffer.from(delivery.body), delivery.signature);
    expect(payload).toMatchObject({ type: 'Issue', action: 'create' });
    server.close();
  });
});
