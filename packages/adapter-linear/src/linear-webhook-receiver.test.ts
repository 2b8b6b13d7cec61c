import { afterEach, describe, expect, it, vi } from 'vitest';
import { type LinearWebhookReceiver, startLinearWebhookReceiver } from './linear-webhook-receiver.js';
import { createFakeLinearApi, type FakeLinearApi, signLinearWebhook } from './testing/index.js';

const secret = 'lin_wh_testSecret0123456789';
let receiver: LinearWebhookReceiver | undefined;
let fake: FakeLinearApi | undefined;
afterEach(async () => {
  await receiver?.close();
  await fake?.close();
  receiver = undefined;
  fake = undefined;
});

const post = (url: string, body: string, signature?: string) =>
  fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(signature ? { 'linear-signature': signature } : {}) },
    body,
  });

describe('startLinearWebhookReceiver', () => {
  it('nudges on deliveries signed by the fake Linear, as Linear signs them', async () => {
    const onNudge = vi.fn();
    receiver = await startLinearWebhookReceiver({ secret, onNudge, port: 0 });
    fake = await createFakeLinearApi({ webhooks: [{ url: receiver.url, secret }] });
    fake.workspace.addTeam({ key: 'ENG' });
    const alice = fake.workspace.addUser({ name: 'Alice' });
    fake.workspace.createIssue({ team: 'ENG', title: 'hooked', creatorId: alice.id });
    await vi.waitFor(() => expect(onNudge).toHaveBeenCalled(), { timeout: 30_000 });
    expect(receiver.counts).toEqual({ accepted: 1, refused: 0 });
  });

  it('refuses a wrong signature, a missing one and a stale timestamp', async () => {
    const onNudge = vi.fn();
    receiver = await startLinearWebhookReceiver({ secret, onNudge, port: 0 });
    const fresh = JSON.stringify({ type: 'Issue', action: 'update', webhookTimestamp: Date.now() });
    expect((await post(receiver.url, fresh, signLinearWebhook(fresh, 'another-secret'))).status).toBe(401);
    expect((await post(receiver.url, fresh)).status).toBe(401);
    const stale = JSON.stringify({
      type: 'Issue',
      action: 'update',
      webhookTimestamp: Date.now() - 10 * 60_000,
    });
    expect((await post(receiver.url, stale, signLinearWebhook(stale, secret))).status).toBe(401);
    expect(onNudge).not.toHaveBeenCalled();
    expect((await post(receiver.url, fresh, signLinearWebhook(fresh, secret))).status).toBe(200);
    expect(onNudge).toHaveBeenCalledTimes(1);
    expect(receiver.counts).toEqual({ accepted: 1, refused: 3 });
  });
});
