import { randomBytes } from 'node:crypto';
import { createPolicy, loadPolicyConfig, type Policy } from '@codex-orchestrator/policy';
import type { ServiceControl } from '../api/api-types.js';
import { createServiceApi } from '../api/create-service-api.js';
import { type ServiceApiServer, serveServiceApi } from '../api/serve-service-api.js';
import { consumeSource } from '../dispatcher/consume-source.js';
import type { DispatcherLogger } from '../dispatcher/dispatcher-logger.js';
import { createInboxTaskSource } from '../dispatcher/inbox-task-source.js';
import { createTaskDispatcher, type TaskDispatcher } from '../dispatcher/task-dispatcher.js';
import type { TaskRunResult } from '../dispatcher/task-runner.js';
import { ConfigurationError } from '../errors.js';
import type { OrchestratorEventInput } from '../events.js';
import type { RunOrchestratorOptions } from '../orchestrator/orchestrator-options.js';
import { renderReportMarkdown } from '../orchestrator/render-report-markdown.js';
import { runOrchestrator } from '../orchestrator/run-orchestrator.js';
import { createSemaphore } from '../orchestrator/semaphore.js';
import { errorMessage } from '../shared/error-message.js';
import { createSqliteStore } from '../store/create-sqlite-store.js';
import type { OrchestratorStore, StoredApproval, StoredEvent, StoredTask } from '../store/store-types.js';
import type { MergeApprover, Task, TaskControl, TaskSink, TaskSource, TaskStatusEntry } from '../types.js';
import { createApprovalDecisions, createDurableApprover, decideApproval } from './durable-approver.js';
import type { ServiceConfig } from './load-service-config.js';
import { readSecret } from './load-service-config.js';
import { type ProjectClassifier, parseExplicitProject, routeTask } from './route-task.js';
import type { ServiceProjectConfig } from './service-config-schema.js';
import { createStoreTaskJournal } from './store-task-journal.js';

/** A configured project with its name. */
export type ServiceProject = ServiceProjectConfig & { readonly name: string };

/** What the service hands the code that runs one task of one project. */
export interface ProjectTaskInput {
  task: Task;
  project: ServiceProject;
  runId: string;
  signal: AbortSignal;
  /** True when an earlier attempt was interrupted: continue it (merged branches stay merged). */
  resume: boolean;
  /** Records the event (store, API stream) and passes it to the sinks. */
  emit(event: OrchestratorEventInput): void;
  /** Present when the project requires approval: durable, tied to the reviewed commit. */
  approveMerge?: MergeApprover;
  /** The project's command policy, when its config names a policy file (else the default). */
  policy?: Policy;
}

/** Runs one task of one project; the default runs `runOrchestrator` with the project's settings. */
export type ProjectTaskRunner = (input: ProjectTaskInput) => Promise<TaskRunResult>;

/** One structured log line of the service. */
export interface ServiceLogEntry {
  level: 'debug' | 'info' | 'warn' | 'error';
  message: string;
  [field: string]: unknown;
}

/** Settings of `createOrchestratorService`. */
export interface OrchestratorServiceOptions {
  config: ServiceConfig;
  /** Default: the embedded SQLite store at `config.store.path`. */
  store?: OrchestratorStore;
  /** Task sources built in code (a Telegram bot, a tracker); routed like every task. */
  sources?: TaskSource[];
  sinks?: TaskSink[];
  /** Chooses a project when a task names none and there are several (default: ask back). */
  classifier?: ProjectClassifier;
  /** Replaces how a task runs (tests, custom runners). */
  runTask?: ProjectTaskRunner;
  /** Options merged into every `runOrchestrator` call of a project (after the config's). */
  runOptions?: (project: ServiceProject) => Partial<RunOrchestratorOptions>;
  /** Asks a person to approve a merge (a chat message, a tracker comment); the API can always decide. */
  notifyApproval?: (approval: StoredApproval) => Promise<void>;
  /** Asks the sender of a task which project it is for. */
  askProject?: (task: StoredTask, question: string) => Promise<void>;
  /** Overrides the API token of the config (tests). */
  apiToken?: string;
  env?: NodeJS.ProcessEnv;
  /** Structured logs (default: JSON lines on stderr). */
  log?: (entry: ServiceLogEntry) => void;
}

