import type { Redirection, SyntaxNode, Word } from 'unbash';
import { type ArgWord, possibleValues } from './arg-word.js';
import {
  findPathProblem,
  findSecretProblem,
  isInertOutputFile,
  type RelativeDirectory,
} from './path-check.js';
import type { Denial, StdinSource } from './program-context.js';

const WRITE_OPERATORS = new Set(['>', '>>', '>|', '&>', '&>>', '<>']);
const NO_REDIRECTIONS: RedirectionSummary = Object.freeze({
  stdin: undefined,
  writesFile: false,
  inertWrites: undefined,
  inputFiles: undefined,
});

/** What a command's redirections do. */
export interface RedirectionSummary {
  /** Where stdin now comes from, when a redirection replaced it. */
  stdin: StdinSource | undefined;
  /** Output goes to a file (not a device or an inert log file): the script wrote content it chose. */
  writesFile: boolean;
  /** Log and diff files written (`> build.log`): nothing runs them unless a command names them. */
  inertWrites: string[] | undefined;
  /** Files read through `<` (a script may feed a log it wrote to `git apply`). */
  inputFiles: string[] | undefined;
}

/** What checking redirections needs from the walker. */
export interface RedirectionContext {
  directories: readonly RelativeDirectory[];
  /** Refusals are appended here. */
  denials: Denial[];
  /** Evaluates a target word (nested commands and variable reads included). */
  evaluate(word: Word): ArgWord[];
  /** Visits a here-document part that may run commands or read variables. */
  scan(part: SyntaxNode): void;
}

/**
 * Checks redirections: targets must be literal paths inside the worktree (or devices like
 * /dev/null), reads may not pull in secret files, writes may not touch `.git`.
 */
export function checkRedirections(
  redirects: readonly Redirection[],
  context: RedirectionContext,
): RedirectionSummary {
  if (redirects.length === 0) return NO_REDIRECTIONS;
  let stdin: StdinSource | undefined;
  let writesFile = false;
  let inertWrites: string[] | undefined;
  let inputFiles: string[] | undefined;
  for (const redirect of redirects) {
    const readsStdin =
      !redirect.descriptor ||
      (redirect.descriptor.type === 'FileDescriptor' && redirect.descriptor.value === 0);
    if (redirect.type === 'HereDoc') {
      if (redirect.body.parts) for (const part of redirect.body.parts) context.scan(part);
      if (readsStdin) stdin = 'data';
      continue;
    }
    if (!redirect.target) continue;
    const [target] = context.evaluate(redirect.target);
    if (!target) continue;
    if (redirect.type === 'HereString') {
      if (readsStdin) stdin = 'data';
      continue;
    }
    const operator = redirect.operator;
    if ((operator === '>&' || operator === '<&') && /^(\d+-?|-)$/.test(target.value) && !target.dynamic)
      continue;
    const write = WRITE_OPERATORS.has(operator) || operator === '>&';
    if (operator === '<' && readsStdin) stdin = 'data';
    const values = possibleValues(target);
    if (!values) {
      context.denials.push({
        ruleId: 'builtin:expansion',
        reason: `the redirection target \`${target.text}\` depends on expansion; write the path literally`,
      });
      continue;
    }
    for (const value of values) {
      const problem = findPathProblem(value, context.directories, { glob: target.glob, write });
      if (problem) {
        context.denials.push(
          problem.includes('.git (')
            ? { ruleId: 'builtin:git-internals', reason: `redirection: ${problem}` }
            : {
                ruleId: 'builtin:outside-worktree',
                reason: `redirection: ${problem}; ${write ? 'write' : 'read'} only inside the worktree`,
              },
        );
      } else if (write && !value.startsWith('/dev/')) {
        if (!target.glob && isInertOutputFile(value)) {
          inertWrites ??= [];
          inertWrites.push(value);
        } else writesFile = true;
      }
      if (operator === '<' || operator === '<>') {
        inputFiles ??= [];
        inputFiles.push(value);
      }
      const secret = operator === '<' ? findSecretProblem(value, target.glob === true) : undefined;
      if (secret) context.denials.push({ ruleId: 'builtin:secret-file', reason: `redirection: ${secret}` });
    }
  }
  return { stdin, writesFile, inertWrites, inputFiles };
}
