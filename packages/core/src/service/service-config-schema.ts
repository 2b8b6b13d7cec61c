import { z } from 'zod';

const positiveInteger = z
  .number({ error: 'must be a whole number of at least 1' })
  .int({ error: 'must be a whole number of at least 1' })
  .min(1, { error: 'must be a whole number of at least 1' });
const text = z.string({ error: 'must be a string' }).trim().min(1, { error: 'must not be empty' });
const path = text.describe(
  'A path; relative paths are resolved against the config file, ~ against your home.',
);
const projectName = z.string({ error: 'must be a string' }).regex(/^[a-z0-9][a-z0-9-]{0,39}$/, {
  error: 'must be lowercase letters, digits and dashes (at most 40), e.g. "shop"',
});
const envName = z.string({ error: 'must be a string' }).regex(/^[A-Z_][A-Z0-9_]*$/, {
  error: 'must be an environment variable name such as "TELEGRAM_BOT_TOKEN"',
});
const telegramId = z
  .number({ error: 'must be a numeric Telegram id such as 123456789' })
  .int({ error: 'must be a whole number' })
  .refine((value) => Number.isSafeInteger(value) && value !== 0, { error: 'must be a Telegram id' });
/** A secret is never written in the config: it is named by a file or an environment variable. */
const secretRef = z
  .strictObject({ file: path.optional(), env: envName.optional() })
  .refine((value) => (value.file === undefined) !== (value.env === undefined), {
    error: 'must name exactly one of "file" or "env" (secrets are never written in the config itself)',
  });

const modelSettings = z.strictObject({
  model: text.optional().describe('The orchestrator agent model.'),
  reviewModel: text.optional(),
  baseURL: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).optional(),
  apiKey: secretRef
    .optional()
    .describe('Where the model API key is read from (default: env OPENAI_API_KEY).'),
});

const projectSchema = z.strictObject({
  description: text.describe('What the project is; the router reads it to choose a project for a task.'),
  baseDir: path.describe('The folder that holds the main worktree (main/) and the task worktrees.'),
  mainWorktree: text.default('main'),
  defaultBranch: text
    .default('main')
    .describe('The branch checked out in the main worktree: main, master, trunk...'),
  smokeTest: text.optional().describe('Run in main after each merge; a failing merge is undone.'),
  setup: text.optional().describe('Run in each new worktree before codex (ROOT and WORKTREE are set).'),
  policy: path.optional().describe('A policy file for run_repo_command.'),
  review: z
    .enum(['off', 'agent', 'codex'], { error: 'must be one of "off", "agent", "codex"' })
    .default('agent'),
  approval: z
    .enum(['none', 'required'], { error: 'must be "none" or "required"' })
    .default('none')
    .describe('"required": every merge waits for a person (the task source or the API).'),
  maxParallel: positiveInteger.default(2),
  maxConcurrentRuns: positiveInteger
    .default(1)
    .describe('Runs of this project at once; merges are one at a time anyway.'),
  budget: z
    .strictObject({
      tokens: positiveInteger.optional(),
      costUsd: z
        .number({ error: 'must be a number' })
        .positive({ error: 'must be greater than 0' })
        .optional(),
    })
    .optional(),
  model: modelSettings.optional(),
  network: z
    .enum(['off', 'on'], { error: 'must be "off" or "on"' })
    .default('off')
    .describe('Network inside the sandbox of commands run in worktrees.'),
});

const githubRepository = z
  .string({ error: 'must be a string' })
  .regex(/^[A-Za-z0-9][A-Za-z0-9-]{0,38}\/[A-Za-z0-9._-]{1,100}$/, {
    error: 'must be a repository written as "owner/name"',
  });

/** Settings every tracker kind shares: polling, write-back, approvals. */
const trackerCommon = {
  name: z
    .string({ error: 'must be a string' })
    .regex(/^[a-z0-9][a-z0-9-]{0,39}$/, { error: 'must be lowercase letters, digits and dashes' })
    .optional()
    .describe('Name of the task source and prefix of its task ids (default: the kind).'),
  pollIntervalMs: z
    .number()
    .int()
    .min(5_000, { error: 'must be at least 5000 (be polite to the tracker)' })
    .default(60_000),
  progressIntervalMs: z.number().int().min(1_000).default(30_000),
  approvals: z
    .boolean()
    .default(true)
    .describe('Take "/approve task-x" and "/reject task-x" comments from allowed people.'),
  allowedUsers: z
    .array(text)
    .default([])
    .describe('People allowed to start runs and approve merges, besides those with write access.'),
};

