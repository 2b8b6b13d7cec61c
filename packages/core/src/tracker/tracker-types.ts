/**
 * The task-tracker contract: what an issue tracker adapter (GitHub Issues, Linear) implements so
 * that core's one tracker state machine (`createTrackerSync`) can take issues as tasks and write
 * their status back. Types only; no runtime code lives here.
 *
 * The split: the adapter speaks the tracker's API (requests, conditional requests, pagination,
 * rate limits, permission lookups) and maps its vocabulary (labels, workflow states) onto the
 * few statuses below; the state machine decides what happens and when, keeps every step keyed
 * and durable in the service store, and never lets tracker text or tracker credentials reach a
 * model, codex or a log unsanitised. Every string an adapter returns from the tracker (titles,
 * bodies, comments, names) is hostile.
 */

/** Where an issue lives and how to address it again, as the adapter understands it. */
export interface TrackerIssueRef {
  /** Stable, tracker-wide key, used in task ids and store keys: `octo/shop#12`, `ENG-42`. */
  key: string;
  /**
   * The container the issue belongs to, which routes it to a service project: a GitHub
   * repository (`octo/shop`), a Linear team key or project.
   */
  container: string;
  /** The adapter's own id of the issue (an issue number, a Linear issue id). */
  id: string;
}

/** One issue as the tracker reports it. Every text field is hostile. */
export interface TrackerIssue extends TrackerIssueRef {
  title: string;
  body: string;
  /** Web address of the issue, shown in comments and logs. */
  url: string;
  /** `closed` covers every finished state (closed, completed, cancelled). */
  state: 'open' | 'closed';
  /** Label names (Linear labels too). */
  labels: string[];
  /** Who it is assigned to (logins or user ids, as `author`). */
  assignees: string[];
  /** Who opened it (a login or a user id; adapter-specific, stable). */
  author: string;
  /** ISO time of the last change the tracker reports. */
  updatedAt: string;
}

/** One comment on an issue. `body` and `author` are hostile. */
export interface TrackerComment {
  id: string;
  author: string;
  body: string;
  /** True when the comment was written by the identity the adapter acts as (our own comments). */
  own: boolean;
  createdAt: string;
}

/** One page of candidate issues. */
export interface TrackerCandidates {
  /**
   * Issues that match the configured filter (open, with the trigger label, assignee, state...)
   * and changed since the cursor. The same issue may come again; the state machine dedupes.
   */
  issues: TrackerIssue[];
  /** Pass it back on the next call; opaque to the state machine (a time, ETags...). */
  cursor?: string;
  /** True when the tracker answered "not modified" (a conditional request that cost nothing). */
  notModified: boolean;
}

/** Who made an issue a candidate, and whether that person may start runs. */
export interface TrackerTrigger {
  /**
   * True only when the issue was created, or given its trigger (label, assignment, state) by a
   * person allowed to start runs (a collaborator with write access, or one named in the config).
   */
  allowed: boolean;
  /** The person whose action counts (the author or whoever applied the trigger). */
  by: string;
  /** One line for the log: why the issue is or is not eligible. */
  reason: string;
}

/**
 * The statuses the state machine moves an issue through; the adapter maps each to labels,
 * workflow states, assignment or closing, as configured:
 * - `claimed`: taken as a task (an "in progress" label or state, assigned to us);
 * - `done`: the run completed and its branches are merged;
 * - `needs-review`: the run ended but not everything merged (partly or nothing merged);
 * - `failed`: the run failed (a failure label; the issue stays open);
 * - `cancelled`: the run was cancelled from the tracker or the service (the claim is undone).
 */
export type TrackerStatus = 'claimed' | 'done' | 'needs-review' | 'failed' | 'cancelled';

