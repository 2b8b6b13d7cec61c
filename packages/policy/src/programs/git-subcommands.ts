import { type ArgWord, possibleValues } from '../engine/arg-word.js';
import { expansionDenial, pathDenial } from '../engine/check-arguments.js';
import { abbreviates, type ScannedArgument } from '../engine/option-scan.js';
import { findPathProblem } from '../engine/path-check.js';
import type { Denial, ProgramContext } from '../engine/program-context.js';
import { findGitConfigProblem } from './git-config-keys.js';

/** What a subcommand check found: a refusal, or arguments the generic path check must skip. */
export interface GitSubcommandResult {
  deny?: Denial;
  /** Words this check validated itself (sibling worktree paths like `../task-x`). */
  exempt?: ArgWord[];
}

type GitSubcommandCheck = (
  scanned: readonly ScannedArgument[],
  context: ProgramContext,
) => GitSubcommandResult;

const positionals = (scanned: readonly ScannedArgument[]) =>
  scanned.filter((item) => item.role === 'positional');
const optionTexts = (scanned: readonly ScannedArgument[]) =>
  scanned.filter((item) => item.role === 'option').map((item) => item.word.value);

/** A result with nothing to report (shared; never changed). */
const NOTHING: GitSubcommandResult = Object.freeze({});

function deny(ruleId: string, reason: string): GitSubcommandResult {
  return { deny: { ruleId, reason } };
}

const CONFIG_WRITES = [
  '--add',
  '--unset',
  '--unset-all',
  '--replace-all',
  '--rename-section',
  '--remove-section',
  '--edit',
];

/** Whether an option word names one of `options` or abbreviates it (`--uns` is `--unset`). */
function namesAny(text: string, options: readonly string[]): boolean {
  for (const option of options) if (abbreviates(text, option)) return true;
  return false;
}

/** Whether the short-option bundle `text` holds `letter` before any of the value-taking `values`. */
function bundleHolds(text: string, letter: string, values: string): boolean {
  if (text.charCodeAt(1) === 45) return false;
  for (let at = 1; at < text.length; at++) {
    const char = text[at]!;
    if (char === letter) return true;
    if (values.includes(char)) return false;
  }
  return false;
}

/** `git config`: reading is fine; any write could set a program-running key, so all are refused. */
const config: GitSubcommandCheck = (scanned) => {
  const options = optionTexts(scanned);
  const operands = positionals(scanned).map((item) => item.word.value);
  const action = operands[0];
  const reading = options.some((option) =>
    /^--(get|get-all|get-regexp|get-urlmatch|get-color|get-colorbool|list)$|^-l$/.test(option),
  );
  if (
    options.some((option) => namesAny(option, CONFIG_WRITES) || bundleHolds(option, 'e', 'ft')) ||
    ['set', 'unset', 'rename-section', 'remove-section', 'edit'].includes(action ?? '') ||
    (!reading && action !== 'get' && action !== 'list' && operands.length >= 2)
  ) {
    return deny(
      'builtin:git-config',
      'git config writes are not allowed (a setting can make git run programs); read with `git config --get`',
    );
  }
  // Listing prints every setting of the user's and system's config too, where tokens live
  // (`http.extraHeader`, `url.<token>.insteadOf`, remote URLs with credentials).
  // A listing of one named file (`git config -f .gitmodules --list`) is left to the path checks.
  const namedFile = options.some((option) => /^(-f|--fil|--file)(=|$)|^-f./.test(option));
  if (
    action === 'list' ||
    (!namedFile &&
      options.some((option) =>
        /^--(list|get-regexp|get-urlmatch|show-origin|show-scope|global|system)(=|$)|^-l$/.test(option),
      )) ||
    options.some((option) => /^--blob(=|$)/.test(option)) ||
    operands.some((operand) => CREDENTIAL_KEY.test(operand))
  ) {
    return deny(
      'builtin:environment-dump',
      "git config listings and credential-like keys can print tokens from the user's config; read one ordinary key with `git config --get <key>`",
    );
  }
  return NOTHING;
};

/** Keys whose values are often credentials. */
const CREDENTIAL_KEY = /extraheader|insteadof|credential|token|password|secret|\.url$|^url\./i;