const githubTrackerSchema = z.strictObject({
  kind: z.literal('github'),
  ...trackerCommon,
  repositories: z
    .record(githubRepository, projectName, { error: 'must map "owner/name" to a project name' })
    .refine((repositories) => Object.keys(repositories).length > 0, {
      error: 'must name at least one repository',
    })
    .describe('Each watched repository and the project its issues run in.'),
  labels: z.array(text).default(['orchestrator']).describe('Labels an issue must all have to become a task.'),
  assignee: text.optional().describe('Also require this assignee (a login).'),
  collaborators: z
    .union([z.enum(['triage', 'write', 'maintain', 'admin']), z.literal(false)])
    .default('write')
    .describe('The least collaborator permission that allows a person; false: only allowedUsers.'),
  statusLabels: z
    .strictObject({
      inProgress: text.optional(),
      done: text.optional(),
      needsReview: text.optional(),
      failed: text.optional(),
    })
    .optional(),
  closeOnDone: z.boolean().default(true),
  token: secretRef
    .default({ env: 'GITHUB_TOKEN' })
    .describe('Where the GitHub token is read from (default: env GITHUB_TOKEN).'),
  baseUrl: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).optional(),
  webhook: z
    .strictObject({
      host: text.default('127.0.0.1'),
      port: z.number().int().min(0).max(65_535).default(8788),
      path: text.default('/github/webhook'),
      secret: secretRef.describe('The webhook secret (X-Hub-Signature-256 is checked with it).'),
    })
    .optional()
    .describe('Optional: GitHub webhooks as a faster path than polling (polling stays on).'),
});

const linearTeamKey = z
  .string({ error: 'must be a string' })
  .regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,19}$/, { error: 'must be a Linear team key such as "ENG"' });

const linearTrackerSchema = z
  .strictObject({
    kind: z.literal('linear'),
    ...trackerCommon,
    teams: z
      .record(linearTeamKey, projectName, { error: 'must map Linear team keys to project names' })
      .default({})
      .describe('Each watched Linear team (by key) and the project its issues run in.'),
    projects: z
      .record(text, projectName, { error: 'must map Linear project names to project names' })
      .default({})
      .describe('Linear projects (by name) whose issues are watched, and the project they run in.'),
    label: text
      .nullable()
      .default('orchestrator')
      .describe('The label that makes an issue a task (null: any issue of the teams or projects).'),
    assignee: text.optional().describe('Also require this assignee: a user id, an email, or "me".'),
    states: z.array(text).optional().describe('Only issues in these workflow states (names).'),
    allowedRoles: z
      .array(z.enum(['admin', 'member', 'guest'], { error: 'must be "admin", "member" or "guest"' }))
      .optional()
      .describe(
        'Workspace roles allowed to start runs and approve merges (default: admin and member when allowedUsers is empty).',
      ),
    workflow: z
      .strictObject({
        inProgress: text.optional(),
        done: text.optional(),
        needsReview: text.optional(),
        todo: text.optional(),
      })
      .optional()
      .describe('Workflow state names to move issues to (default In Progress, Done, In Review, Todo).'),
    failureLabel: text.optional().describe('Added when a run fails (default "orchestrator-failed").'),
    assignOnClaim: z.boolean().default(true),
    apiKey: secretRef
      .default({ env: 'LINEAR_API_KEY' })
      .describe('Where the Linear API key is read from (default: env LINEAR_API_KEY).'),
    apiUrl: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).optional(),
    webhook: z
      .strictObject({
        host: text.default('127.0.0.1'),
        port: z.number().int().min(0).max(65_535).default(8789),
        path: text.default('/linear/webhook'),
        secret: secretRef.describe('The webhook signing secret (Linear-Signature is checked with it).'),
      })
      .optional()
      .describe('Optional: Linear webhooks as a faster path than polling (polling stays on).'),
  })
  .refine((tracker) => Object.keys(tracker.teams).length + Object.keys(tracker.projects).length > 0, {
    error: 'must name at least one team in "teams" or one project in "projects"',
  });

