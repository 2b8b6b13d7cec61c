/** A Linear workspace role: `admin`, `member` (neither admin nor guest) or `guest`. */
export type LinearRole = 'admin' | 'member' | 'guest';

/** Settings of `createLinearTracker`. */
export interface LinearTrackerSettings {
  /** A personal API key (default: env `LINEAR_API_KEY`). Never logged, never sent to a model. */
  apiKey?: string;
  /** The GraphQL endpoint (default `https://api.linear.app/graphql`; plain HTTP only on loopback). */
  apiUrl?: string;
  /** Team keys whose issues are watched (`ENG`). At least one of `teams` or `projects`. */
  teams?: string[];
  /**
   * Linear project names whose issues are watched. When set, an issue's container (what the
   * service config maps to one of its projects) is its Linear project name; otherwise its team key.
   */
  projects?: string[];
  /** The label that makes an issue a task (default `orchestrator`; `null`: no label needed). */
  label?: string | null;
  /** Only issues assigned to this user (an id, an email, or `me` for the API key's user). */
  assignee?: string;
  /** Only issues in these workflow states (names, e.g. `Todo`), besides the states we set. */
  states?: string[];
  /**
   * Who may start runs (by creating the issue or applying the label) and approve merges. Users by
   * id or email; roles of the workspace. Default: roles `admin` and `member` (not guests) when no
   * users are listed, else only the users listed (plus any roles given).
   */
  allowed?: { users?: string[]; roles?: LinearRole[] };
  /** Workflow state names the adapter moves issues to (per team, by name). */
  workflow?: {
    /** On claim (default `In Progress`). */
    inProgress?: string;
    /** When the run merged everything (default `Done`). */
    done?: string;
    /** When the run ended with work left unmerged (default `In Review`). */
    needsReview?: string;
    /** When a run is cancelled by the service, back to this state (default `Todo`). */
    todo?: string;
  };
  /** Added when a run fails; the issue keeps its state (default `orchestrator-failed`). */
  failureLabel?: string;
  /** Assign the issue to the API key's user on claim (default true). */
  assignOnClaim?: boolean;
  /** How long the workspace member list is cached (default 10 minutes). */
  membersCacheMs?: number;
  /** Requests of Linear's hourly budget left unspent: below it, calls wait for the reset (default 10). */
  reserveRequests?: number;
  /** Issues per page (default 50, at most 250). */
  pageSize?: number;
}