const SIBLING = /^\.\.\/([A-Za-z0-9][A-Za-z0-9._-]*)\/?$/;

/**
 * `git worktree add ../task-x main`: a worktree may be created or removed next to this one
 * (`../<name>`) or inside it, never elsewhere, and never one of the protected worktrees.
 */
const worktree: GitSubcommandCheck = (scanned, context) => {
  const operands = positionals(scanned);
  const action = operands[0]?.word.value;
  const exempt: ArgWord[] = [];
  if (
    action === 'add' ||
    action === 'remove' ||
    action === 'move' ||
    action === 'lock' ||
    action === 'unlock' ||
    action === 'repair'
  ) {
    const paths = action === 'add' ? operands.slice(1, 2) : operands.slice(1);
    for (const item of paths) {
      const word = item.word;
      const value = word.value;
      if (word.dynamic || word.glob || word.brace)
        return { deny: expansionDenial('git worktree', word.text, 'a worktree path') };
      const sibling = SIBLING.exec(value);
      if (!sibling) continue;
      if (!atWorktreeRoot(context))
        return deny(
          'builtin:outside-worktree',
          `git worktree ${action}: \`${value}\` is only allowed from the worktree root`,
        );
      if (context.settings.protectedWorktrees.includes(sibling[1]!) && action !== 'add') {
        return deny(
          'builtin:protected-worktree',
          `git worktree ${action}: \`${sibling[1]}\` is a protected worktree`,
        );
      }
      if (context.settings.protectedWorktrees.includes(sibling[1]!)) {
        return deny(
          'builtin:protected-worktree',
          `git worktree add: \`${sibling[1]}\` is the name of a protected worktree`,
        );
      }
      exempt.push(word);
    }
    const reset = forcedBranch(scanned, context, FORCE_CREATE_B);
    if (reset) return protectedBranch(`git worktree add -B ${reset}`);
  }
  return exempt.length > 0 ? { exempt } : NOTHING;
};

/** True when the shell is surely at the worktree root (no `cd` elsewhere before). */
function atWorktreeRoot(context: ProgramContext): boolean {
  const directories = context.directories;
  for (let index = 0; index < directories.length; index++) {
    if (directories[index]!.length !== 0) return false;
  }
  return true;
}

const BRANCH_CHANGES = ['--delete', '--move', '--copy', '--force'];

/** `git branch`: deleting, renaming, copying over or force-moving a protected branch is refused. */
const branch: GitSubcommandCheck = (scanned, context) => {
  const options = optionTexts(scanned);
  const risky = options.some((option) =>
    option.startsWith('--') ? namesAny(option, BRANCH_CHANGES) : /^-[a-zA-Z]*[dDmMcCf]/.test(option),
  );
  if (!risky) return NOTHING;
  // Every name counts, whether the policy reads it as an operand or as an option's value.
  const target = scanned.find(
    (item) => item.role !== 'option' && context.settings.protectedBranches.includes(item.word.value),
  );
  return target ? protectedBranch(`git branch ${options.join(' ')} ${target.word.value}`) : NOTHING;
};

/** The options that create a branch or reset an existing one to a new start. */
const FORCE_CREATE_B = { short: 'B', long: undefined } as const;
const FORCE_CREATE_C = { short: 'C', long: '--force-create' } as const;
/** Short options of checkout, switch and worktree add that take a branch name. */
const BRANCH_VALUE_LETTERS = 'bBcC';

/**
 * The protected branch that `-B name` (`checkout`, `worktree add`) or `-C name` /
 * `--force-create name` (`switch`) would reset, in any spelling: `-Bmain`, `-fC main`,
 * `--force-c=main`.
 */
function forcedBranch(
  scanned: readonly ScannedArgument[],
  context: ProgramContext,
  option: { short: string; long: string | undefined },
): string | undefined {
  const protectedBranches = context.settings.protectedBranches;
  for (let index = 0; index < scanned.length; index++) {
    const item = scanned[index]!;
    if (item.role !== 'option') continue;
    const text = item.word.value;
    let name: string | undefined;
    if (text.startsWith('--')) {
      if (option.long === undefined || text === '--force' || !abbreviates(text, option.long)) continue;
      const equals = text.indexOf('=');
      name = equals === -1 ? scanned[index + 1]?.word.value : text.slice(equals + 1);
    } else {
      // A bundle: flags, then the option, then its value attached or as the next word. Another
      // option with a value (`-b x`) ends the bundle first.
      for (let at = 1; at < text.length; at++) {
        const letter = text[at]!;
        if (letter === option.short) {
          const attached = text.slice(at + 1);
          name = attached !== '' ? attached : scanned[index + 1]?.word.value;
          break;
        }
        if (BRANCH_VALUE_LETTERS.includes(letter)) break;
      }
    }
    if (name !== undefined && protectedBranches.includes(name)) return name;
  }
  return undefined;
}

