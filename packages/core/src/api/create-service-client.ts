import { OrchestratorError } from '../errors.js';
import { errorMarkerPrefix, hasErrorMarker, markErrorClass } from '../shared/error-marker.js';
import type { ApprovalQuery, RunQuery, TaskQuery } from '../store/store-types.js';
import type {
  ApiErrorBody,
  ApiErrorCode,
  ProjectSummary,
  StoredApproval,
  StoredEvent,
  StoredRun,
  StoredTask,
  TaskDetails,
} from './api-types.js';

/** Settings of the typed API client. */
export interface ServiceClientOptions {
  /** The API's base URL, e.g. `http://127.0.0.1:8787`. */
  url: string;
  token: string;
  /** A `fetch` to use instead of the global one. */
  fetch?: typeof fetch;
}

/**
 * Codes of `ServiceApiError`: the API's own (`ApiErrorCode`), or what the client saw when there was
 * no usable answer. A code the client does not know (a newer or foreign server) becomes `http-error`.
 */
export type ServiceApiErrorCode = ApiErrorCode | 'http-error' | 'invalid-response' | 'unreachable';

const apiErrorCodes: ReadonlySet<string> = new Set<ApiErrorCode>([
  'already-decided',
  'body-too-large',
  'commit-mismatch',
  'internal-error',
  'invalid-request',
  'not-cancellable',
  'not-found',
  'origin-refused',
  'unauthorized',
  'unknown-project',
]);

/** The answer's code when it is one the API defines, else `http-error`. */
function knownCode(code: unknown): ServiceApiErrorCode {
  return typeof code === 'string' && apiErrorCodes.has(code) ? (code as ApiErrorCode) : 'http-error';
}

const marker = Symbol.for(`${errorMarkerPrefix}.ServiceApiError`);

/** An API call answered with an error: `status` (0 when there was no answer) and a `code`. */
export class ServiceApiError extends OrchestratorError<ServiceApiErrorCode> {
  static {
    markErrorClass(ServiceApiError, marker);
  }

  constructor(
    readonly status: number,
    code: ServiceApiErrorCode,
    message: string,
  ) {
    super(message, { code, kind: status >= 400 && status < 500 ? 'user' : 'system' });
  }

  /** True for a `ServiceApiError` from any copy of the package. */
  static override isInstance(value: unknown): value is ServiceApiError {
    return hasErrorMarker(value, marker);
  }
}

/** The typed client of the service API: the same calls the CLI, the dashboard and your tools use. */
export interface ServiceClient {
  projects(): Promise<ProjectSummary[]>;
  listTasks(query?: TaskQuery): Promise<StoredTask[]>;
  getTask(id: string): Promise<TaskDetails>;
  submit(request: { text: string; project?: string }): Promise<StoredTask>;
  /** Names the project of a task waiting as `awaiting-project`; it is queued there. */
  answerProject(taskId: string, project: string): Promise<StoredTask>;
  cancel(taskId: string, reason?: string): Promise<void>;
  listRuns(query?: RunQuery): Promise<StoredRun[]>;
  getRun(id: string): Promise<StoredRun>;
  listApprovals(query?: ApprovalQuery): Promise<StoredApproval[]>;
  approve(approvalId: string, commit: string): Promise<StoredApproval>;
  reject(approvalId: string, commit: string): Promise<StoredApproval>;
  /**
   * A run's events as they happen, from `afterSeq` on; reconnects with `Last-Event-ID` after a
   * dropped connection and ends when the run can produce no more events or `signal` aborts.
   */
  events(runId: string, options?: { afterSeq?: number; signal?: AbortSignal }): AsyncIterable<StoredEvent>;
}

function queryString(query: object | undefined): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {}))
    if (value !== undefined) params.set(key, String(value));
  const text = params.toString();
  return text ? `?${text}` : '';
}

/**
 * A client for the API of `orchestrator serve`.
 *
 * @example
 * const client = createServiceClient({ url: 'http://127.0.0.1:8787', token: process.env.ORCHESTRATOR_API_TOKEN! });
 * const task = await client.submit({ text: 'Add search', project: 'shop' });
 */
