import { Command, CommanderError } from 'commander';
import { CliError } from './cli-error.js';
import {
  type CliFlags,
  createOption,
  flagName,
  optionSpecs,
  orchestrationKeys,
  valueOptionWords,
} from './cli-options.js';
import { suggestCommand } from './command-suggestion.js';
import { helpFooter } from './help-text.js';

export type { CliFlags } from './cli-options.js';

/** The sub-commands of `orchestrator`; `run` is also reached by a bare quoted task. */
export type CliCommand = 'run' | 'dispatch' | 'demo' | 'worktrees' | 'serve' | 'policy' | 'help' | 'version';

/** The parsed command line. */
export interface ParsedArguments {
  command: CliCommand;
  flags: CliFlags;
  /** Positional words after the command (`run`: the task words; `worktrees`: the action). */
  positionals: string[];
  /** `policy ...`: the raw arguments handed to the policy CLI untouched. */
  passThrough: string[];
  /** `help`: the text to print. */
  helpText?: string;
}

type OptionKey = keyof typeof optionSpecs;

const commandKeys: Record<'run' | 'dispatch' | 'demo' | 'worktrees' | 'serve', readonly OptionKey[]> = {
  run: [...orchestrationKeys, 'taskFile', 'approve'],
  dispatch: [...orchestrationKeys, 'inbox', 'store', 'concurrency'],
  demo: ['dir', 'json', 'trace', 'maxParallel'],
  worktrees: ['baseDir', 'config', 'json'],
  serve: ['config', 'check'],
};

const usageHint = 'Run `orchestrator --help` for the commands and options.';

/**
 * Parses `orchestrator` arguments (without `node` and the script path) with commander.
 * A task is taken only from `orchestrator run ...` or a bare quoted task (one argument with a
 * space in it) that is not a near miss of a command, so a typo never becomes a paid model run.
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
  // `orchestrator help [command]` is `orchestrator [command] --help`.
  if (argv[0] === 'help')
    return parseArguments([...argv.slice(1).filter((word) => word !== 'help'), '--help']);
  let result: ParsedArguments | undefined;
  let written = '';
  const program = buildProgram((parsed) => {
    result = parsed;
  });
  const capture = { writeOut: (text: string) => (written += text), writeErr: () => undefined };
  program.configureOutput(capture);
  for (const command of program.commands) command.configureOutput(capture);
  try {
    program.parse(withExplicitRun(argv), { from: 'user' });
  } catch (error) {
    if (CliError.isInstance(error)) throw error;
    if (error instanceof CommanderError) {
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.help') {
        return { command: 'help', flags: {}, positionals: [], passThrough: [], helpText: written };
      }
      if (error.code === 'commander.version') {
        return { command: 'version', flags: {}, positionals: [], passThrough: [] };
      }
      throw new CliError(`${describeCommanderError(error)} ${usageHint}`, {
        code: 'bad-argument',
        cause: error,
      });
    }
    throw error;
  }
  if (result === undefined) throw new CliError(`No command given. ${usageHint}`, { code: 'bad-argument' });
  return result;
}

/** `orchestrator [options] -- words`: everything after `--` is the task, never a command. */
function withExplicitRun(argv: readonly string[]): string[] {
  for (let index = 0; index < argv.length; index += 1) {
    const word = argv[index] as string;
    if (word === '--') return ['run', ...argv];
    if (!word.startsWith('-') || word === '-') return [...argv];
    if (valueOptionWords.has(word)) index += 1;
  }
  return [...argv];
}

function describeCommanderError(error: CommanderError): string {
  const text = error.message.replace(/^error: /, '').replace(/\s*\n\s*/g, ' ');
  const unknown = error.code === 'commander.unknownOption' ? /'(--?[^'=]+)/.exec(text)?.[1] : undefined;
  if (unknown !== undefined) {
    const owners = Object.entries(commandKeys)
      .filter(([, keys]) => keys.some((key) => optionSpecs[key].flags.split(/[ ,]+/).includes(unknown)))
      .map(([name]) => (name === 'run' ? 'a task run' : `orchestrator ${name}`));
    if (owners.length > 0)
      return `${unknown} does not apply to this command (it is an option of ${owners.join(', ')}).`;
  }
  return /[.?)]$/.test(text) ? text : `${text}.`;
}

