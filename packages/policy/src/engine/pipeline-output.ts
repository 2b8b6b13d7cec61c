import type { CommandNode, Script } from 'unbash';
import { findSecretProblem, hasParentSegment } from './path-check.js';
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
      const [subcommand, ...rest] = args;
      if (
        subcommand === 'ls-files' &&
        // `-z` only changes the separator (for `xargs -0`); these others add fields that are not paths.
        !rest.some((arg) => /^(-s|--stage|--format.*|-t|-v|--debug|--eol)$/.test(arg))
      ) {
        return 'worktree-paths';
      }
      if (
        (subcommand === 'diff' || subcommand === 'show' || subcommand === 'log') &&
        rest.includes('--name-only')
      ) {
        return 'worktree-paths';
      }
      if (
        subcommand === 'grep' &&
        rest.some((arg) => arg === '-l' || arg === '--name-only' || arg === '--files-with-matches')
      ) {
        return 'worktree-paths';
      }
      return 'data';
    }
    case 'grep':
    case 'rg':
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

/** True when a `find` name or path test could select a secret file (`-name .env`, `-name '*.pem'`). */
function namesSecretFile(args: readonly string[]): boolean {
  for (let index = 0; index + 1 < args.length; index++) {
    if (!/^-i?(name|path|wholename)$/.test(args[index]!)) continue;
    const pattern = args[index + 1]!;
    if (findSecretProblem(pattern, true) !== undefined) return true;
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