export function createServiceClient(options: ServiceClientOptions): ServiceClient {
  const base = options.url.replace(/\/+$/, '');
  const doFetch = options.fetch ?? fetch;
  const headers = { authorization: `Bearer ${options.token}` };

  const call = async <T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> => {
    let response: Response;
    try {
      response = await doFetch(`${base}${path}`, {
        method,
        headers: body === undefined ? headers : { ...headers, 'content-type': 'application/json' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    } catch (error) {
      throw new ServiceApiError(
        0,
        'unreachable',
        `cannot reach the orchestrator API at ${base}: ${(error as Error).message}`,
      );
    }
    const text = await response.text();
    let parsed: unknown;
    try {
      parsed = text ? JSON.parse(text) : {};
    } catch {
      throw new ServiceApiError(
        response.status,
        'invalid-response',
        `${method} ${path} answered ${response.status} with a body that is not JSON`,
      );
    }
    if (!response.ok) {
      const error = (parsed as Partial<ApiErrorBody>).error;
      throw new ServiceApiError(
        response.status,
        knownCode(error?.code),
        error?.message ?? `${method} ${path} answered ${response.status}`,
      );
    }
    return parsed as T;
  };

  async function* events(runId: string, eventOptions: { afterSeq?: number; signal?: AbortSignal } = {}) {
    let last = eventOptions.afterSeq ?? 0;
    let failures = 0;
    while (!eventOptions.signal?.aborted) {
      let response: Response;
      try {
        response = await doFetch(`${base}/v1/runs/${encodeURIComponent(runId)}/events`, {
          headers: { ...headers, accept: 'text/event-stream', 'last-event-id': String(last) },
          ...(eventOptions.signal ? { signal: eventOptions.signal } : {}),
        });
      } catch (error) {
        if (eventOptions.signal?.aborted) return;
        if (++failures > 5)
          throw new ServiceApiError(
            0,
            'unreachable',
            `cannot reach the orchestrator API at ${base}: ${(error as Error).message}`,
          );
        await new Promise((resolve) => setTimeout(resolve, 200 * failures));
        continue;
      }
      if (!response.ok || !response.body) {
        const body = (await response.json().catch(() => ({}))) as Partial<ApiErrorBody>;
        throw new ServiceApiError(
          response.status,
          knownCode(body.error?.code),
          body.error?.message ?? `events answered ${response.status}`,
        );
      }
      failures = 0;
      let ended = true;
      try {
        for await (const message of readServerSentEvents(response.body)) {
          if (message.id === undefined) continue;
          last = Number(message.id);
          yield {
            runId,
            seq: last,
            type: message.event ?? 'message',
            at: '',
            data: JSON.parse(message.data),
          } as StoredEvent;
        }
      } catch (error) {
        if (eventOptions.signal?.aborted) return;
        ended = false; // a dropped stream: reconnect from `last`
        if (++failures > 5) throw error;
      }
      if (ended) return;
    }
  }

  return {
    projects: async () => (await call<{ projects: ProjectSummary[] }>('GET', '/v1/projects')).projects,
    listTasks: async (query) =>
      (await call<{ tasks: StoredTask[] }>('GET', `/v1/tasks${queryString(query)}`)).tasks,
    getTask: (id) => call<TaskDetails>('GET', `/v1/tasks/${encodeURIComponent(id)}`),
    submit: async (request) => (await call<{ task: StoredTask }>('POST', '/v1/tasks', request)).task,
    answerProject: async (taskId, project) =>
      (
        await call<{ task: StoredTask }>('POST', `/v1/tasks/${encodeURIComponent(taskId)}/project`, {
          project,
        })
      ).task,
    cancel: async (taskId, reason) => {
      await call(
        'POST',
        `/v1/tasks/${encodeURIComponent(taskId)}/cancel`,
        reason === undefined ? {} : { reason },
      );
    },
    listRuns: async (query) =>
      (await call<{ runs: StoredRun[] }>('GET', `/v1/runs${queryString(query)}`)).runs,
    getRun: async (id) => (await call<{ run: StoredRun }>('GET', `/v1/runs/${encodeURIComponent(id)}`)).run,
    listApprovals: async (query) =>
      (await call<{ approvals: StoredApproval[] }>('GET', `/v1/approvals${queryString(query)}`)).approvals,
    approve: async (id, commit) =>
      (
        await call<{ approval: StoredApproval }>('POST', `/v1/approvals/${encodeURIComponent(id)}/approve`, {
          commit,
        })
      ).approval,
    reject: async (id, commit) =>
      (
        await call<{ approval: StoredApproval }>('POST', `/v1/approvals/${encodeURIComponent(id)}/reject`, {
          commit,
        })
      ).approval,
    events,
  };
}

/** One server-sent event. */
interface ServerSentEvent {
  id?: string;
  event?: string;
  data: string;
}

/** Parses a `text/event-stream` body (the WHATWG rules: fields, multi-line data, comments). */
async function* readServerSentEvents(body: ReadableStream<Uint8Array>): AsyncGenerator<ServerSentEvent> {
  const decoder = new TextDecoder();
  let buffer = '';
  let current: ServerSentEvent = { data: '' };
  let hasData = false;
  for await (const chunk of body as unknown as AsyncIterable<Uint8Array>) {
    buffer += decoder.decode(chunk, { stream: true });
    let newline = buffer.search(/\r\n|\r|\n/);
    while (newline >= 0) {
      const line = buffer.slice(0, newline);
      buffer = buffer.slice(newline + (buffer.startsWith('\r\n', newline) ? 2 : 1));
      newline = buffer.search(/\r\n|\r|\n/);
      if (line === '') {
        if (hasData) yield current;
        current = { data: '' };
        hasData = false;
        continue;
      }
      if (line.startsWith(':')) continue;
      const colon = line.indexOf(':');
      const field = colon < 0 ? line : line.slice(0, colon);
      const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
      if (field === 'data') {
        current.data = hasData ? `${current.data}\n${value}` : value;
        hasData = true;
      } else if (field === 'id') current.id = value;
      else if (field === 'event') current.event = value;
    }
  }
}
