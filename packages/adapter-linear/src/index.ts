/**
 * @codex-orchestrator/adapter-linear: take codex-orchestrator tasks from Linear issues and write
 * progress, results and state back to them. A `TrackerClient` for core's tracker state machine
 * (`createTrackerSync` in `@codex-orchestrator/core/service`), on `@linear/sdk`.
 *
 * Commonly used: `createLinearTracker` and its settings.
 * Convenience: `startLinearWebhookReceiver`, a verified webhook endpoint that makes the state
 * machine poll at once.
 * Fakes for tests: `@codex-orchestrator/adapter-linear/testing`.
 */

export type {
  LinearIssueDetails,
  LinearTracker,
  LinearTrackerIssue,
} from './create-linear-tracker.js';
export { createLinearTracker } from './create-linear-tracker.js';
export { createServiceTracker } from './create-service-tracker.js';
export type { LinearRole, LinearTrackerSettings } from './linear-tracker-settings.js';
export type { LinearWebhookReceiver, LinearWebhookReceiverOptions } from './linear-webhook-receiver.js';
export { startLinearWebhookReceiver } from './linear-webhook-receiver.js';