function buildProgram(done: (parsed: ParsedArguments) => void): Command {
  const program = new Command('orchestrator')
    .description(
      'Hand a big coding task to an orchestrator agent that plans it, runs the Codex CLI in one git worktree per subtask, tests, reviews and merges locally. It never pushes.',
    )
    .usage('"<task>" [options]  |  orchestrator <command> [options]')
    .enablePositionalOptions()
    .exitOverride()
    .showSuggestionAfterError(true)
    .helpOption('-h, --help', 'this help')
    .option('-v, --version', 'the version')
    .argument('[task...]', 'the task, quoted: orchestrator "add a users search endpoint with tests"')
    .addHelpText('after', helpFooter);
  for (const key of commandKeys.run) program.addOption(createOption(key));
  program.action((words: string[], _options, command: Command) => {
    const flags = collectFlags(command);
    if (flags.version) {
      done({ command: 'version', flags, positionals: [], passThrough: [] });
      return;
    }
    checkBareTask(words, flags);
    done(finish('run', flags, words));
  });

  const run = program
    .command('run')
    .description(
      'run one task in the project under --base-dir (the task as words, --task-file FILE, or - for stdin)',
    )
    .argument('[task...]', 'the task');
  for (const key of commandKeys.run) run.addOption(createOption(key));
  run.action((words: string[], _options, command: Command) =>
    done(finish('run', collectFlags(command), words)),
  );

  const dispatch = program
    .command('dispatch')
    .description('run every task of DISPATCH_TASKS (or --inbox DIR), then exit');
  for (const key of commandKeys.dispatch) dispatch.addOption(createOption(key));
  dispatch.action((_options, command: Command) => done(finish('dispatch', collectFlags(command), [])));

  const demo = program
    .command('demo')
    .description('offline demo: sample project, scripted model, real git and codex');
  for (const key of commandKeys.demo) demo.addOption(createOption(key));
  demo.action((_options, command: Command) => done(finish('demo', collectFlags(command), [])));

  const worktrees = program
    .command('worktrees')
    .alias('worktree')
    .description('show the worktrees under the base dir / prune stale ones')
    .argument('[action]', 'list | prune');
  for (const key of commandKeys.worktrees) worktrees.addOption(createOption(key));
  worktrees.action((action: string | undefined, _options, command: Command) =>
    done(finish('worktrees', collectFlags(command), action === undefined ? [] : [action])),
  );

  const serve = program
    .command('serve')
    .description('the long-running service for many projects: serve --config FILE [--check] (docs/serve)');
  for (const key of commandKeys.serve) serve.addOption(createOption(key));
  serve.action((_options, command: Command) => {
    const flags = collectFlags(command);
    if (flags.config === undefined)
      throw new CliError(
        '`orchestrator serve` needs --config FILE (see docs/serve/serve.example.json). Check one with --check.',
        { code: 'bad-argument' },
      );
    done(finish('serve', flags, []));
  });

  program
    .command('policy')
    .description(
      'check a command against the policy: orchestrator policy check -- <command> (see policy --help)',
    )
    .helpOption(false)
    .allowUnknownOption()
    .argument('[arguments...]');
  for (const command of program.commands) command.exitOverride().showSuggestionAfterError(true);
  return program;
}

/** The flags of a sub-command merged over those given before it. */
function collectFlags(command: Command): CliFlags {
  const flags = { ...command.parent?.opts(), ...command.opts() } as CliFlags;
  if (flags.reuseDependencies === true) delete flags.reuseDependencies; // the default of a --no-* flag
  return flags;
}

/** Checks that every flag applies to the command (a flag given before a sub-command may not). */
function finish(command: keyof typeof commandKeys, flags: CliFlags, positionals: string[]): ParsedArguments {
  const accepted = new Set<keyof CliFlags>(commandKeys[command]);
  for (const key of Object.keys(flags) as (keyof CliFlags)[]) {
    if (!accepted.has(key)) {
      const where = command === 'run' ? 'a task run' : `\`orchestrator ${command}\``;
      throw new CliError(`${flagName(key)} does not apply to ${where}. ${usageHint}`, {
        code: 'bad-argument',
      });
    }
  }
  return { command, flags, positionals, passThrough: [] };
}

/** A bare task must be one quoted argument that reads like a sentence, not a command typo. */
function checkBareTask(words: string[], flags: CliFlags): void {
  const [first] = words;
  if (first === undefined || first === '-') return;
  const suggestion = suggestCommand(first);
  if (suggestion !== undefined) {
    const rest = words.slice(1).join(' ');
    throw new CliError(
      `Unknown command "${first}". Did you mean \`orchestrator ${suggestion}${rest === '' ? '' : ` ${rest}`}\`? (To run it as a task: orchestrator run "${words.join(' ')}")`,
      { code: 'unknown-command' },
    );
  }
  if (words.length > 1 || !/\s/.test(first)) {
    if (flags.taskFile !== undefined) return; // readTask says "words or --task-file, not both"
    throw new CliError(
      `"${words.join(' ')}" is not a command. To run it as a task, quote it or say run: orchestrator run "${words.join(' ')}". Commands: run, dispatch, demo, worktrees, policy, help.`,
      { code: 'unknown-command' },
    );
  }
}