/** A running (or stopped) service. */
export interface OrchestratorService {
  readonly store: OrchestratorStore;
  readonly control: ServiceControl;
  /**
   * `/status` and `/cancel` for chat front ends: the queued and running tasks of every project's
   * dispatcher, and cancelling one of them by id.
   */
  readonly tasks: TaskControl;
  /** The API's URL once started, when the config enables the API. */
  readonly apiUrl: string | undefined;
  start(): Promise<void>;
  /**
   * Stops intake, lets running work reach a safe point within `graceMs` (default 30 s), then
   * cancels what is left (it resumes after the next start) and closes the store.
   */
  stop(options?: { graceMs?: number }): Promise<void>;
  /** Submits a task as the API does. */
  submit(request: { text: string; project?: string; source?: string; id?: string }): Promise<StoredTask>;
  /** Names the project of a task that waits for one, and queues it. */
  answerProject(taskId: string, project: string): Promise<StoredTask>;
}

const stringMetadata = (metadata: Record<string, unknown> | undefined): Record<string, string> =>
  Object.fromEntries(
    Object.entries(metadata ?? {})
      .filter(([, value]) => ['string', 'number', 'boolean'].includes(typeof value))
      .map(([key, value]) => [key, String(value)]),
  );

/**
 * The long-running service behind `orchestrator serve`: many projects, tasks from many sources
 * routed to their project, one dispatcher (queue, journal, limits) per project under a global
 * cap, a durable store for tasks, runs, events and approvals, and the HTTP API.
 *
 * @example
 * const service = createOrchestratorService({ config: loadServiceConfig('serve.json') });
 * await service.start();
 * process.on('SIGTERM', () => void service.stop({ graceMs: 30_000 }));
 */
