/**
 * @codex-orchestrator/adapter-github/testing: a fake GitHub REST API on loopback for tests, ours
 * and users'.
 */
export type {
  FakeGitHubApi,
  FakeGitHubApiOptions,
  FakeGitHubFailure,
  FakeGitHubRequest,
} from './fake-github-api.js';
export { createFakeGitHubApi } from './fake-github-api.js';
export type { FakeComment, FakeIssue, FakePermission } from './fake-github-state.js';
