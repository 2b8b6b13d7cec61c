import type { ServiceControl } from '../api/api-types.js';
import type { OrchestratorEvent } from '../events.js';
import { reduceRunState } from '../run-state/reduce-run-state.js';
import { createRunState, type RunState } from '../run-state/run-state.js';
import { errorMessage } from '../shared/error-message.js';
import { type BackoffOptions, backoffDelay } from '../shared/retry-with-backoff.js';
import type { OrchestratorStore, StoredApproval } from '../store/store-types.js';
import type { Logger, Task, TaskSink, TaskSource } from '../types.js';
import {
  renderApprovalComment,
  renderEndComment,
  renderProgressComment,
  stepMarker,
} from './render-tracker-comments.js';
import {
  cleanTrackerText,
  renderTrackerTaskText,
  type TrackerTextLimits,
} from './render-tracker-task-text.js';
import { TrackerError } from './tracker-error.js';
import type {
  TrackerClient,
  TrackerIssue,
  TrackerIssueRef,
  TrackerNudge,
  TrackerStatus,
} from './tracker-types.js';

/** Settings of `createTrackerSync`. */
export interface TrackerSyncOptions {
  client: TrackerClient;
  /**
   * Which service project each container (repository, team) runs in: the explicit routing. An
   * issue of a container not listed is ignored (and logged once).
   */
  projects: Readonly<Record<string, string>>;
  /** Name of the task source and prefix of task ids and store keys (default: `client.kind`). */
  name?: string;
  /** Time between polls (default 60,000 ms). */
  pollIntervalMs?: number;
  /** Shortest time between two edits of the progress comment (default 30,000 ms). */
  progressIntervalMs?: number;
  /** Take `/approve` and `/reject` comments from allowed people (default true). */
  approvals?: boolean;
  /** Caps on the issue text that reaches the model. */
  textLimits?: TrackerTextLimits;
  /** Backoff after failed polls without a `retryAfterMs` (default 1 s doubling up to 15 min). */
  backoff?: BackoffOptions;
  logger?: Logger;
}

/** The service parts the state machine works with, available once the service started. */
export interface TrackerSyncService {
  readonly store: OrchestratorStore;
  readonly control: ServiceControl;
}

/** The tracker state machine, plugged into the service as a task source and a sink. */
export interface TrackerSync {
  /** Yields each eligible issue once, as a task routed to its project. */
  readonly source: TaskSource;
  /** Writes progress and the outcome back to the issue. */
  readonly sink: TaskSink;
  /** Give it to the service's `notifyApproval` (chain it with others): asks on the issue. */
  notifyApproval(approval: StoredApproval): Promise<void>;
  /** Connects the service (its store and control). Call before `service.start()`. */
  attach(service: TrackerSyncService): void;
  /** Polls now instead of at the next interval (a verified webhook delivery). */
  nudge(nudge?: TrackerNudge): void;
}

/** What the state machine keeps per issue, under `tracker:<name>:issue:<key>`. */
interface IssueRecord {
  ref: TrackerIssueRef;
  taskId: string;
  project: string;
  /** `claimed`: queued or running; `ending`: the run ended, write-back not finished; `ended`. */
  phase: 'claimed' | 'ending' | 'ended';
  /** Ids of our comments by step (`progress`, `end`, `approval:<id>`). */
  comments: Record<string, string>;
  /** ISO time of the newest comment read for approvals; later ones are still to read. */
  commentsSince?: string | undefined;
  /** Ids of the comments read at `commentsSince` exactly (times may be whole seconds). */
  commentsSeen?: string[];
  end?: { outcome: string; status: TrackerStatus; body: string };
}

const statusOf = (outcome: string): TrackerStatus =>
  outcome === 'completed'
    ? 'done'
    : outcome === 'cancelled'
      ? 'cancelled'
      : outcome === 'partly-merged' || outcome === 'nothing-merged'
        ? 'needs-review'
        : 'failed';

