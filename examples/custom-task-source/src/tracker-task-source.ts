import type { Task, TaskOutcome, TaskSource } from '@codex-orchestrator/core';

/** An issue as the tracker's API returns it (`GET /issues`). */
export interface TrackerIssue {
  id: number;
  title: string;
  body: string;
  state: 'open' | 'in-progress' | 'done' | 'failed';
  assignee: string;
}

/** Settings of {@link createTrackerTaskSource}. */
export interface TrackerTaskSourceOptions {
  /** Base URL of the tracker API, e.g. `https://tracker.example.com/api`. */
  baseURL: string;
  /** Only issues assigned to this user become tasks (the orchestrator's bot account). */
  assignee: string;
  /** Sent as `Authorization: Bearer ...` when set. Defaults to the `TRACKER_TOKEN` env var. */
  token?: string;
  /** Time between two polls. Default 30 s. */
  pollIntervalMs?: number;
  /** Stop after the first poll that finds nothing new (for one-shot scripts and tests). */
  stopWhenIdle?: boolean;
  /** Base dir of the project the tasks are about (overrides the dispatcher's). */
  baseDir?: string;
}

/**
 * A `TaskSource` that polls a tracker for open issues assigned to the bot, yields each as a task
 * (id `tracker-<issue id>`, stable across polls and restarts, so the dispatcher dedupes), marks it
 * in progress, and on `ack` closes it as `done` (or `failed`) with a comment.
 *
 * Issue titles and bodies are written by people outside your control: they are passed as task text
 * only (the orchestrator treats task text as hostile), never interpolated into commands.
 *
 * @example
 * const dispatcher = createTaskDispatcher({
 *   sources: [createTrackerTaskSource({ baseURL: 'https://tracker.example.com/api', assignee: 'orchestrator-bot' })],
 *   sinks: [createConsoleTaskSink()],
 * });
 * await dispatcher.start();
 */
export function createTrackerTaskSource(options: TrackerTaskSourceOptions): TaskSource {
  const pollIntervalMs = options.pollIntervalMs ?? 30_000;
  const token = options.token ?? process.env.TRACKER_TOKEN;
  const baseURL = options.baseURL.replace(/\/+$/, '');

  const request = async (
    path: string,
    init: RequestInit & { signal?: AbortSignal } = {},
  ): Promise<Response> => {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (init.body !== undefined) headers['content-type'] = 'application/json';
    if (token !== undefined) headers.authorization = `Bearer ${token}`;
    const response = await fetch(`${baseURL}${path}`, { ...init, headers });
    if (!response.ok) {
      throw new Error(
        `Tracker API ${init.method ?? 'GET'} ${path} answered ${response.status} ${response.statusText}`,
      );
    }
    return response;
  };
  const setState = (issueId: number, state: TrackerIssue['state'], comment?: string, signal?: AbortSignal) =>
    request(`/issues/${issueId}`, {
      method: 'PATCH',
      body: JSON.stringify(comment === undefined ? { state } : { state, comment }),
      ...(signal ? { signal } : {}),
    });

  return {
    name: 'tracker',
    async *tasks(signal: AbortSignal): AsyncIterable<Task> {
      while (!signal.aborted) {
        const query = new URLSearchParams({ state: 'open', assignee: options.assignee });
        const issues = (await (await request(`/issues?${query}`, { signal })).json()) as TrackerIssue[];
        for (const issue of issues) {
          // Claim it first, so a second orchestrator (or our next poll) does not take it again.
          await setState(issue.id, 'in-progress', undefined, signal);
          const task: Task = {
            id: `tracker-${issue.id}`,
            text: issue.body.trim() === '' ? issue.title : `${issue.title}\n\n${issue.body}`,
            source: 'tracker',
            metadata: { issueId: issue.id },
          };
          if (options.baseDir !== undefined) task.baseDir = options.baseDir;
          yield task;
        }
        if (issues.length === 0 && options.stopWhenIdle) return;
        await sleep(pollIntervalMs, signal);
      }
    },
    async ack(task: Task, outcome: TaskOutcome): Promise<void> {
      const issueId = task.metadata?.issueId;
      if (typeof issueId !== 'number') return;
      const state = outcome === 'completed' ? 'done' : 'failed';
      await setState(issueId, state, `codex-orchestrator: ${outcome}`);
    },
  };
}

function sleep(milliseconds: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, milliseconds);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
