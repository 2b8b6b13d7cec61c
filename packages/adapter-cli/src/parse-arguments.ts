import { parseArgs } from 'node:util';
import { CliError } from './cli-error.js';
import { nonEmpty, parsePositiveInteger, parsePositiveNumber, parseReview, parseUrl } from './flag-values.js';

/** The sub-commands of `orchestrator`; `run` is the default (`orchestrator "<task>"`). */
export type CliCommand = 'run' | 'dispatch' | 'demo' | 'worktrees' | 'policy' | 'help' | 'version';

/** Flags as given on the command line, before config files and env vars are merged in. */
export interface CliFlags {
  help?: boolean;
  version?: boolean;
  taskFile?: string;
  baseDir?: string;
  model?: string;
  baseURL?: string;
  maxParallel?: number;
  review?: 'off' | 'agent' | 'codex';
  budgetTokens?: number;
  budgetUsd?: number;
  dryRun?: boolean;
  trace?: boolean;
  json?: boolean;
  config?: string;
  approve?: boolean;
  smokeTest?: string;
  inbox?: string;
  store?: string;
  concurrency?: number;
  dir?: string;
}

/** The parsed command line. */
export interface ParsedArguments {
  command: CliCommand;
  flags: CliFlags;
  /** Positional words after the command (`run`: the task words; `worktrees`: the action). */
  positionals: string[];
  /** `policy ...`: the raw arguments handed to the policy CLI untouched. */
  passThrough: string[];
}

const options = {
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'v' },
  'task-file': { type: 'string', short: 'f' },
  'base-dir': { type: 'string', short: 'C' },
  model: { type: 'string', short: 'm' },
  'base-url': { type: 'string' },
  'max-parallel': { type: 'string', short: 'p' },
  review: { type: 'string' },
  'budget-tokens': { type: 'string' },
  'budget-usd': { type: 'string' },
  'dry-run': { type: 'boolean' },
  trace: { type: 'boolean' },
  json: { type: 'boolean' },
  config: { type: 'string', short: 'c' },
  approve: { type: 'boolean' },
  'smoke-test': { type: 'string' },
  inbox: { type: 'string' },
  store: { type: 'string' },
  concurrency: { type: 'string' },
  dir: { type: 'string' },
} as const;

const subCommands = new Set<CliCommand>(['dispatch', 'demo', 'worktrees', 'help']);

/** Flags of every command that runs orchestrations (one task, or the dispatcher's queue). */
const orchestrationFlags: readonly (keyof CliFlags)[] = [
  'baseDir',
  'model',
  'baseURL',
  'maxParallel',
  'review',
  'budgetTokens',
  'budgetUsd',
  'dryRun',
  'trace',
  'json',
  'config',
  'smokeTest',
];

/** Which flags each command accepts, so a flag that would be silently ignored is an error. */
const commandFlags: Record<CliCommand, ReadonlySet<keyof CliFlags>> = {
  run: new Set([...orchestrationFlags, 'taskFile', 'approve']),
  dispatch: new Set([...orchestrationFlags, 'inbox', 'store', 'concurrency']),
  demo: new Set(['dir', 'json', 'trace', 'maxParallel']),
  worktrees: new Set(['baseDir', 'config', 'json']),
  policy: new Set(),
  help: new Set(),
  version: new Set(),
};

const flagNames: Record<keyof CliFlags, string> = {
  help: '--help',
  version: '--version',
  taskFile: '--task-file',
  baseDir: '--base-dir',
  model: '--model',
  baseURL: '--base-url',
  maxParallel: '--max-parallel',
  review: '--review',
  budgetTokens: '--budget-tokens',
  budgetUsd: '--budget-usd',
  dryRun: '--dry-run',
  trace: '--trace',
  json: '--json',
  config: '--config',
  approve: '--approve',
  smokeTest: '--smoke-test',
  inbox: '--inbox',
  store: '--store',
  concurrency: '--concurrency',
  dir: '--dir',
};

/**
 * Parses `orchestrator` arguments (without `node` and the script path).
 * Throws {@link CliError} (exit code 2) with the offending word and the fix.
 *
 * @example
 * parseArguments(['--max-parallel', '2', 'add a slugify util']);
 * // { command: 'run', flags: { maxParallel: 2 }, positionals: ['add a slugify util'], passThrough: [] }
 */