/**
 * Task trackers that feed the service and get status written back; one entry per tracker, told
 * apart by `kind` (`github`, `linear`; other kinds join the union).
 */
const trackerSchema = z.discriminatedUnion('kind', [githubTrackerSchema, linearTrackerSchema], {
  error: 'must have a "kind" the service knows ("github", "linear")',
});

/** The schema of `orchestrator serve --config FILE`. Unknown fields are refused (usually typos). */
export const serviceConfigSchema = z.strictObject({
  $schema: z.string().optional(),
  projects: z
    .record(projectName, projectSchema, { error: 'must be an object of projects by name' })
    .refine((projects) => Object.keys(projects).length > 0, { error: 'must name at least one project' }),
  store: z.strictObject({ path: path.describe('The SQLite file of the service store.') }).optional(),
  api: z
    .strictObject({
      host: text.default('127.0.0.1'),
      port: z.number({ error: 'must be a port number' }).int().min(0).max(65_535).default(8787),
      token: secretRef.describe('The bearer token the API requires (at least 16 characters).'),
      allowedOrigins: z
        .array(z.url({ error: 'must be an origin such as "http://127.0.0.1:3000"' }))
        .default([]),
    })
    .optional(),
  model: modelSettings.optional(),
  routing: z
    .strictObject({
      minConfidence: z.number().min(0).max(1).default(0.6),
    })
    .optional(),
  limits: z.strictObject({ maxConcurrentRuns: positiveInteger.default(2) }).optional(),
  sources: z
    .strictObject({
      inbox: z
        .strictObject({
          dir: path.describe(
            'Each *.md or *.txt file in it is a task; "shop: ..." at its start names the project.',
          ),
          project: projectName.optional().describe('The project of inbox tasks that name none.'),
          pollIntervalMs: positiveInteger.optional(),
        })
        .optional(),
      telegram: z
        .strictObject({
          token: secretRef.describe('Where the bot token from @BotFather is read from.'),
          allowedUserIds: z
            .array(telegramId, { error: 'must be a list of numeric Telegram user ids' })
            .min(1, { error: 'must name at least one user; the bot ignores everyone else' })
            .describe('Numeric ids of the people who may hand over tasks and approve merges.'),
          allowedChatIds: z
            .array(telegramId, { error: 'must be a list of numeric Telegram chat ids' })
            .default([])
            .describe('Group chats where allowed users may use the bot (private chats always work).'),
          approvalChatId: telegramId
            .optional()
            .describe('Where merges of tasks from other sources (API, inbox) are asked to be approved.'),
          apiRoot: z
            .url({ protocol: /^https?$/, error: 'must be an http(s) URL' })
            .optional()
            .describe("A self-hosted Bot API server (default: Telegram's)."),
          acceptPlainText: z
            .boolean({ error: 'must be true or false' })
            .default(false)
            .describe('Treat plain text in private chats as /task <text>.'),
        })
        .optional(),
    })
    .default({}),
  trackers: z.array(trackerSchema).default([]),
  logs: z.strictObject({ level: z.enum(['debug', 'info', 'warn', 'error']).default('info') }).optional(),
});

/** A service config as written (before defaults). */
export type ServiceConfigInput = z.input<typeof serviceConfigSchema>;
/** A validated service config with defaults filled in and paths still as written. */
export type ServiceConfigParsed = z.output<typeof serviceConfigSchema>;
/** One project of a validated config. */
export type ServiceProjectConfig = z.output<typeof projectSchema>;
/** One tracker of a validated config (a union on `kind`). */
export type ServiceTrackerConfig = z.output<typeof trackerSchema>;
/** A GitHub tracker of a validated config. */
export type GitHubTrackerConfig = z.output<typeof githubTrackerSchema>;
/** A Linear tracker of a validated config. */
export type LinearTrackerConfig = z.output<typeof linearTrackerSchema>;
/** A reference to a secret: a file or an environment variable. */
export type SecretRef = z.output<typeof secretRef>;
