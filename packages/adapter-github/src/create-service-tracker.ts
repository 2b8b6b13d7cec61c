import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '@codex-orchestrator/core';
import {
  type CreateServiceTracker,
  createTrackerSync,
  type GitHubTrackerConfig,
  readSecret,
  type ServiceTracker,
} from '@codex-orchestrator/core/service';
import { createGitHubTracker } from './create-github-tracker.js';
import { createGitHubWebhookHandler } from './github-webhook-handler.js';

/**
 * Builds the GitHub tracker of one `trackers[]` entry (`kind: "github"`) of the service config:
 * the client, the state machine and, when configured, the webhook receiver. `orchestrator serve`
 * calls it; code that embeds the service can too.
 */
export const createServiceTracker: CreateServiceTracker = (config, context): ServiceTracker => {
  const settings = config as GitHubTrackerConfig;
  const name = settings.name ?? 'github';
  const logger: Logger = context.logger;
  const token = readSecret(settings.token, `trackers.${name}.token`, context.env);
  const client = createGitHubTracker({
    repositories: Object.keys(settings.repositories),
    token,
    labels: settings.labels,
    allowedUsers: settings.allowedUsers,
    collaborators: settings.collaborators,
    closeOnDone: settings.closeOnDone,
    logger,
    ...(settings.assignee === undefined ? {} : { assignee: settings.assignee }),
    ...(settings.statusLabels === undefined ? {} : { statusLabels: settings.statusLabels }),
    ...(settings.baseUrl === undefined ? {} : { baseUrl: settings.baseUrl }),
  });
  const sync = createTrackerSync({
    client,
    name,
    projects: settings.repositories,
    pollIntervalMs: settings.pollIntervalMs,
    progressIntervalMs: settings.progressIntervalMs,
    approvals: settings.approvals,
    logger,
  });
  const webhook = settings.webhook;
  let server: Server | undefined;
  const repositories = Object.entries(settings.repositories)
    .map(([repository, project]) => `${repository} -> ${project}`)
    .join(', ');
  return {
    sync,
    description: `tracker ${name}: GitHub issues of ${repositories} labelled ${settings.labels.join(' + ')}, polled every ${Math.round(settings.pollIntervalMs / 1000)} s${webhook ? `, webhooks on http://${webhook.host}:${webhook.port}${webhook.path}` : ''}`,
    async start() {
      if (!webhook) return;
      const handle = createGitHubWebhookHandler({
        secret: readSecret(webhook.secret, `trackers.${name}.webhook.secret`, context.env),
        onNudge: (nudge) => sync.nudge(nudge),
        logger,
      });
      server = createServer((request, response) => {
        if ((request.url ?? '').split('?')[0] !== webhook.path) {
          response.writeHead(404).end();
          return;
        }
        handle(request, response).catch(() => response.writeHead(500).end());
      });
      await new Promise<void>((resolve) => server?.listen(webhook.port, webhook.host, resolve));
      const { port } = server.address() as AddressInfo;
      logger.info?.(`${name}: webhooks on http://${webhook.host}:${port}${webhook.path}`);
    },
    async stop() {
      await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
      server = undefined;
    },
  };
};