export function parseArguments(argv: readonly string[]): ParsedArguments {
  // `policy` hands everything after it to the policy CLI, which has its own flags.
  if (argv[0] === 'policy') {
    return { command: 'policy', flags: {}, positionals: [], passThrough: argv.slice(1) };
  }
  let parsed: ReturnType<typeof parseWithNode>;
  try {
    parsed = parseWithNode(argv);
  } catch (error) {
    throw new CliError(`${(error as Error).message}. Run \`orchestrator --help\` for the list of options.`, {
      code: 'CLI_BAD_ARGUMENT',
      cause: error,
    });
  }
  const { values, positionals, tokens } = parsed;
  const terminatorIndex = tokens.find((token) => token.kind === 'option-terminator')?.index ?? Infinity;
  const firstPositional = tokens.find((token) => token.kind === 'positional');
  const flags = readFlags(values);

  let command: CliCommand = 'run';
  let rest = positionals;
  if (
    firstPositional !== undefined &&
    firstPositional.index < terminatorIndex &&
    subCommands.has(firstPositional.value as CliCommand)
  ) {
    command = firstPositional.value as CliCommand;
    rest = positionals.slice(1);
  }
  if (command === 'help' || flags.help) return { command: 'help', flags, positionals: rest, passThrough: [] };
  if (flags.version) return { command: 'version', flags, positionals: rest, passThrough: [] };

  for (const key of Object.keys(flags) as (keyof CliFlags)[]) {
    if (!commandFlags[command].has(key)) {
      const where = command === 'run' ? 'a task run' : `\`orchestrator ${command}\``;
      throw new CliError(`${flagNames[key]} does not apply to ${where}. Run \`orchestrator --help\`.`, {
        code: 'CLI_BAD_ARGUMENT',
      });
    }
  }
  if (command === 'dispatch' || command === 'demo') {
    if (rest.length > 0) {
      throw new CliError(
        `Unexpected argument "${rest[0]}" after \`orchestrator ${command}\`. Run \`orchestrator --help\`.`,
        { code: 'CLI_BAD_ARGUMENT' },
      );
    }
  }
  return { command, flags, positionals: rest, passThrough: [] };
}

function parseWithNode(argv: readonly string[]) {
  return parseArgs({ args: [...argv], options, allowPositionals: true, strict: true, tokens: true });
}

type RawValues = ReturnType<typeof parseWithNode>['values'];

function readFlags(values: RawValues): CliFlags {
  const flags: CliFlags = {};
  if (values.help) flags.help = true;
  if (values.version) flags.version = true;
  if (values['task-file'] !== undefined) flags.taskFile = values['task-file'];
  if (values['base-dir'] !== undefined) flags.baseDir = values['base-dir'];
  if (values.model !== undefined) flags.model = nonEmpty('--model', values.model);
  if (values['base-url'] !== undefined) flags.baseURL = parseUrl('--base-url', values['base-url']);
  if (values['max-parallel'] !== undefined) {
    flags.maxParallel = parsePositiveInteger('--max-parallel', values['max-parallel']);
  }
  if (values.review !== undefined) flags.review = parseReview(values.review);
  if (values['budget-tokens'] !== undefined) {
    flags.budgetTokens = parsePositiveInteger('--budget-tokens', values['budget-tokens']);
  }
  if (values['budget-usd'] !== undefined)
    flags.budgetUsd = parsePositiveNumber('--budget-usd', values['budget-usd']);
  if (values['dry-run']) flags.dryRun = true;
  if (values.trace) flags.trace = true;
  if (values.json) flags.json = true;
  if (values.config !== undefined) flags.config = nonEmpty('--config', values.config);
  if (values.approve) flags.approve = true;
  if (values['smoke-test'] !== undefined) flags.smokeTest = values['smoke-test'];
  if (values.inbox !== undefined) flags.inbox = nonEmpty('--inbox', values.inbox);
  if (values.store !== undefined) flags.store = nonEmpty('--store', values.store);
  if (values.concurrency !== undefined) {
    flags.concurrency = parsePositiveInteger('--concurrency', values.concurrency);
  }
  if (values.dir !== undefined) flags.dir = nonEmpty('--dir', values.dir);
  return flags;
}
