import type { Logger } from '@codex-orchestrator/core';
import {
  type CreateServiceTracker,
  createTrackerSync,
  type LinearTrackerConfig,
  readSecret,
  type ServiceTracker,
} from '@codex-orchestrator/core/service';
import { createLinearTracker } from './create-linear-tracker.js';
import { type LinearWebhookReceiver, startLinearWebhookReceiver } from './linear-webhook-receiver.js';

/**
 * Builds the Linear tracker of one `trackers[]` entry (`kind: "linear"`) of the service config:
 * the client, the state machine and, when configured, the verified webhook receiver.
 * `orchestrator serve` calls it; code that embeds the service can too.
 */
export const createServiceTracker: CreateServiceTracker = (config, context): ServiceTracker => {
  const settings = config as LinearTrackerConfig;
  const name = settings.name ?? 'linear';
  const logger: Logger = context.logger;
  const teams = Object.keys(settings.teams);
  const projects = Object.keys(settings.projects);
  const routing: Record<string, string> = { ...settings.teams, ...settings.projects };
  const client = createLinearTracker({
    apiKey: readSecret(settings.apiKey, `trackers.${name}.apiKey`, context.env),
    teams,
    projects,
    label: settings.label,
    assignOnClaim: settings.assignOnClaim,
    allowed: {
      users: settings.allowedUsers,
      ...(settings.allowedRoles === undefined ? {} : { roles: settings.allowedRoles }),
    },
    ...(settings.apiUrl === undefined ? {} : { apiUrl: settings.apiUrl }),
    ...(settings.assignee === undefined ? {} : { assignee: settings.assignee }),
    ...(settings.states === undefined ? {} : { states: settings.states }),
    ...(settings.workflow === undefined ? {} : { workflow: settings.workflow }),
    ...(settings.failureLabel === undefined ? {} : { failureLabel: settings.failureLabel }),
  });
  const sync = createTrackerSync({
    client,
    name,
    // An issue's container is its Linear project name when projects are configured and it has
    // one of them, else its team key: both kinds of keys route.
    projects: routing,
    pollIntervalMs: settings.pollIntervalMs,
    progressIntervalMs: settings.progressIntervalMs,
    approvals: settings.approvals,
    logger,
  });
  const webhook = settings.webhook;
  let receiver: LinearWebhookReceiver | undefined;
  const routes = Object.entries(routing)
    .map(([container, project]) => `${container} -> ${project}`)
    .join(', ');
  const trigger = settings.label === null ? 'any label' : `labelled ${settings.label}`;
  return {
    sync,
    description: `tracker ${name}: Linear issues of ${routes}, ${trigger}, polled every ${Math.round(settings.pollIntervalMs / 1000)} s${webhook ? `, webhooks on http://${webhook.host}:${webhook.port}${webhook.path}` : ''}`,
    async start() {
      if (!webhook) return;
      receiver = await startLinearWebhookReceiver({
        secret: readSecret(webhook.secret, `trackers.${name}.webhook.secret`, context.env),
        host: webhook.host,
        port: webhook.port,
        path: webhook.path,
        onNudge: () => sync.nudge(),
        logger,
      });
      logger.info?.(`${name}: webhooks on ${receiver.url}`);
    },
    async stop() {
      await receiver?.close();
      receiver = undefined;
    },
  };
};
