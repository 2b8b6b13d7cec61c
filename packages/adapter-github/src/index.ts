/**
 * @codex-orchestrator/adapter-github: tasks from GitHub Issues, with status, progress and results
 * written back. `createGitHubTracker` is the `TrackerClient` that core's `createTrackerSync` drives;
 * `createGitHubWebhookHandler` is the optional faster path.
 */
export type { ConditionalFetchStats } from './conditional-fetch.js';
export type { GitHubTracker } from './create-github-tracker.js';
export { createGitHubTracker } from './create-github-tracker.js';
export { createServiceTracker } from './create-service-tracker.js';
export type { GitHubStatusLabels, GitHubTrackerSettings } from './github-tracker-settings.js';
export type { GitHubWebhookHandlerOptions } from './github-webhook-handler.js';
export { createGitHubWebhookHandler } from './github-webhook-handler.js';
