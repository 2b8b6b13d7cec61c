/**
 * @codex-orchestrator/core/service: the building blocks of `orchestrator serve` for embedding and
 * for tools that talk to it: the durable store contract and its embedded SQLite implementation,
 * the HTTP API (JSON + server-sent events) and its typed client.
 */

export type {
  ApiErrorBody,
  ApiErrorCode,
  ProjectSummary,
  ServiceApiOptions,
  ServiceControl,
  TaskDetails,
} from './api/api-types.js';
export { createServiceApi } from './api/create-service-api.js';
export type {
  ServiceApiErrorCode,
  ServiceClient,
  ServiceClientOptions,
} from './api/create-service-client.js';
export { createServiceClient, ServiceApiError } from './api/create-service-client.js';
export type { ServeServiceApiOptions, ServiceApiServer } from './api/serve-service-api.js';
export { serveServiceApi } from './api/serve-service-api.js';
export type {
  OrchestratorService,
  OrchestratorServiceOptions,
  ProjectTaskInput,
  ProjectTaskRunner,
  ServiceLogEntry,
  ServiceProject,
} from './service/create-orchestrator-service.js';
export { createOrchestratorService, defaultStorePath } from './service/create-orchestrator-service.js';
export type { ApprovalDecisions, DurableApproverOptions } from './service/durable-approver.js';
export {
  approvalIdFor,
  createApprovalDecisions,
  createDurableApprover,
  decideApproval,
} from './service/durable-approver.js';
export type { ServiceConfig } from './service/load-service-config.js';
export {
  loadServiceConfig,
  parseServiceConfig,
  readSecret,
  serviceConfigJsonSchema,
} from './service/load-service-config.js';
export {
  createModelProjectClassifier,
  projectProposalSchema,
  routerInstructions,
} from './service/model-project-classifier.js';
export type {
  ProjectClassifier,
  ProjectProposal,
  RoutableProject,
  RouteDecision,
} from './service/route-task.js';
export { parseExplicitProject, routeTask, whichProjectQuestion } from './service/route-task.js';
export type {
  GitHubTrackerConfig,
  LinearTrackerConfig,
  SecretRef,
  ServiceConfigInput,
  ServiceConfigParsed,
  ServiceProjectConfig,
  ServiceTrackerConfig,
} from './service/service-config-schema.js';
export { serviceConfigSchema } from './service/service-config-schema.js';
export { createMemoryStore } from './store/create-memory-store.js';
export type { SqliteStoreOptions } from './store/create-sqlite-store.js';
export { createSqliteStore } from './store/create-sqlite-store.js';
export type { StoreErrorCode } from './store/store-errors.js';
export { StoreConflictError, StoreError } from './store/store-errors.js';
export type * from './store/store-types.js';
export type {
  TrackerSync,
  TrackerSyncOptions,
  TrackerSyncService,
} from './tracker/create-tracker-sync.js';
export { createTrackerSync } from './tracker/create-tracker-sync.js';
export type { TrackerTextLimits } from './tracker/render-tracker-task-text.js';
export { cleanTrackerText, renderTrackerTaskText } from './tracker/render-tracker-task-text.js';
export { isRetryableTrackerError, TrackerError } from './tracker/tracker-error.js';
export type * from './tracker/tracker-types.js';