/** Why a tracker call failed. */
export type TrackerErrorCode =
  /** Rate limited (429, or 403 with a rate-limit header): wait `retryAfterMs`, then try again. */
  | 'tracker-rate-limited'
  /** The token is missing, wrong or lacks a scope: a person must fix the config. */
  | 'tracker-unauthorized'
  /** The issue, comment or repository does not exist (or the token cannot see it). */
  | 'tracker-not-found'
  /** The tracker or the network failed; try again later with backoff. */
  | 'tracker-unavailable'
  /** The tracker answered something the adapter cannot read. */
  | 'tracker-bad-response';

/** Options every tracker call takes. */
export interface TrackerCallOptions {
  signal?: AbortSignal;
}

/**
 * What a tracker adapter implements. Every method may reject with a `TrackerError` (see
 * `tracker-error.ts`); a rate-limited call carries `retryAfterMs`. Methods that write are asked
 * again after a crash, so make them tolerate repetition (adding a label twice is fine; comments
 * are deduplicated by the state machine through a hidden marker in their body).
 *
 * The adapter holds the credentials: nothing it returns may contain a token.
 */
export interface TrackerClient {
  /** The tracker's name for task sources, ids and logs: `github`, `linear`. */
  readonly kind: string;
  /**
   * Candidate issues changed since `cursor`, every page of them, by conditional requests where the
   * tracker supports them (a GitHub 304 does not count against the rate limit).
   */
  listCandidates(options: TrackerCallOptions & { cursor?: string }): Promise<TrackerCandidates>;
  /** The issue as it is now (for cancellation: closed, trigger removed); undefined when gone. */
  getIssue(ref: TrackerIssueRef, options?: TrackerCallOptions): Promise<TrackerIssue | undefined>;
  /** Whether the issue still matches the configured filter (trigger label present, open...). */
  matchesFilter(issue: TrackerIssue): boolean;
  /** Who created or triggered the issue, and whether that person may start runs. */
  checkTrigger(issue: TrackerIssue, options?: TrackerCallOptions): Promise<TrackerTrigger>;
  /** Whether `person` (a comment's author) may decide approvals on issues of `container`. */
  isAllowed(person: string, container: string, options?: TrackerCallOptions): Promise<boolean>;
  /** Moves the issue to a status (labels, workflow state, assignment, closing). Idempotent. */
  setStatus(ref: TrackerIssueRef, status: TrackerStatus, options?: TrackerCallOptions): Promise<void>;
  /** Posts a comment; returns its id. */
  createComment(ref: TrackerIssueRef, body: string, options?: TrackerCallOptions): Promise<{ id: string }>;
  /** Replaces the body of one of our comments. */
  updateComment(
    ref: TrackerIssueRef,
    commentId: string,
    body: string,
    options?: TrackerCallOptions,
  ): Promise<void>;
  /** Comments created after `since` (ISO time; all when absent), oldest first, every page. */
  listComments(
    ref: TrackerIssueRef,
    options?: TrackerCallOptions & { since?: string },
  ): Promise<TrackerComment[]>;
}

/** An event a webhook receiver hands to the state machine: "look at this issue now". */
export interface TrackerNudge {
  /** The issue that changed, when the event names one; absent means "poll now". */
  ref?: TrackerIssueRef;
}

/**
 * What a tracker adapter package exports for `orchestrator serve` as `createServiceTracker`: the
 * state machine built from one `trackers[]` entry of the service config, and its own lifecycle
 * (a webhook receiver), started after the service and stopped before it.
 */
export interface ServiceTracker {
  readonly sync: import('./create-tracker-sync.js').TrackerSync;
  /** One line for `serve --check` and the start log; never a secret. */
  readonly description: string;
  start?(): Promise<void>;
  stop?(): Promise<void>;
}

/** The factory a tracker adapter package exports as `createServiceTracker`. */
export type CreateServiceTracker = (
  config: { kind: string },
  context: { env: NodeJS.ProcessEnv; logger: import('../types.js').Logger },
) => ServiceTracker | Promise<ServiceTracker>;
