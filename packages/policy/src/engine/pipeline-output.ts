import type { CommandNode, Script } from 'unbash';
import { findSecretProblem, hasParentSegment, patternCanSelectSecret } from './path-check.js';
import type { StdinSource } from './program-context.js';

const FILTERS = new Set(['sort', 'uniq', 'head', 'tail', 'grep', 'cat']);
/** Every program whose output can be `worktree-paths`; any other program's output is `data`. */
const PATH_PRINTERS = new Set(['find', 'git', 'grep', 'rg', ...FILTERS]);

/**
 * What a pipeline stage writes to the next one: `worktree-paths` when it lists files inside the
 * worktree (`find`, `git ls-files`, `git diff --name-only`, `grep -l`) or filters such a list
 * line by line; `data` otherwise. `xargs` only accepts the first kind.
 */
export function pipelineOutput(node: CommandNode, input: StdinSource): StdinSource {
  if (node.type !== 'Command' || !node.name) return 'data';
  // Most programs print data whatever their words: skip collecting them.
  if (!PATH_PRINTERS.has(node.name.value) || node.redirects.length > 0) return 'data';
  const words: string[] = [];
  for (const word of [node.name, ...node.suffix]) {
    if (
      word.type !== 'Word' ||
      word.parts?.some(
        (part) => part.type !== 'Literal' && part.type !== 'SingleQuoted' && part.type !== 'DoubleQuoted',
      )
    ) {
      return 'data';
    }
    words.push(word.value);
  }
  const [program, ...args] = words;
  const options = args.filter((arg) => arg.startsWith('-'));
  const operands = args.filter((arg) => !arg.startsWith('-'));
  switch (program) {
    case 'find':
      return options.some((option) =>
        /^-(exec|execdir|ok|okdir|printf|fprint|fprintf|fls|ls)$/.test(option),
      ) ||
        // `find . -name .env | xargs cat` would read a secret file by name.
        namesSecretFile(args) ||
        operands.some(
          (operand) => operand.startsWith('/') || operand.startsWith('~') || hasParentSegment(operand),
        )
        ? 'data'
        : // find's start paths never start with `-` (find reads such a word as its expression).
          'prefixed-paths';
    case 'git': {
      // `git show --format=...`, `git log --name-only` (commit messages) and `git grep -l <tree>`
      // (`<tree>:` before each name) print text the script or a commit chose: only these two
      // list plain names, and only with options that keep every line a name.
      const [subcommand, ...rest] = args;
      if (subcommand === 'ls-files')
        return onlyNameOptions(rest, isLsFilesOption) ? 'worktree-paths' : 'data';
      if (subcommand === 'diff') {
        return rest.includes('--name-only') && onlyNameOptions(rest, isDiffNameOption)
          ? 'worktree-paths'
          : 'data';
      }
      return 'data';
    }
    case 'grep':
    case 'rg':
      // `--label=../../x` (or `--lab=...`) names standard input as the script chose.
      if (options.some((option) => option.startsWith('--la'))) return 'data';
      if (
        options.some(
          (option) =>
            option === '-l' ||
            option === '--files-with-matches' ||
            option === '--files' ||
            /^-[a-zA-Z]*l[a-zA-Z]*$/.test(option),
        )
      ) {
        return operands.some(
          (operand) => operand.startsWith('/') || operand.startsWith('~') || hasParentSegment(operand),
        )
          ? 'data'
          : 'worktree-paths';
      }
      // grep as a line filter (pattern only) keeps a path list a path list.
      return operands.length <= 1 && isPathList(input) ? 'worktree-paths' : 'data';
    default:
      // A filter keeps a path list, but not its prefixes: `tail` or `sort` can start a line in the
      // middle of a name that holds a newline.
      if (FILTERS.has(program ?? '') && operands.length === 0 && isPathList(input)) {
        return options.every((option) => /^-(n|r|u|\d+|c?\d*)$/.test(option)) ? 'worktree-paths' : 'data';
      }
      return 'data';
  }
}

/**
 * True when every option of `args` (before `--`) passes `isNameOption`; revisions and paths are
 * not options. An option that takes a separate value (`-x <pattern>`) skips it.
 */
function onlyNameOptions(
  args: readonly string[],
  isNameOption: (option: string) => boolean | 'value',
): boolean {
  for (let index = 0; index < args.length; index++) {
    const arg = args[index]!;
    if (arg === '--') return true;
    if (!arg.startsWith('-')) continue;
    const verdict = isNameOption(arg);
    if (!verdict) return false;
    if (verdict === 'value') index++;
  }
  return true;
}

/** `git ls-files` options that keep its output a list of names (`-s`, `--format`, `-t` add fields). */
function isLsFilesOption(option: string): boolean | 'value' {
  if (option === '-x' || option === '--exclude') return 'value';
  return (
    /^-[zcomd]+$/.test(option) ||
    LS_FILES_OPTIONS.has(option) ||
    (option.startsWith('--exclude=') && option.length > 10)
  );
}

const LS_FILES_OPTIONS = new Set([
  '--cached',
  '--others',
  '--modified',
  '--deleted',
  '--exclude-standard',
  '--full-name',
]);

/** `git diff --name-only` options that keep its output a list of names (`--line-prefix` would not). */
function isDiffNameOption(option: string): boolean {
  return (
    DIFF_NAME_OPTIONS.has(option) ||
    option.startsWith('--diff-filter=') ||
    option.startsWith('--relative=') ||
    /^-M[\d.]*%?$/.test(option) ||
    /^--find-renames(=[\d.]+%?)?$/.test(option)
  );
}

const DIFF_NAME_OPTIONS = new Set([
  '--name-only',
  '-z',
  '--cached',
  '--staged',
  '--no-renames',
  '--relative',
]);

/** True when a `find` name or path test could select a secret file (`-name .env`, `-name '*.pem'`). */
function namesSecretFile(args: readonly string[]): boolean {
  for (let index = 0; index + 1 < args.length; index++) {
    const test = args[index]!;
    const operand = args[index + 1]!;
    // find's regex syntax is not JavaScript's: any regex may select a secret file.
    if (/^-i?regex$/.test(test)) return true;
    const ignoreCase = test.startsWith('-i');
    if (/^-i?(name|lname)$/.test(test) && patternCanSelectSecret(operand, false, ignoreCase)) return true;
    if (/^-i?(path|wholename)$/.test(test) && patternCanSelectSecret(operand, true, ignoreCase)) return true;
    if (/^-(samefile|newer|anewer|cnewer)$/.test(test) && findSecretProblem(operand) !== undefined)
      return true;
  }
  return false;
}

/** True when a substituted script (`$(git ls-files)`) prints only paths inside the worktree. */
export function printsWorktreePaths(script: Script | undefined): boolean {
  if (script?.commands.length !== 1) return false;
  const statement = script.commands[0]!;
  if (statement.background) return false;
  const node = statement.command;
  const commands = node.type === 'Pipeline' ? node.commands : node.type === 'AndOr' ? undefined : [node];
  if (!commands) return false;
  let output: StdinSource = 'data';
  for (const command of commands) output = pipelineOutput(command, output);
  return isPathList(output);
}

/** Whether a pipe carries a list of worktree paths. */
export function isPathList(source: StdinSource): boolean {
  return source === 'worktree-paths' || source === 'prefixed-paths';
}
