import { Option } from 'commander';
import {
  nonEmpty,
  parseNonNegativeInteger,
  parsePositiveInteger,
  parsePositiveNumber,
  parseReview,
  parseUrl,
} from './flag-values.js';

/** Flags as given on the command line, before config files and env vars are merged in. */
export interface CliFlags {
  help?: boolean;
  version?: boolean;
  taskFile?: string;
  baseDir?: string;
  model?: string;
  baseURL?: string;
  codexModel?: string;
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
  policy?: string;
  setup?: string;
  copy?: string[];
  reuseDependencies?: boolean;
  portsPerWorktree?: number;
  skipPreflight?: boolean;
  unsafeNoSandbox?: boolean;
  inbox?: string;
  store?: string;
  concurrency?: number;
  dir?: string;
  check?: boolean;
}

/** One option: its commander spelling, help line (with the default) and value converter. */
interface OptionSpec {
  key: keyof CliFlags;
  flags: string;
  description: string;
  parse?: (value: string, previous: unknown) => unknown;
}

const collect = (value: string, previous: unknown): string[] => [
  ...((previous as string[] | undefined) ?? []),
  nonEmpty('--copy', value),
];

/** Every option of every command, by key. Defaults are in the help lines, not in the values. */
export const optionSpecs: Record<Exclude<keyof CliFlags, 'help' | 'version'>, OptionSpec> = {
  baseDir: {
    key: 'baseDir',
    flags: '-C, --base-dir <dir>',
    description:
      'folder holding the worktrees; DIR/main is your project on main (default: $ORCHESTRATOR_BASE_DIR)',
  },
  taskFile: { key: 'taskFile', flags: '-f, --task-file <file>', description: 'read the task from FILE' },
  model: {
    key: 'model',
    flags: '-m, --model <name>',
    description:
      'model of the orchestrator agent; codex uses it too unless configured apart (default: gpt-5)',
    parse: (value) => nonEmpty('--model', value),
  },
  baseURL: {
    key: 'baseURL',
    flags: '--base-url <url>',
    description:
      'OpenAI-compatible Responses endpoint, for the orchestrator and codex (default: $OPENAI_BASE_URL, else OpenAI)',
    parse: (value) => parseUrl('--base-url', value),
  },
  codexModel: {
    key: 'codexModel',
    flags: '--codex-model <name>',
    description: "model of the codex workers (default: --model when set, else codex's own config)",
    parse: (value) => nonEmpty('--codex-model', value),
  },
  maxParallel: {
    key: 'maxParallel',
    flags: '-p, --max-parallel <n>',
    description: 'at most N codex runs at a time (default: 2)',
    parse: (value) => parsePositiveInteger('--max-parallel', value),
  },
  review: {
    key: 'review',
    flags: '--review <mode>',
    description: 'off | agent | codex: who reviews a branch before it merges (default: agent)',
    parse: (value) => parseReview(value),
  },
  budgetTokens: {
    key: 'budgetTokens',
    flags: '--budget-tokens <n>',
    description: 'stop starting codex runs after N tokens (default: no limit)',
    parse: (value) => parsePositiveInteger('--budget-tokens', value),
  },
  budgetUsd: {
    key: 'budgetUsd',
    flags: '--budget-usd <x>',
    description: 'stop starting codex runs after an estimated X US dollars (default: no limit)',
    parse: (value) => parsePositiveNumber('--budget-usd', value),
  },
  smokeTest: {
    key: 'smokeTest',
    flags: '--smoke-test <cmd>',
    description: 'command run in main after each merge, e.g. "npm test" (default: none)',
  },
  policy: {
    key: 'policy',
    flags: '--policy <file>',
    description: 'command policy file (JSON, see the policy README) (default: the built-in policy)',
    parse: (value) => nonEmpty('--policy', value),
  },
  setup: {
    key: 'setup',
    flags: '--setup <cmd>',
    description:
      'command run in each new worktree after the bootstrap, with ROOT and WORKTREE set (default: none)',
    parse: (value) => nonEmpty('--setup', value),
  },
  copy: {
    key: 'copy',
    flags: '--copy <path>',
    description:
      'gitignored file or folder of main to copy into each new worktree, repeatable (default: the lines of main/.worktreeinclude)',
    parse: collect,
  },
  reuseDependencies: {
    key: 'reuseDependencies',
    flags: '--no-reuse-dependencies',
    description:
      "do not hard-link main's node_modules into new worktrees (default: reused when the lockfile matches)",
  },
  portsPerWorktree: {
    key: 'portsPerWorktree',
    flags: '--ports-per-worktree <n>',
    description: 'size of the port range given to each worktree as PORT..PORT+N-1 (default: 10; 0: none)',
    parse: (value) => parseNonNegativeInteger('--ports-per-worktree', value),
  },
  skipPreflight: {
    key: 'skipPreflight',
    flags: '--skip-preflight',
    description: 'skip the start-up checks of codex and the model endpoint (default: checked)',
  },
  unsafeNoSandbox: {
    key: 'unsafeNoSandbox',
    flags: '--unsafe-no-sandbox',
    description:
      'run worktree code (tests, hooks, codex) with your full rights, unconfined; the report and every audit line say so (default: sandboxed)',
  },
  approve: { key: 'approve', flags: '--approve', description: 'ask on the terminal before each merge (y/n)' },
  dryRun: {
    key: 'dryRun',
    flags: '--dry-run',
    description: 'check and log commands without running them (also ORCHESTRATOR_DRY_RUN=1)',
  },
  trace: {
    key: 'trace',
    flags: '--trace',
    description: 'one line per command on stderr (also ORCHESTRATOR_TRACE=1)',
  },
  json: {
    key: 'json',
    flags: '--json',
    description: 'JSON Lines events on stdout, nothing else there; messages go to stderr',
  },
  config: {
    key: 'config',
    flags: '-c, --config <file>',
    description: 'JSON config file; flags override it, it overrides env vars',
    parse: (value) => nonEmpty('--config', value),
  },
  inbox: {
    key: 'inbox',
    flags: '--inbox <dir>',
    description:
      'take tasks from DIR, one .md or .txt file each; runs until Ctrl-C (default: $DISPATCH_TASKS)',
    parse: (value) => nonEmpty('--inbox', value),
  },
  store: {
    key: 'store',
    flags: '--store <file>',
    description: 'journal of task states (default: BASE_DIR/.orchestrator/dispatch-journal.jsonl)',
    parse: (value) => nonEmpty('--store', value),
  },
  concurrency: {
    key: 'concurrency',
    flags: '--concurrency <n>',
    description: 'tasks run at the same time (default: 1)',
    parse: (value) => parsePositiveInteger('--concurrency', value),
  },
  dir: {
    key: 'dir',
    flags: '--dir <dir>',
    description: 'folder of the demo (default: ./.orchestrator-demo)',
    parse: (value) => nonEmpty('--dir', value),
  },
  check: {
    key: 'check',
    flags: '--check',
    description: 'validate the config and print what would run; start nothing',
  },
};

