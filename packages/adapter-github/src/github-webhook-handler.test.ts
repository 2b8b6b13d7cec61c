import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TrackerNudge } from '@codex-orchestrator/core/service';
import { sign } from '@octokit/webhooks-methods';
import { afterEach, describe, expect, it } from 'vitest';
import { createGitHubWebhookHandler } from './github-webhook-handler.js';

const secret = 'webhook-secret-for-tests';
let server: Server | undefined;
afterEach(async () => {
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

async function receiver() {
  const nudges: TrackerNudge[] = [];
  const warnings: string[] = [];
  const handle = createGitHubWebhookHandler({
    secret,
    onNudge: (nudge) => nudges.push(nudge),
    logger: { warn: (message) => warnings.push(message), error: () => undefined },
  });
  server = createServer((request, response) => void handle(request, response));
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  const deliver = (body: string, headers: Record<string, string>) =>
    fetch(url, { method: 'POST', body, headers: { 'content-type': 'application/json', ...headers } });
  return { nudges, warnings, deliver };
}

describe('createGitHubWebhookHandler', () => {
  it('nudges the poll for a correctly signed issue event, naming the issue', async () => {
    const { nudges, deliver } = await receiver();
    const body = JSON.stringify({
      action: 'labeled',
      issue: { number: 7 },
      repository: { full_name: 'octo/shop' },
    });
    const response = await deliver(body, {
      'x-github-event': 'issues',
      'x-hub-signature-256': await sign(secret, body),
    });
    expect(response.status).toBe(202);
    expect(nudges).toEqual([{ ref: { key: 'octo/shop#7', container: 'octo/shop', id: '7' } }]);
  });

  it('refuses a missing, wrong or replayed-with-changes signature, and ignores other events', async () => {
    const { nudges, warnings, deliver } = await receiver();
    const body = JSON.stringify({ issue: { number: 7 }, repository: { full_name: 'octo/shop' } });
    const signature = await sign(secret, body);
    expect((await deliver(body, { 'x-github-event': 'issues' })).status).toBe(401);
    expect(
      (await deliver(body, { 'x-github-event': 'issues', 'x-hub-signature-256': await sign('other', body) }))
        .status,
    ).toBe(401);
    const tampered = body.replace('7', '8');
    expect(
      (await deliver(tampered, { 'x-github-event': 'issues', 'x-hub-signature-256': signature })).status,
    ).toBe(401);
    expect((await deliver(body, { 'x-github-event': 'push', 'x-hub-signature-256': signature })).status).toBe(
      202,
    );
    expect(nudges).toEqual([]);
    expect(warnings).toHaveLength(3);
  });
});