/** `git checkout -B main x` / `git switch -C main x` reset a protected branch. */
const forceCreate: GitSubcommandCheck = (scanned, context) => {
  const checkoutReset = forcedBranch(scanned, context, FORCE_CREATE_B);
  if (checkoutReset) return protectedBranch(`git checkout -B ${checkoutReset}`);
  const switchReset = forcedBranch(scanned, context, FORCE_CREATE_C);
  return switchReset ? protectedBranch(`git switch -C ${switchReset}`) : NOTHING;
};

const STRATEGIES = new Set(['ort', 'recursive', 'resolve', 'octopus', 'ours', 'subtree']);

/**
 * `git merge -s <strategy>` runs `git-merge-<strategy>` from PATH: only built-in ones. `pull`
 * has `-s` too; `cherry-pick` and `revert` only `--strategy` (their `-s` is `--signoff`).
 */
const strategy =
  (shortOption: boolean): GitSubcommandCheck =>
  (scanned) => {
    for (const [index, item] of scanned.entries()) {
      const text = item.word.value;
      if (item.role !== 'option') continue;
      let name: string | undefined;
      if (text.startsWith('--')) {
        // `--strategy`, `--strat=x` (`--strategy-option=x` only passes options to the strategy).
        if (!abbreviates(text, '--strategy')) continue;
        const equals = text.indexOf('=');
        name = equals === -1 ? (scanned[index + 1]?.word.value ?? '') : text.slice(equals + 1);
      } else if (shortOption && item.option === '-s') {
        name = item.inlineValue ?? scanned[index + 1]?.word.value ?? '';
      }
      if (name !== undefined && !STRATEGIES.has(name)) {
        return deny(
          'builtin:git-option',
          `git merge -s ${name}: only the built-in strategies (${[...STRATEGIES].join(', ')}) may run`,
        );
      }
    }
    return NOTHING;
  };
const merge = strategy(true);
const pick = strategy(false);

/** `git diff --no-index a b` reads any two files: every operand must be inside the worktree. */
const diff: GitSubcommandCheck = (scanned, context) => {
  if (!scanned.some((item) => item.role === 'option' && item.word.value === '--no-index')) return NOTHING;
  for (const item of scanned) {
    if (item.role === 'option') continue;
    const denial = checkPath(item.word, context);
    if (denial) return { deny: denial };
  }
  return NOTHING;
};

/** `git grep -O<cmd>` runs a pager program on the matching files. */
const grep: GitSubcommandCheck = (scanned) =>
  optionTexts(scanned).some((option) => option.startsWith('-O') || /^-[a-zA-Z]*O/.test(option))
    ? deny('builtin:git-option', 'git grep -O runs a program on the matching files')
    : NOTHING;

/** `git help -w/-i/-m` opens a browser, info or man: programs of their own. */
const help: GitSubcommandCheck = (scanned) =>
  optionTexts(scanned).some(
    (option) => /^-[a-zA-Z]*[wim]/.test(option) || namesAny(option, ['--web', '--info', '--man']),
  )
    ? deny('builtin:git-option', 'git help --web/--info/--man starts another program')
    : NOTHING;

/** Sub-actions that run arbitrary commands. */
function refuseAction(subcommand: string, actions: readonly string[], reason: string): GitSubcommandCheck {
  return (scanned) => {
    const action = positionals(scanned)[0]?.word.value;
    return action && actions.includes(action)
      ? deny('builtin:git-exec', `git ${subcommand} ${action} ${reason}`)
      : NOTHING;
  };
}

