/**
 * @codex-orchestrator/adapter-linear/testing: a fake Linear GraphQL API on loopback, for testing
 * this adapter and your own Linear integrations without the internet or a real API key.
 */

export type { FakeLinearApi, FakeLinearApiOptions, FakeLinearRequest } from './fake-linear-api.js';
export { createFakeLinearApi, signLinearWebhook } from './fake-linear-api.js';
export type {
  FakeIssueChange,
  FakeLinearCommentRecord,
  FakeLinearIssueRecord,
  FakeLinearLabel,
  FakeLinearProject,
  FakeLinearState,
  FakeLinearStateType,
  FakeLinearTeam,
  FakeLinearUser,
  FakeWorkspaceChange,
} from './fake-linear-workspace.js';
export { FakeLinearWorkspace } from './fake-linear-workspace.js';
