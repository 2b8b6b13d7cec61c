import { accessSync, constants, existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { CreateServiceTracker, ServiceTracker } from '@codex-orchestrator/core/service';

type TelegramAdapter = import('@codex-orchestrator/adapter-telegram').TelegramAdapter;

const telegramMissing =
  'sources.telegram needs the Telegram adapter: npm install @codex-orchestrator/adapter-telegram';

/** The Telegram adapter, an optional peer: only configs with `sources.telegram` load it. */
function importTelegram() {
  return import('@codex-orchestrator/adapter-telegram');
}

/** What `orchestrator serve` needs from the CLI. */
export interface ServeCommandInput {
  configPath: string;
  /** `--check`: validate and print what would run, start nothing. */
  check: boolean;
  stdout: { write(chunk: string): unknown };
  stderr: { write(chunk: string): unknown };
  env: Record<string, string | undefined>;
  cwd: string;
  /** Aborts on SIGTERM / Ctrl-C: intake stops and running work gets the grace period. */
  signal: AbortSignal;
  /** Seconds running work gets to reach a safe point after SIGTERM (default 30). */
  graceSeconds?: number;
}

/** The branch a worktree has checked out, read from its HEAD file (no git process needed). */
function checkedOutBranch(worktree: string): string | undefined {
  let gitDir = join(worktree, '.git');
  try {
    if (statSync(gitDir).isFile()) {
      const pointer = /^gitdir: (.+)$/m.exec(readFileSync(gitDir, 'utf8'))?.[1];
      if (!pointer) return undefined;
      gitDir = resolve(worktree, pointer.trim());
    }
    const head = readFileSync(join(gitDir, 'HEAD'), 'utf8').trim();
    return /^ref: refs\/heads\/(.+)$/.exec(head)?.[1] ?? '(detached HEAD)';
  } catch {
    return undefined;
  }
}

/**
 * `orchestrator serve --config FILE [--check]`: the long-running service (see the core README's
 * "Serve" section). Exit codes: 0 ran (or the check passed), 1 the check found problems,
 * 2 the config is invalid.
 */
export async function serveCommand(input: ServeCommandInput): Promise<number> {
  const core = await import('@codex-orchestrator/core/service');
  let config: ReturnType<typeof core.loadServiceConfig>;
  try {
    config = core.loadServiceConfig(input.configPath, { cwd: input.cwd });
  } catch (error) {
    input.stderr.write(`orchestrator serve: ${(error as Error).message}\n`);
    return 2;
  }
  const env = input.env as NodeJS.ProcessEnv;
  const storePath = config.store?.path ?? core.defaultStorePath(env);
  const problems: string[] = [];
  const lines: string[] = [];

  for (const [name, project] of Object.entries(config.projects)) {
    const main = join(project.baseDir, project.mainWorktree);
    const branch = checkedOutBranch(main);
    if (branch === undefined)
      problems.push(`project ${name}: ${main} is not a git checkout; clone the repository there`);
    else if (branch !== project.defaultBranch)
      problems.push(
        `project ${name}: ${main} has ${branch} checked out, not ${project.defaultBranch}; check out ${project.defaultBranch} or set "defaultBranch"`,
      );
    if (project.policy !== undefined && !existsSync(project.policy))
      problems.push(`project ${name}: the policy file ${project.policy} does not exist`);
    else if (project.policy !== undefined) {
      const { createPolicy, loadPolicyConfig } = await import('@codex-orchestrator/policy');
      try {
        createPolicy(await loadPolicyConfig(project.policy));
      } catch (error) {
        problems.push(`projects.${name}.policy: ${(error as Error).message.replace(/\s*\n\s*/g, ' ')}`);
      }
    }
    lines.push(
      `  project ${name}: ${main} (branch ${project.defaultBranch}), review ${project.review}, approval ${project.approval}, ` +
        `${project.maxParallel} codex runs in parallel, ${project.maxConcurrentRuns} task(s) at a time, network ${project.network}` +
        (project.smokeTest === undefined
          ? ', no smoke test'
          : `, smoke test ${JSON.stringify(project.smokeTest)}`),
    );
  }
  try {
    mkdirSync(dirname(storePath), { recursive: true });
    accessSync(dirname(storePath), constants.W_OK);
  } catch {
    problems.push(
      `store: cannot write in ${dirname(storePath)}; set "store.path" to a folder this user can write`,
    );
  }
  lines.push(`  store: ${storePath}`);
  if (config.api) {
    try {
      const token = core.readSecret(config.api.token, 'api.token', env);
      if (token.length < 16)
        problems.push(
          'api.token: the token has fewer than 16 characters; generate one with `openssl rand -hex 32`',
        );
    } catch (error) {
      problems.push((error as Error).message);
    }
    lines.push(
      `  API: http://${config.api.host}:${config.api.port} (bearer token from ${config.api.token.file ?? `$${config.api.token.env}`})`,
    );
    if (!['127.0.0.1', 'localhost', '::1'].includes(config.api.host))
      lines.push(
        `  warning: the API listens on ${config.api.host}, beyond this machine; put TLS in front of it`,
      );
  } else lines.push('  API: off (no "api" in the config)');
  if (config.sources.inbox) {
    if (!existsSync(config.sources.inbox.dir))
      problems.push(`sources.inbox.dir: ${config.sources.inbox.dir} does not exist; create it`);
    lines.push(
      `  source inbox: ${config.sources.inbox.dir}${config.sources.inbox.project ? ` (tasks without a project go to ${config.sources.inbox.project})` : ''}`,
    );
  }
  for (const tracker of config.trackers) {
    const name = tracker.name ?? tracker.kind;
    try {
      if (tracker.kind === 'github') core.readSecret(tracker.token, `trackers.${name}.token`, env);
      else core.readSecret(tracker.apiKey, `trackers.${name}.apiKey`, env);
      if (tracker.webhook) core.readSecret(tracker.webhook.secret, `trackers.${name}.webhook.secret`, env);
      await importTrackerAdapter(tracker.kind);
    } catch (error) {
      problems.push((error as Error).message);
    }
    const routes =
      tracker.kind === 'github' ? tracker.repositories : { ...tracker.teams, ...tracker.projects };
    lines.push(
      `  tracker ${name}: ${tracker.kind} ${Object.entries(routes)
        .map(([container, project]) => `${container} -> ${project}`)
        .join(', ')}, polled every ${Math.round(tracker.pollIntervalMs / 1000)} s`,
    );
  }
  const telegram = config.sources.telegram;
  if (telegram) {
    try {
      core.readSecret(telegram.token, 'sources.telegram.token', env);
    } catch (error) {
      problems.push((error as Error).message);
    }
    if (
      !(await importTelegram().then(
        () => true,
        () => false,
      ))
    )
      problems.push(telegramMissing);
    lines.push(
      `  source telegram: ${telegram.allowedUserIds.length} allowed user(s)` +
        (telegram.allowedChatIds.length > 0 ? `, ${telegram.allowedChatIds.length} group chat(s)` : '') +
        (telegram.approvalChatId === undefined
          ? '; approvals of other sources through the API'
          : `; approvals of other sources asked in chat ${telegram.approvalChatId}`),
    );
  }
  const keyRef = config.model?.apiKey;
  if (keyRef === undefined && !input.env.OPENAI_API_KEY)
    problems.push('model: OPENAI_API_KEY is not set and "model.apiKey" names no file or variable');

  if (input.check) {
    input.stdout.write(`${config.configPath} is valid. Would run:\n${lines.join('\n')}\n`);
    if (problems.length > 0) {
      input.stdout.write(
        `Problems (${problems.length}):\n${problems.map((problem) => `  - ${problem}`).join('\n')}\n`,
      );
      return 1;
    }
    input.stdout.write('Ready to serve.\n');
    return 0;
  }
  if (problems.length > 0) {
    input.stderr.write(
      `orchestrator serve: ${problems[0]}${problems.length > 1 ? ` (and ${problems.length - 1} more: run serve --check)` : ''}\n`,
    );
    return 1;
  }
  // Structured logs: one JSON object a line on stderr, for journald and log shippers.
  const log = (entry: { level: string; message: string; [field: string]: unknown }) =>
    input.stderr.write(`${JSON.stringify({ time: new Date().toISOString(), ...entry })}\n`);
  const trackerLogger = {
    info: (message: string, details?: Record<string, unknown>) => log({ level: 'info', message, ...details }),
    warn: (message: string, details?: Record<string, unknown>) => log({ level: 'warn', message, ...details }),
    error: (message: string, details?: Record<string, unknown>) =>
      log({ level: 'error', message, ...details }),
  };
  const trackers: ServiceTracker[] = [];
  for (const tracker of config.trackers)
    trackers.push(
      await (await importTrackerAdapter(tracker.kind)).createServiceTracker(tracker, {
        env,
        logger: trackerLogger,
      }),
    );
  let bot: TelegramAdapter | undefined;
  if (telegram) {
    const { createTelegramAdapter } = await importTelegram();
    bot = createTelegramAdapter({
      token: core.readSecret(telegram.token, 'sources.telegram.token', env),
      allowedUserIds: telegram.allowedUserIds,
      allowedChatIds: telegram.allowedChatIds,
      acceptPlainText: telegram.acceptPlainText,
      ...(telegram.apiRoot === undefined ? {} : { apiRoot: telegram.apiRoot }),
      ...(telegram.approvalChatId === undefined ? {} : { approvalChatId: telegram.approvalChatId }),
      env: {},
      logger: {
        info: (message, details) => log({ level: 'info', message: `telegram: ${message}`, ...details }),
        warn: (message, details) => log({ level: 'warn', message: `telegram: ${message}`, ...details }),
        error: (message, details) => log({ level: 'error', message: `telegram: ${message}`, ...details }),
      },
    });
  }
  const service = core.createOrchestratorService({
    config,
    env,
    log,
    sources: [...trackers.map((tracker) => tracker.sync.source), ...(bot === undefined ? [] : [bot.source])],
    sinks: [...trackers.map((tracker) => tracker.sync.sink), ...(bot === undefined ? [] : [bot.sink])],
    ...(trackers.length === 0 && bot === undefined
      ? {}
      : {
          // Every place that may ask is told, even when one of them fails; the first failure is
          // still reported (the approval record is durable and can be decided through the API).
          notifyApproval: async (approval) => {
            const results = await Promise.allSettled([
              ...trackers.map((tracker) => tracker.sync.notifyApproval(approval)),
              ...(bot === undefined ? [] : [bot.notifyApproval(approval)]),
            ]);
            const failed = results.find((result) => result.status === 'rejected');
            if (failed) throw (failed as PromiseRejectedResult).reason;
          },
        }),
    ...(bot === undefined
      ? {}
      : { askProject: (task, question) => (bot as TelegramAdapter).askProject(task, question) }),
  });
  for (const tracker of trackers) tracker.sync.attach(service);
  bot?.attachService(service);
  try {
    await service.start();
  } catch (error) {
    input.stderr.write(`orchestrator serve: ${(error as Error).message}\n`);
    await bot?.stop();
    return 1;
  }
  for (const tracker of trackers) {
    await tracker.start?.();
    log({ level: 'info', message: tracker.description });
  }
  log({
    level: 'info',
    message: 'serving',
    store: storePath,
    api: service.apiUrl ?? null,
    auditLogs: Object.values(config.projects).map((project) => join(project.baseDir, 'run_repo_command.log')),
  });
  await new Promise<void>((done) => {
    if (input.signal.aborted) done();
    else input.signal.addEventListener('abort', () => done(), { once: true });
  });
  // The bot stops taking tasks first; its sink keeps reporting while running work finishes.
  await bot?.stop();
  for (const tracker of trackers) await tracker.stop?.();
  await service.stop({ graceMs: (input.graceSeconds ?? 30) * 1000 });
  return 0;
}

/** The adapter package of each tracker kind; it is an optional install. */
const trackerPackages: Record<string, string> = {
  github: '@codex-orchestrator/adapter-github',
  linear: '@codex-orchestrator/adapter-linear',
};

/** Loads the adapter of a tracker kind, or says in one line what to install. */
async function importTrackerAdapter(kind: string): Promise<{ createServiceTracker: CreateServiceTracker }> {
  const name = trackerPackages[kind];
  if (name === undefined) throw new Error(`trackers: no adapter for kind "${kind}"`);
  try {
    return (await import(name)) as { createServiceTracker: CreateServiceTracker };
  } catch (error) {
    if ((error as { code?: string }).code === 'ERR_MODULE_NOT_FOUND')
      throw new Error(`trackers: kind "${kind}" needs ${name}; install it: npm install ${name}`);
    throw error;
  }
}
