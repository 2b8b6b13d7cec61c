/**
 * The service's HTTP API contract: what the API asks of the running service, and the shapes it
 * answers with. Types only; the typed client (`createServiceClient`) and the server
 * (`createServiceApi`) both follow it, and so will the web dashboard.
 */
import type {
  ApprovalDecisionResult,
  OrchestratorStore,
  StoredApproval,
  StoredEvent,
  StoredRun,
  StoredTask,
} from '../store/store-types.js';

/** A project as the API shows it: names and choices, never paths to secrets or tokens. */
export interface ProjectSummary {
  name: string;
  description: string;
  defaultBranch: string;
}

/** What the API needs from the running service besides the store. */
export interface ServiceControl {
  projects(): readonly ProjectSummary[];
  /** Queues a task. `project` is optional when routing can choose. */
  submit(request: { text: string; project?: string; source: string }): Promise<StoredTask>;
  /** Names the project of a task that waits for one (`awaiting-project`) and queues it there. */
  answerProject(taskId: string, project: string): Promise<StoredTask>;
  /** Cancels a queued or running task; false when it is already over or unknown. */
  cancel(taskId: string, reason: string): Promise<boolean>;
  /** Decides a pending merge approval for the commit that was reviewed. */
  decide(
    approvalId: string,
    decision: { approve: boolean; commit: string; by: string },
  ): Promise<ApprovalDecisionResult>;
  /** Calls `listener` with each event stored for `runId` from now on; returns the unsubscribe. */
  onEvent(runId: string, listener: (event: StoredEvent) => void): () => void;
  /** Whether the run can still produce events (the SSE stream ends when it cannot). */
  isLive(runId: string): boolean;
}

/** Settings of the API server. */
export interface ServiceApiOptions {
  store: OrchestratorStore;
  control: ServiceControl;
  /** The bearer token every request must carry (`Authorization: Bearer <token>`); at least 16 characters. */
  token: string;
  /** Browser origins allowed to call the API (default none: a request with an `Origin` header is refused). */
  allowedOrigins?: readonly string[];
  /** Largest request body in bytes (default 64 KiB). */
  maxBodyBytes?: number;
  /** Seconds between SSE keep-alive comments (default 15). */
  keepAliveSeconds?: number;
}

/** A task with its runs, as `GET /v1/tasks/:id` answers. */
export interface TaskDetails {
  task: StoredTask;
  runs: StoredRun[];
}

/** The `code` of an API error answer. */
export type ApiErrorCode =
  | 'already-decided'
  | 'body-too-large'
  | 'commit-mismatch'
  | 'internal-error'
  | 'invalid-request'
  | 'not-awaiting-project'
  | 'not-cancellable'
  | 'not-found'
  | 'origin-refused'
  | 'unauthorized'
  | 'unknown-project';

/** Every error answer: `{ error: { code, message } }` with a matching HTTP status. */
export interface ApiErrorBody {
  error: { code: ApiErrorCode; message: string };
}

export type { StoredApproval, StoredEvent, StoredRun, StoredTask };