/** Options of every command that runs orchestrations (one task, or the dispatcher's queue). */
export const orchestrationKeys: readonly (keyof typeof optionSpecs)[] = [
  'baseDir',
  'config',
  'model',
  'baseURL',
  'codexModel',
  'maxParallel',
  'review',
  'budgetTokens',
  'budgetUsd',
  'smokeTest',
  'policy',
  'setup',
  'copy',
  'reuseDependencies',
  'portsPerWorktree',
  'skipPreflight',
  'unsafeNoSandbox',
  'dryRun',
  'trace',
  'json',
];

/** A commander `Option` for a key. */
export function createOption(key: keyof typeof optionSpecs): Option {
  const spec = optionSpecs[key];
  const option = new Option(spec.flags, spec.description);
  if (spec.parse) option.argParser(spec.parse as (value: string, previous: unknown) => unknown);
  return option;
}

/** The spelling of a flag for messages (`--base-dir`). */
export function flagName(key: keyof CliFlags): string {
  if (key === 'help') return '--help';
  if (key === 'version') return '--version';
  return optionSpecs[key].flags.match(/--[a-z-]+/)?.[0] ?? key;
}

/** The long and short spellings of every option that takes a value (for the `--` pre-scan). */
export const valueOptionWords: ReadonlySet<string> = new Set(
  Object.values(optionSpecs)
    .filter((spec) => spec.flags.includes('<'))
    .flatMap((spec) => spec.flags.split(/[ ,]+/).filter((word) => word.startsWith('-'))),
);