/** `/approve task-x` or `/reject task-x [commit]` on a line of its own. */
const approvalCommand =
  /^[ \t]*\/(approve|reject)[ \t]+([A-Za-z0-9._/-]{1,200})(?:[ \t]+([0-9a-f]{4,40}))?[ \t]*$/im;

const stderrLogger: Logger = {
  warn: (message, details) =>
    process.stderr.write(`${message}${details ? ` ${JSON.stringify(details)}` : ''}\n`),
  error: (message, details) =>
    process.stderr.write(`${message}${details ? ` ${JSON.stringify(details)}` : ''}\n`),
};

/**
 * Core's one tracker state machine: polls a `TrackerClient` politely (interval, conditional
 * requests, backoff honouring `retryAfterMs`), takes an issue as a task only when it matches the
 * filter and an allowed person created or triggered it, and writes back as keyed, durable steps:
 * claim → one progress comment edited in place (throttled) → an end comment with the outcome and
 * the done / needs-review / failed status. Closing the issue or removing its trigger cancels the
 * run; `/approve task-x` comments by allowed people decide merge approvals. Every step is
 * recorded in the service store, so a restart repeats none of them, and each comment carries a
 * hidden step marker, so a crash between posting and recording finds it instead of posting twice.
 *
 * @example
 * const sync = createTrackerSync({ client: createGitHubTracker({...}), projects: { 'octo/shop': 'shop' } });
 * const service = createOrchestratorService({ config, sources: [sync.source], sinks: [sync.sink],
 *   notifyApproval: sync.notifyApproval });
 * sync.attach(service);
 * await service.start();
 */