const REMOTE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/** `git fetch origin [branch]`: a configured remote by name, no URLs, no ref-overwriting refspecs. */
const fetch: GitSubcommandCheck = (scanned) => {
  const [remote, ...refspecs] = positionals(scanned).map((item) => item.word);
  if (remote && (!REMOTE_NAME.test(remote.value) || remote.dynamic || remote.fromInput)) {
    return deny(
      'builtin:git-remote-url',
      `git: fetch only from a configured remote by name (e.g. origin), not \`${remote.text}\``,
    );
  }
  const bad = refspecs.find(
    (word) => word.dynamic || word.fromInput || word.value.includes(':') || word.value.startsWith('+'),
  );
  if (bad)
    return deny(
      'builtin:git-remote-url',
      `git: the refspec \`${bad.text}\` overwrites local refs; fetch branch names only`,
    );
  return { exempt: [] };
};

/** `git pull`: the strategy of the merge, and what `fetch` checks. */
const pull: GitSubcommandCheck = (scanned, context) => {
  const result = merge(scanned, context);
  return result.deny ? result : fetch(scanned, context);
};

/** `git clone`: no custom upload-pack or templates; git -c rules for --config. */
const clone: GitSubcommandCheck = (scanned) => {
  for (const [index, item] of scanned.entries()) {
    const text = item.word.value;
    if (item.role !== 'option') continue;
    if (text === '-u')
      return deny('builtin:git-option', 'git clone -u runs a program in place of git-upload-pack');
    if (text === '-c' || (text.startsWith('--') && abbreviates(text, '--config'))) {
      const equals = text.indexOf('=');
      const pair = equals !== -1 ? text.slice(equals + 1) : (scanned[index + 1]?.word.value ?? '');
      const problem = findGitConfigProblem(pair.split('=')[0] ?? '');
      if (problem) return deny('builtin:git-config', `git clone --config ${pair}: ${problem}`);
    }
  }
  return NOTHING;
};

/** `git update-ref` / `symbolic-ref` on a protected branch. */
const refs: GitSubcommandCheck = (scanned, context) => {
  const target = positionals(scanned).find((item) =>
    context.settings.protectedBranches.some(
      (name) => item.word.value === `refs/heads/${name}` || item.word.value === name,
    ),
  );
  return target ? protectedBranch(`git ${target.word.value}`) : NOTHING;
};

/** `git rebase -x`/`--exec` runs a command after each commit. */
const rebase: GitSubcommandCheck = (scanned) =>
  optionTexts(scanned).some((option) => option === '-x' || /^-[a-zA-Z]*x/.test(option))
    ? deny('builtin:git-exec', 'git rebase --exec runs a shell command after each commit')
    : NOTHING;

const tools: GitSubcommandCheck = () =>
  deny('builtin:git-exec', 'git difftool/mergetool run external programs from configuration');

function checkPath(word: ArgWord, context: ProgramContext): Denial | undefined {
  const values = possibleValues(word);
  if (!values) return expansionDenial('git', word.text, 'a path');
  for (const value of values) {
    const problem = findPathProblem(value, context.directories, { glob: word.glob });
    if (problem) return pathDenial('git', problem, false);
  }
  return undefined;
}

function protectedBranch(what: string): GitSubcommandResult {
  return deny(
    'builtin:protected-branch',
    `${what}: the branch is protected (it can be merged into, never deleted, renamed or reset)`,
  );
}

/** Extra checks for individual git subcommands. */
export const gitSubcommandChecks: ReadonlyMap<string, GitSubcommandCheck> = new Map([
  ['config', config],
  ['worktree', worktree],
  ['branch', branch],
  ['checkout', forceCreate],
  ['switch', forceCreate],
  ['merge', merge],
  ['cherry-pick', pick],
  ['revert', pick],
  ['diff', diff],
  ['grep', grep],
  ['help', help],
  ['bisect', refuseAction('bisect', ['run'], 'runs a command on every step')],
  ['submodule', refuseAction('submodule', ['foreach'], 'runs a shell command in every submodule')],
  ['hook', refuseAction('hook', ['run'], 'runs repository hooks')],
  ['fetch', fetch],
  ['pull', pull],
  ['ls-remote', fetch],
  ['clone', clone],
  ['update-ref', refs],
  ['symbolic-ref', refs],
  ['rebase', rebase],
  ['difftool', tools],
  ['mergetool', tools],
]);