export function createOrchestratorService(options: OrchestratorServiceOptions): OrchestratorService {
  const { config } = options;
  const env = options.env ?? process.env;
  const log =
    options.log ??
    ((entry: ServiceLogEntry) =>
      process.stderr.write(`${JSON.stringify({ time: new Date().toISOString(), ...entry })}\n`));
  const projects: ServiceProject[] = Object.entries(config.projects).map(([name, project]) => ({
    ...project,
    name,
  }));
  const byName = new Map(projects.map((project) => [project.name, project]));
  const decisions = createApprovalDecisions();
  const globalSlots = createSemaphore(config.limits?.maxConcurrentRuns ?? 2);
  const listeners = new Map<string, Set<(event: StoredEvent) => void>>();
  const liveRuns = new Set<string>();
  const dispatchers = new Map<string, TaskDispatcher>();
  const intake = new AbortController();
  /** Each project's command policy, loaded from its policy file at start. */
  const policies = new Map<string, Policy>();
  let store: OrchestratorStore | undefined = options.store;
  let api: ServiceApiServer | undefined;
  let consumers: Promise<unknown>[] = [];
  let started = false;
  /** Set when stop() cancels what outlived the grace period: those runs resume at the next start. */
  let shuttingDown = false;

  const requireStore = () => {
    if (!store) throw new Error('the service is not started; call start() first');
    return store;
  };
  const logger: DispatcherLogger = {
    info: (message) => log({ level: 'info', message }),
    warn: (message) => log({ level: 'warn', message }),
    error: (message) => log({ level: 'error', message }),
  };

  /** Moves a stored task to a state, retrying a lost compare-and-set once with a fresh read. */
  async function setTask(taskId: string, patch: Parameters<OrchestratorStore['updateTask']>[2]) {
    const db = requireStore();
    for (let attempt = 0; ; attempt++) {
      const current = await db.getTask(taskId);
      if (!current) return undefined;
      try {
        return await db.updateTask(taskId, current.revision, patch);
      } catch (error) {
        if (attempt >= 3 || (error as { code?: string }).code !== 'store-conflict') throw error;
      }
    }
  }

  /** Stores one run's events in batches and tells live API streams. */
  function createEventRecorder(runId: string) {
    let pending: { type: string; data: unknown }[] = [];
    let flushing = Promise.resolve();
    const flush = () => {
      if (pending.length === 0) return flushing;
      const batch = pending;
      pending = [];
      flushing = flushing
        .then(() => requireStore().appendEvents(runId, batch))
        .then((stored) => {
          for (const event of stored) for (const listener of listeners.get(runId) ?? []) listener(event);
        })
        .catch((error: unknown) =>
          log({ level: 'error', message: `events of ${runId} not stored: ${String(error)}` }),
        );
      return flushing;
    };
    const timer = setInterval(() => void flush(), 200);
    return {
      record(event: OrchestratorEventInput) {
        // Output deltas are many and small; the log keeps the rest (bounded per run).
        if (event.type.endsWith('-delta')) return;
        pending.push({ type: event.type, data: event });
        if (pending.length >= 50) void flush();
      },
      async close() {
        clearInterval(timer);
        await flush();
      },
    };
  }

  const defaultRunTask: ProjectTaskRunner = async ({
    task,
    project,
    signal,
    resume,
    emit,
    approveMerge,
    policy,
  }) => {
    const model = project.model ?? config.model;
    const apiKeyRef = project.model?.apiKey ?? config.model?.apiKey;
    const run = runOrchestrator(task.text, {
      baseDir: project.baseDir,
      mainWorktree: project.mainWorktree,
      taskId: task.id,
      signal,
      resume,
      review: project.review,
      maxParallel: project.maxParallel,
      sandbox: { network: project.network },
      ...(policy === undefined ? {} : { policy }),
      ...(project.smokeTest === undefined ? {} : { smokeTest: project.smokeTest }),
      ...(project.setup === undefined ? {} : { worktreeSetup: project.setup }),
      ...(project.budget === undefined
        ? {}
        : {
            budget: {
              ...(project.budget.tokens === undefined ? {} : { tokens: project.budget.tokens }),
              ...(project.budget.costUsd === undefined ? {} : { costUsd: project.budget.costUsd }),
            },
          }),
      ...(model?.model === undefined ? {} : { model: model.model }),
      ...(model?.reviewModel === undefined ? {} : { reviewModel: model.reviewModel }),
      ...(model?.baseURL === undefined ? {} : { baseURL: model.baseURL }),
      ...(apiKeyRef === undefined
        ? {}
        : { apiKey: readSecret(apiKeyRef, `projects.${project.name}.model.apiKey`, env) }),
      ...(approveMerge === undefined ? {} : { approveMerge }),
      ...options.runOptions?.(project),
    });
    run.events.onAny((event) => emit(event));
    const report = await run.report;
    return { outcome: report.status, reportMarkdown: renderReportMarkdown(report), report };
  };
  const runTask = options.runTask ?? defaultRunTask;

  function createProjectDispatcher(project: ServiceProject, sources: readonly TaskSource[]): TaskDispatcher {
    // The project's dispatcher takes tasks only from the router (enqueue); the sources are given
    // to it for their acks, with an empty task stream.
    const ackOnly = sources.map(
      (source): TaskSource => ({
        name: source.name,
        ...(source.ack ? { ack: source.ack.bind(source) } : {}),
        async *tasks() {},
      }),
    );
    return createTaskDispatcher({
      sources: ackOnly,
      sinks: options.sinks ?? [],
      concurrency: project.maxConcurrentRuns,
      store: createStoreTaskJournal(scopedStore(requireStore(), project.name)),
      onInterrupted: 'resume',
      logger,
      run: async (task, runOptions) => {
        const release = await globalSlots.acquire({ signal: runOptions.signal });
        const runId = `run-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
        const db = requireStore();
        const recorder = createEventRecorder(runId);
        liveRuns.add(runId);
        let runRevision: number | undefined;
        try {
          await setTask(task.id, { state: 'running' });
          const startedRun = await db.createRun({
            id: runId,
            taskId: task.id,
            project: project.name,
            state: 'running',
            startedAt: new Date().toISOString(),
          });
          runRevision = startedRun.revision;
          const approveMerge =
            project.approval === 'required'
              ? createDurableApprover({
                  store: db,
                  decisions,
                  runId,
                  taskId: task.id,
                  project: project.name,
                  notify: async (approval) => {
                    log({
                      level: 'info',
                      message: `merge of ${approval.branch} (${approval.commit.slice(0, 12)}) waits for approval ${approval.id}`,
                      approvalId: approval.id,
                    });
                    await options.notifyApproval?.(approval);
                  },
                })
              : runOptions.approveMerge;
          const result = await runTask({
            task,
            project,
            runId,
            signal: runOptions.signal,
            resume: runOptions.resume,
            emit: (event) => {
              recorder.record(event);
              runOptions.emit(event);
            },
            ...(approveMerge ? { approveMerge } : {}),
            ...(policies.has(project.name) ? { policy: policies.get(project.name) as Policy } : {}),
          });
          await recorder.close();
          if (shuttingDown && runOptions.signal.aborted) {
            await db.updateRun(runId, startedRun.revision, {
              state: 'interrupted',
              endedAt: new Date().toISOString(),
            });
            await setTask(task.id, { state: 'queued' });
            return result;
          }
          await db.updateRun(runId, startedRun.revision, {
            state: 'finished',
            outcome: result.outcome,
            endedAt: new Date().toISOString(),
            ...(result.report === undefined ? {} : { report: JSON.parse(JSON.stringify(result.report)) }),
          });
          await setTask(task.id, {
            state: result.outcome === 'cancelled' ? 'cancelled' : 'finished',
            outcome: result.outcome,
          });
          return result;
        } catch (error) {
          // The dispatcher records the failure (or the cancellation) in its journal; the store follows.
          const cancelled = runOptions.signal.aborted;
          if (shuttingDown && cancelled) {
            if (runRevision !== undefined)
              await db
                .updateRun(runId, runRevision, { state: 'interrupted', endedAt: new Date().toISOString() })
                .catch(() => undefined);
            await setTask(task.id, { state: 'queued' }).catch(() => undefined);
            throw error;
          }
          if (runRevision !== undefined)
            await db
              .updateRun(runId, runRevision, {
                state: cancelled ? 'interrupted' : 'finished',
                outcome: cancelled ? 'cancelled' : 'failed',
                endedAt: new Date().toISOString(),
              })
              .catch(() => undefined);
          await setTask(
            task.id,
            cancelled
              ? { state: 'cancelled', outcome: 'cancelled' }
              : { state: 'finished', outcome: 'failed' },
          ).catch(() => undefined);
          throw error;
        } finally {
          await recorder.close();
          liveRuns.delete(runId);
          for (const listener of listeners.get(runId) ?? [])
            listener({ runId, seq: 0, type: 'stream-end', at: '', data: null });
          release();
        }
      },
    });
  }

  async function route(task: Task, signal?: AbortSignal) {
    const named = typeof task.metadata?.project === 'string' ? task.metadata.project : undefined;
    return routeTask({
      text: task.text,
      projects,
      ...(named === undefined ? {} : { project: named }),
      ...(options.classifier ? { classifier: options.classifier } : {}),
      minConfidence: config.routing?.minConfidence ?? 0.6,
      ...(signal ? { signal } : {}),
    });
  }

  /** Routes a task: queues it in its project, or parks it and asks its sender. */
  async function admit(task: Task, signal?: AbortSignal): Promise<StoredTask> {
    const db = requireStore();
    const decision = await route(task, signal);
    const { created, task: stored } = await db.createTask({
      id: task.id,
      source: task.source,
      text: decision.text,
      state: decision.kind === 'routed' ? 'queued' : 'awaiting-project',
      metadata: stringMetadata(task.metadata),
      ...(decision.kind === 'routed' ? { project: decision.project } : {}),
    });
    if (decision.kind === 'ask') {
      if (created) {
        log({
          level: 'info',
          message: `task ${task.id} waits for its project: ${decision.reason}`,
          taskId: task.id,
        });
        await options.askProject?.(stored, decision.question);
      }
      return stored;
    }
    await dispatchers.get(decision.project)?.enqueue({
      ...task,
      text: decision.text,
      metadata: { ...task.metadata, project: decision.project },
    });
    return (await db.getTask(task.id)) ?? stored;
  }

  const control: ServiceControl = {
    projects: () =>
      projects.map((project) => ({
        name: project.name,
        description: project.description,
        defaultBranch: project.defaultBranch,
      })),
    submit: (request) => service.submit(request),
    answerProject: (taskId, project) => service.answerProject(taskId, project),
    async cancel(taskId) {
      const task = await requireStore().getTask(taskId);
      if (!task || task.state === 'finished' || task.state === 'cancelled') return false;
      if (task.state === 'awaiting-project') {
        await setTask(taskId, { state: 'cancelled', outcome: 'cancelled' });
        return true;
      }
      return task.project !== undefined && (dispatchers.get(task.project)?.cancel(taskId) ?? false);
    },
    decide: (approvalId, decision) => decideApproval(requireStore(), decisions, approvalId, decision),
    onEvent(runId, listener) {
      const set = listeners.get(runId) ?? new Set();
      listeners.set(runId, set);
      set.add(listener);
      return () => {
        set.delete(listener);
        if (set.size === 0) listeners.delete(runId);
      };
    },
    isLive: (runId) => liveRuns.has(runId),
  };

  const tasks: TaskControl = {
    list: () => {
      const entries: TaskStatusEntry[] = [];
      for (const dispatcher of dispatchers.values()) entries.push(...dispatcher.list());
      return entries;
    },
    cancel: (taskId) => [...dispatchers.values()].some((dispatcher) => dispatcher.cancel(taskId)),
  };

  const service: OrchestratorService = {
    get store() {
      return requireStore();
    },
    control,
    tasks,
    get apiUrl() {
      return api?.url;
    },
    async start() {
      if (started) throw new Error('the service is started already');
      started = true;
      for (const project of projects) {
        if (project.policy === undefined) continue;
        try {
          policies.set(project.name, createPolicy(await loadPolicyConfig(project.policy)));
        } catch (error) {
          started = false;
          throw new ConfigurationError(
            `projects.${project.name}.policy: ${errorMessage(error).replace(/\s*\n\s*/g, ' ')}`,
            { code: 'service-policy-invalid', cause: error },
          );
        }
      }
      store ??= await createSqliteStore({ path: config.store?.path ?? defaultStorePath(env) });
      // Runs left `running` by a process that died: their tasks resume through the journals.
      for (const run of await store.listRuns({ state: 'running', limit: 500 }))
        await store.updateRun(run.id, run.revision, {
          state: 'interrupted',
          endedAt: new Date().toISOString(),
        });
      const sources = [...configuredSources(config), ...(options.sources ?? [])];
      for (const project of projects)
        dispatchers.set(project.name, createProjectDispatcher(project, sources));
      for (const dispatcher of dispatchers.values()) await dispatcher.start();
      consumers = sources.map((source) =>
        consumeSource(source, {
          signal: intake.signal,
          retry: {},
          logger,
          onTask: async (task) => {
            await admit({ ...task, source: source.name }, intake.signal);
          },
        }),
      );
      if (config.api) {
        const token = options.apiToken ?? readSecret(config.api.token, 'api.token', env);
        api = await serveServiceApi(
          createServiceApi({ store, control, token, allowedOrigins: config.api.allowedOrigins }),
          { host: config.api.host, port: config.api.port },
        );
      }
      log({
        level: 'info',
        message: 'service started',
        projects: projects.map((project) => project.name),
        store: config.store?.path ?? defaultStorePath(env),
        ...(api ? { api: api.url } : {}),
      });
    },
    async stop(stopOptions = {}) {
      if (!started) return;
      intake.abort();
      await Promise.allSettled(consumers);
      await api?.close();
      const grace = stopOptions.graceMs ?? 30_000;
      const drained = Promise.all([...dispatchers.values()].map((dispatcher) => dispatcher.drain()));
      const timedOut = await Promise.race([
        drained.then(() => false),
        new Promise<boolean>((resolve) => setTimeout(() => resolve(true), grace).unref()),
      ]);
      shuttingDown = timedOut;
      await Promise.all(
        [...dispatchers.values()].map((dispatcher) => dispatcher.stop({ cancelRunning: timedOut })),
      );
      await store?.close();
      log({
        level: 'info',
        message: timedOut ? 'service stopped; unfinished runs resume at the next start' : 'service stopped',
      });
    },
    async submit(request) {
      const projectName = request.project;
      if (projectName !== undefined && !byName.has(projectName))
        throw new Error(`no project "${projectName}"`);
      const task: Task = {
        id: request.id ?? `api-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`,
        source: request.source ?? 'api',
        text: request.text,
        ...(projectName === undefined ? {} : { metadata: { project: projectName } }),
      };
      return admit(task);
    },
    async answerProject(taskId, projectName) {
      if (!byName.has(projectName))
        throw new Error(`no project "${projectName}"; projects: ${[...byName.keys()].join(', ')}`);
      const task = await requireStore().getTask(taskId);
      if (!task) throw new Error(`no task "${taskId}"`);
      if (task.state !== 'awaiting-project')
        throw new Error(`task "${taskId}" does not wait for a project (it is ${task.state})`);
      const updated = await setTask(taskId, { state: 'queued', project: projectName });
      await dispatchers.get(projectName)?.enqueue({
        id: task.id,
        source: task.source,
        text: task.text,
        metadata: { ...task.metadata, project: projectName },
      });
      return updated ?? task;
    },
  };
  return service;
}

/** The store's default place: `$XDG_STATE_HOME/codex-orchestrator/store.db` (or `~/.local/state/...`). */
export function defaultStorePath(env: NodeJS.ProcessEnv = process.env): string {
  const stateHome = env.XDG_STATE_HOME || `${env.HOME ?? '.'}/.local/state`;
  return `${stateHome}/codex-orchestrator/store.db`;
}

/** A view of the store whose journal holds one project's records (each project's dispatcher has its own). */
function scopedStore(store: OrchestratorStore, project: string): OrchestratorStore {
  return {
    ...store,
    appendJournal: (records) => store.appendJournal(records.map((record) => ({ project, record }))),
    readJournal: async () =>
      (await store.readJournal())
        .filter(
          (entry): entry is { project: string; record: unknown } =>
            (entry as { project?: unknown })?.project === project,
        )
        .map((entry) => entry.record),
  };
}

/** The task sources the config names (the inbox folder; more come from code). */
function configuredSources(config: ServiceConfig): TaskSource[] {
  const inbox = config.sources.inbox;
  if (!inbox) return [];
  const source = createInboxTaskSource({
    dir: inbox.dir,
    ...(inbox.pollIntervalMs ? { pollIntervalMs: inbox.pollIntervalMs } : {}),
  });
  const project = inbox.project;
  if (project === undefined) return [source];
  // Inbox tasks that name no project (no "shop: ..." prefix) go to the configured one.
  return [
    {
      ...source,
      name: source.name,
      async *tasks(signal) {
        for await (const task of source.tasks(signal))
          yield parseExplicitProject(task.text, Object.keys(config.projects)).project === undefined
            ? { ...task, metadata: { ...task.metadata, project } }
            : task;
      },
    },
  ];
}
