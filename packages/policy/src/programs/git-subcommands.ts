import { type ArgWord, possibleValues } from '../engine/arg-word.js';
import { expansionDenial, pathDenial } from '../engine/check-arguments.js';
import type { ScannedArgument } from '../engine/option-scan.js';
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

const CONFIG_WRITES = /^--(add|unset|unset-all|replace-all|rename-section|remove-section|edit)$|^-e$/;

/** `git config`: reading is fine; any write could set a program-running key, so all are refused. */
const config: GitSubcommandCheck = (scanned) => {
  const options = optionTexts(scanned);
  const operands = positionals(scanned).map((item) => item.word.value);
  const action = operands[0];
  const reading = options.some((option) =>
    /^--(get|get-all|get-regexp|get-urlmatch|get-color|get-colorbool|list)$|^-l$/.test(option),
  );
  if (
    options.some((option) => CONFIG_WRITES.test(option)) ||
    ['set', 'unset', 'rename-section', 'remove-section', 'edit'].includes(action ?? '') ||
    (!reading && action !== 'get' && action !== 'list' && operands.length >= 2)
  ) {
    return deny(
      'builtin:git-config',
      'git config writes are not allowed (a setting can make git run programs); read with `git config --get`',
    );
  }
  return NOTHING;
};

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
    const branchOption = scanned.find((item) => item.role === 'value' && item.option === '-B');
    if (branchOption && context.settings.protectedBranches.includes(branchOption.word.value)) {
      return protectedBranch(`git worktree add -B ${branchOption.word.value}`);
    }
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

/** `git branch`: deleting, renaming, copying over or force-moving a protected branch is refused. */
const branch: GitSubcommandCheck = (scanned, context) => {
  const options = optionTexts(scanned);
  const risky = options.some(
    (option) => /^--(delete|move|copy|force)$/.test(option) || /^-[a-zA-Z]*[dDmMcCf]/.test(option),
  );
  if (!risky) return NOTHING;
  const target = positionals(scanned).find((item) =>
    context.settings.protectedBranches.includes(item.word.value),
  );
  return target ? protectedBranch(`git branch ${options.join(' ')} ${target.word.value}`) : NOTHING;
};

/** `git checkout -B main x` / `git switch -C main x` reset a protected branch. */
const forceCreate: GitSubcommandCheck = (scanned, context) => {
  for (const item of scanned) {
    if (
      item.role === 'value' &&
      item.option === '-B' &&
      context.settings.protectedBranches.includes(item.word.value)
    ) {
      return protectedBranch(`git checkout -B ${item.word.value}`);
    }
    if (item.role !== 'option') continue;
    const text = item.word.value;
    if (text === '-C' || text === '--force-create' || text.startsWith('--force-create=')) {
      const index = scanned.indexOf(item);
      const name = text.includes('=') ? text.split('=')[1] : scanned[index + 1]?.word.value;
      if (name && context.settings.protectedBranches.includes(name))
        return protectedBranch(`git switch -C ${name}`);
    }
  }
  return NOTHING;
};

const STRATEGIES = new Set(['ort', 'recursive', 'resolve', 'octopus', 'ours', 'subtree']);

/** `git merge -s <strategy>` runs `git-merge-<strategy>` from PATH: only built-in ones. */
const merge: GitSubcommandCheck = (scanned) => {
  for (const [index, item] of scanned.entries()) {
    const text = item.word.value;
    if (item.role !== 'option') continue;
    let strategy: string | undefined;
    if (text === '-s' || text === '--strategy') strategy = scanned[index + 1]?.word.value ?? '';
    else if (text.startsWith('--strategy=')) strategy = text.slice('--strategy='.length);
    else if (/^-s.+/.test(text)) strategy = text.slice(2);
    if (strategy !== undefined && !STRATEGIES.has(strategy)) {
      return deny(
        'builtin:git-option',
        `git merge -s ${strategy}: only the built-in strategies (${[...STRATEGIES].join(', ')}) may run`,
      );
    }
  }
  return NOTHING;
};

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
  optionTexts(scanned).some((option) => /^(-[wim]|--web|--info|--man)$/.test(option))
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
  if (remote && (!REMOTE_NAME.test(remote.value) || remote.dynamic)) {
    return deny(
      'builtin:git-remote-url',
      `git: fetch only from a configured remote by name (e.g. origin), not \`${remote.text}\``,
    );
  }
  const bad = refspecs.find((word) => word.dynamic || word.value.includes(':') || word.value.startsWith('+'));
  if (bad)
    return deny(
      'builtin:git-remote-url',
      `git: the refspec \`${bad.text}\` overwrites local refs; fetch branch names only`,
    );
  return { exempt: [] };
};

/** `git clone`: no custom upload-pack or templates; git -c rules for --config. */
const clone: GitSubcommandCheck = (scanned) => {
  for (const [index, item] of scanned.entries()) {
    const text = item.word.value;
    if (item.role !== 'option') continue;
    if (text === '-u')
      return deny('builtin:git-option', 'git clone -u runs a program in place of git-upload-pack');
    if (text === '-c' || text === '--config' || text.startsWith('--config=')) {
      const pair = text.startsWith('--config=') ? text.slice(9) : (scanned[index + 1]?.word.value ?? '');
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
  ['diff', diff],
  ['grep', grep],
  ['help', help],
  ['bisect', refuseAction('bisect', ['run'], 'runs a command on every step')],
  ['submodule', refuseAction('submodule', ['foreach'], 'runs a shell command in every submodule')],
  ['hook', refuseAction('hook', ['run'], 'runs repository hooks')],
  ['fetch', fetch],
  ['pull', fetch],
  ['ls-remote', fetch],
  ['clone', clone],
  ['update-ref', refs],
  ['symbolic-ref', refs],
  ['rebase', rebase],
  ['difftool', tools],
  ['mergetool', tools],
]);
