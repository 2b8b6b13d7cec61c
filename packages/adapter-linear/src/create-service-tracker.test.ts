import { parseServiceConfig } from '@codex-orchestrator/core/service';
import { afterEach, describe, expect, it } from 'vitest';
import { createServiceTracker } from './create-service-tracker.js';
import { createFakeLinearApi, type FakeLinearApi, signLinearWebhook } from './testing/index.js';

let fake: FakeLinearApi | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

const configWith = (tracker: Record<string, unknown>) =>
  parseServiceConfig(
    JSON.stringify({
      projects: { shop: { description: 'The shop.', baseDir: '/srv/shop' } },
      trackers: [{ kind: 'linear', teams: { ENG: 'shop' }, ...tracker }],
    }),
    '/etc/orchestrator/serve.json',
  ).trackers[0] as { kind: string };

describe('createServiceTracker (linear)', () => {
  it('builds the tracker of a config entry, describes it without secrets and runs its webhook receiver', async () => {
    fake = await createFakeLinearApi();
    const lines: string[] = [];
    const logger = {
      info: (message: string) => lines.push(message),
      warn: (message: string) => lines.push(message),
      error: (message: string) => lines.push(message),
    };
    const secret = 'lin_wh_serviceTrackerSecret0123';
    const tracker = await createServiceTracker(
      configWith({
        apiUrl: fake.url,
        apiKey: { env: 'TEST_LINEAR_KEY' },
        webhook: { port: 0, secret: { env: 'TEST_LINEAR_WEBHOOK' } },
      }),
      { env: { TEST_LINEAR_KEY: fake.apiKey, TEST_LINEAR_WEBHOOK: secret }, logger },
    );
    expect(tracker.description).toContain(
      'Linear issues of ENG -> shop, labelled orchestrator, polled every 60 s',
    );
    expect(tracker.description).not.toContain(fake.apiKey);
    expect(tracker.sync.source.name).toBe('linear');
    await tracker.start?.();
    try {
      const url = /webhooks on (\S+)/.exec(lines.join('\n'))?.[1];
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/linear\/webhook$/);
      const body = JSON.stringify({ type: 'Issue', action: 'update', webhookTimestamp: Date.now() });
      const post = (signature: string) =>
        fetch(url ?? '', { method: 'POST', headers: { 'linear-signature': signature }, body });
      expect((await post(signLinearWebhook(body, 'wrong-secret'))).status).toBe(401);
      expect((await post(signLinearWebhook(body, secret))).status).toBe(200);
    } finally {
      await tracker.stop?.();
    }
  });

  it('names the missing API key variable', () => {
    expect(() =>
      createServiceTracker(configWith({}), {
        env: {},
        logger: { warn: () => undefined, error: () => undefined },
      }),
    ).toThrow(/LINEAR_API_KEY/);
  });
});