export function createTrackerSync(options: TrackerSyncOptions): TrackerSync {
  const { client } = options;
  const name = options.name ?? client.kind;
  const logger = options.logger ?? stderrLogger;
  const pollIntervalMs = options.pollIntervalMs ?? 60_000;
  const progressIntervalMs = options.progressIntervalMs ?? 30_000;
  const backoff: BackoffOptions = options.backoff ?? { initialDelayMs: 1_000, maxDelayMs: 15 * 60_000 };
  const cursorKey = `tracker:${name}:cursor`;
  const issuePrefix = `tracker:${name}:issue:`;
  let service: TrackerSyncService | undefined;
  let wake: (() => void) | undefined;
  let nudged = false;
  /** Issues found ineligible, by key and the update time that was checked (re-checked when changed). */
  const ignored = new Map<string, string>();
  const unrouted = new Set<string>();
  const endedSeen = new Set<string>();
  /** Tasks whose end the sink has seen: late events no longer rebuild their state. */
  const ended = new Set<string>();
  const runStates = new Map<string, RunState>();
  const progress = new Map<string, { lastEdit: number; timer?: NodeJS.Timeout | undefined }>();
  /** One write chain per issue: the record and the comments of an issue change one step at a time. */
  const chains = new Map<string, Promise<unknown>>();

  const requireService = () => {
    if (!service) throw new Error(`the ${name} tracker is not attached; call attach(service) before start()`);
    return service;
  };
  const taskIdOf = (key: string) => `${name}:${key}`;
  const recordKey = (key: string) => `${issuePrefix}${key}`;
  const readRecord = async (key: string) =>
    (await requireService().store.getRecord(recordKey(key))) as IssueRecord | undefined;
  const writeRecord = (record: IssueRecord) =>
    requireService().store.putRecord(recordKey(record.ref.key), record);

  function serial<T>(key: string, work: () => Promise<T>): Promise<T> {
    const previous = chains.get(key) ?? Promise.resolve();
    const next = previous.then(work, work);
    const settled = next.catch(() => undefined);
    chains.set(key, settled);
    void settled.then(() => {
      if (chains.get(key) === settled) chains.delete(key);
    });
    return next;
  }

  /**
   * Posts (or edits) the comment of one step exactly once: the id is recorded; a step started
   * before a crash whose id was never recorded looks for its marker among our comments first.
   */
  async function upsertComment(
    record: IssueRecord,
    step: string,
    body: string,
    edit: boolean,
  ): Promise<void> {
    const { store } = requireService();
    const marker = stepMarker(`${name}:${record.ref.key}:${step}`);
    const full = `${body}\n\n${marker}`;
    let id = record.comments[step];
    if (id === undefined && !(await store.markOnce(`${issuePrefix}${record.ref.key}:step:${step}`))) {
      const found = (await client.listComments(record.ref)).find(
        (comment) => comment.own && comment.body.includes(marker),
      );
      if (found) {
        id = found.id;
        record.comments[step] = id;
        await writeRecord(record);
      }
    }
    if (id === undefined) {
      id = (await client.createComment(record.ref, full)).id;
      record.comments[step] = id;
      await writeRecord(record);
      return;
    }
    if (edit) await client.updateComment(record.ref, id, full);
  }

  async function claim(issue: TrackerIssue, project: string): Promise<Task> {
    const record: IssueRecord = (await readRecord(issue.key)) ?? {
      ref: { key: issue.key, container: issue.container, id: issue.id },
      taskId: taskIdOf(issue.key),
      project,
      phase: 'claimed',
      comments: {},
      commentsSince: new Date().toISOString(),
    };
    await writeRecord(record);
    await client.setStatus(record.ref, 'claimed');
    await upsertComment(
      record,
      'progress',
      renderProgressComment(undefined, { project, phase: 'queued' }),
      false,
    );
    return {
      id: record.taskId,
      source: name,
      text: renderTrackerTaskText(client.kind, issue, options.textLimits),
      metadata: {
        project,
        tracker: name,
        trackerIssue: issue.key,
        trackerUrl: cleanTrackerText(issue.url, 500),
      },
    };
  }

  /** One poll: new eligible issues become tasks; claimed ones are checked for cancellation and approvals. */
  async function poll(signal: AbortSignal): Promise<Task[]> {
    const { store } = requireService();
    const cursor = (await store.getRecord(cursorKey)) as string | undefined;
    const page = await client.listCandidates({ signal, ...(cursor === undefined ? {} : { cursor }) });
    const tasks: Task[] = [];
    for (const issue of page.issues) {
      if (!client.matchesFilter(issue) || ignored.get(issue.key) === issue.updatedAt) continue;
      const project = options.projects[issue.container];
      if (project === undefined) {
        if (!unrouted.has(issue.container))
          logger.warn(
            `${name}: issues of ${cleanTrackerText(issue.container, 200)} are ignored: no project is mapped to it`,
          );
        unrouted.add(issue.container);
        continue;
      }
      if (await store.getTask(taskIdOf(issue.key))) continue;
      const trigger = await client.checkTrigger(issue, { signal });
      if (!trigger.allowed) {
        ignored.set(issue.key, issue.updatedAt);
        logger.info?.(
          `${name}: issue ${cleanTrackerText(issue.key, 200)} ignored: ${cleanTrackerText(trigger.reason, 300)}`,
          {
            issue: cleanTrackerText(issue.key, 200),
            by: cleanTrackerText(trigger.by, 100),
          },
        );
        continue;
      }
      tasks.push(await serial(issue.key, () => claim(issue, project)));
    }
    // Only now: a poll that failed half-way sees the same issues again.
    if (page.cursor !== undefined && page.cursor !== cursor) await store.putRecord(cursorKey, page.cursor);
    for (const { value } of await store.listRecords(issuePrefix)) {
      const record = value as IssueRecord;
      if (record.phase === 'ending') await serial(record.ref.key, () => finish(record.ref.key));
      else if (record.phase === 'claimed') await watch(record, signal);
    }
    return tasks;
  }

  /** Cancels the run of a closed or un-triggered issue; reads new comments for approvals. */
  async function watch(record: IssueRecord, signal: AbortSignal): Promise<void> {
    const { control, store } = requireService();
    const task = await store.getTask(record.taskId);
    if (task && (task.state === 'finished' || task.state === 'cancelled')) {
      // Normally the sink's onTaskEnd ends the issue. A run that ended just before a crash never
      // told it: seen ended at two polls in a row, the issue is ended from the store (no report).
      if (!endedSeen.has(record.taskId)) {
        endedSeen.add(record.taskId);
        return;
      }
      endedSeen.delete(record.taskId);
      const outcome = task.outcome ?? (task.state === 'cancelled' ? 'cancelled' : 'failed');
      await serial(record.ref.key, async () => {
        const current = await readRecord(record.ref.key);
        if (current?.phase !== 'claimed') return;
        current.phase = 'ending';
        current.end = { outcome, status: statusOf(outcome), body: renderEndComment(undefined, { outcome }) };
        await writeRecord(current);
        await finish(record.ref.key);
      });
      return;
    }
    const issue = await client.getIssue(record.ref, { signal });
    if (!issue || issue.state === 'closed' || !client.matchesFilter(issue)) {
      const reason = !issue
        ? 'the issue is gone'
        : issue.state === 'closed'
          ? 'the issue was closed'
          : 'its trigger was removed';
      logger.info?.(`${name}: cancelling ${record.taskId}: ${reason}`);
      await control.cancel(record.taskId, `${name}: ${reason}`);
      return;
    }
    if (options.approvals === false) return;
    const since = record.commentsSince;
    const comments = await client.listComments(record.ref, {
      signal,
      ...(since === undefined ? {} : { since }),
    });
    for (const comment of comments) {
      if (since !== undefined && comment.createdAt <= since) continue;
      if (!comment.own) await approvalFrom(record, comment);
      record.commentsSince = comment.createdAt;
    }
    if (record.commentsSince !== since)
      await serial(record.ref.key, async () => {
        const current = await readRecord(record.ref.key);
        if (current) await writeRecord({ ...current, commentsSince: record.commentsSince });
      });
  }

  async function approvalFrom(
    record: IssueRecord,
    comment: { author: string; body: string; createdAt: string },
  ) {
    const match = approvalCommand.exec(comment.body);
    if (!match) return;
    const { store, control } = requireService();
    const [, verb, branch, commit] = match as unknown as [
      string,
      'approve' | 'reject',
      string,
      string | undefined,
    ];
    const who = cleanTrackerText(comment.author, 100);
    if (!(await client.isAllowed(comment.author, record.ref.container))) {
      logger.warn(
        `${name}: /${verb} ${branch} by ${who} on ${record.ref.key} ignored: not an allowed person`,
      );
      return;
    }
    // Only approvals asked before the comment was written: a person approves what they saw.
    const pending = (await store.listApprovals({ state: 'pending' })).filter(
      (approval) =>
        approval.taskId === record.taskId &&
        approval.branch === branch &&
        // Trackers give whole seconds: compare at that resolution.
        approval.requestedAt.slice(0, 19) <= comment.createdAt.slice(0, 19) &&
        (commit === undefined || approval.commit.startsWith(commit)),
    );
    if (pending.length === 0) {
      logger.warn(`${name}: /${verb} ${branch} by ${who} on ${record.ref.key}: no pending approval matches`);
      return;
    }
    for (const approval of pending) {
      const result = await control.decide(approval.id, {
        approve: verb === 'approve',
        commit: approval.commit,
        by: `${name}:${who}`,
      });
      logger.info?.(`${name}: ${approval.id} ${verb}d by ${who}: ${result.ok ? 'decided' : result.reason}`);
    }
  }

  /** Runs the end steps of an issue whose run ended: end comment, then its status. */
  async function finish(key: string): Promise<void> {
    const record = await readRecord(key);
    if (!record?.end || record.phase === 'ended') return;
    const timer = progress.get(record.taskId)?.timer;
    if (timer) clearTimeout(timer);
    progress.delete(record.taskId);
    await upsertComment(
      record,
      'progress',
      renderProgressComment(runStates.get(record.taskId), { project: record.project, phase: 'ended' }),
      true,
    );
    await upsertComment(record, 'end', record.end.body, false);
    await client.setStatus(record.ref, record.end.status);
    record.phase = 'ended';
    await writeRecord(record);
    runStates.delete(record.taskId);
  }

  const ours = (task: Task): string | undefined =>
    task.metadata?.tracker === name && typeof task.metadata.trackerIssue === 'string'
      ? task.metadata.trackerIssue
      : undefined;

  function scheduleProgress(task: Task, key: string) {
    const entry = progress.get(task.id) ?? { lastEdit: 0 };
    progress.set(task.id, entry);
    if (entry.timer) return;
    const wait = Math.max(0, entry.lastEdit + progressIntervalMs - Date.now());
    entry.timer = setTimeout(() => {
      entry.timer = undefined;
      entry.lastEdit = Date.now();
      void serial(key, async () => {
        const record = await readRecord(key);
        if (record?.phase !== 'claimed') return;
        await upsertComment(
          record,
          'progress',
          renderProgressComment(runStates.get(task.id), { project: record.project, phase: 'running' }),
          true,
        );
      }).catch((error: unknown) =>
        logger.warn(`${name}: progress of ${key} not written: ${errorMessage(error)}`),
      );
    }, wait);
    entry.timer.unref?.();
  }

  const sink: TaskSink = {
    name,
    onEvent(task, event: OrchestratorEvent) {
      const key = ours(task);
      if (key === undefined || ended.has(task.id)) return;
      runStates.set(task.id, reduceRunState(runStates.get(task.id) ?? createRunState(), event));
      scheduleProgress(task, key);
    },
    async onTaskEnd(task, result) {
      const key = ours(task);
      if (key === undefined) return;
      ended.add(task.id);
      await serial(key, async () => {
        const record = await readRecord(key);
        if (record?.phase !== 'claimed') return;
        record.phase = 'ending';
        record.end = {
          outcome: result.outcome,
          status: statusOf(result.outcome),
          body: renderEndComment(runStates.get(task.id), {
            outcome: result.outcome,
            ...(result.error === undefined ? {} : { error: result.error }),
            ...(result.reportMarkdown === undefined ? {} : { reportMarkdown: result.reportMarkdown }),
          }),
        };
        await writeRecord(record);
      });
      // A failure here (rate limit, outage) is retried by the next poll, which finishes `ending` issues.
      await serial(key, () => finish(key)).catch((error: unknown) =>
        logger.warn(`${name}: write-back of ${key} postponed to the next poll: ${errorMessage(error)}`),
      );
    },
  };

  const source: TaskSource = {
    name,
    async *tasks(signal) {
      let failures = 0;
      while (!signal.aborted) {
        let delay = pollIntervalMs;
        try {
          nudged = false;
          const tasks = await poll(signal);
          failures = 0;
          for (const task of tasks) yield task;
        } catch (error) {
          if (signal.aborted) return;
          failures += 1;
          const retryAfter = error instanceof TrackerError ? error.retryAfterMs : undefined;
          delay = Math.max(retryAfter ?? 0, backoffDelay(failures, backoff));
          if (error instanceof TrackerError && error.code === 'tracker-unauthorized')
            delay = Math.max(delay, pollIntervalMs);
          logger.warn(`${name}: poll failed, next in ${Math.round(delay / 1000)} s: ${errorMessage(error)}`, {
            ...(error instanceof TrackerError ? { code: error.code } : {}),
          });
        }
        if (nudged) continue;
        await new Promise<void>((resolve) => {
          const done = () => {
            clearTimeout(timer);
            signal.removeEventListener('abort', done);
            wake = undefined;
            resolve();
          };
          const timer = setTimeout(done, delay);
          wake = done;
          signal.addEventListener('abort', done, { once: true });
        });
      }
    },
  };

  return {
    source,
    sink,
    async notifyApproval(approval) {
      const key = approval.taskId.startsWith(`${name}:`) ? approval.taskId.slice(name.length + 1) : undefined;
      if (key === undefined) return;
      await serial(key, async () => {
        const record = await readRecord(key);
        if (!record) return;
        await upsertComment(record, `approval:${approval.id}`, renderApprovalComment(approval), false);
      });
    },
    attach(attached) {
      service = attached;
    },
    nudge() {
      nudged = true;
      wake?.();
    },
  };
}
