import type { ArgumentKind, ScannedArgument } from './option-scan.js';
import { findPathProblem, findSecretProblem, type PathCheckOptions } from './path-check.js';
import type { Denial, ProgramContext } from './program-context.js';

/** How strictly a program's arguments are read. */
export interface ArgumentCheckOptions {
  /** A glob starting with a wildcard may name a file like `-rf`; harmless for this program. */
  globFriendly?: boolean;
  /** The program never reads its arguments as options or files (`echo`). */
  dataOnly?: boolean;
}

/**
 * ArgumentCheckOptions in canonical form: one of four shared objects of one shape, so the checker's
 * reads of it stay monomorphic. Get one from argumentChecks.
 */
export interface ArgumentChecks {
  readonly globFriendly: boolean;
  readonly dataOnly: boolean;
}

const CANONICAL_CHECKS: readonly ArgumentChecks[] = [
  { globFriendly: false, dataOnly: false },
  { globFriendly: true, dataOnly: false },
  { globFriendly: false, dataOnly: true },
  { globFriendly: true, dataOnly: true },
];

/** The canonical ArgumentChecks for `options`. */
export function argumentChecks(options: ArgumentCheckOptions): ArgumentChecks {
  return CANONICAL_CHECKS[(options.globFriendly ? 1 : 0) + (options.dataOnly ? 2 : 0)]!;
}

/** Arguments read strictly: a glob that may start with `-` is refused where options are read. */
export const STRICT_ARGUMENTS: ArgumentChecks = argumentChecks({});
/** For programs that take no harm from a file name like `-rf` (they do not act on it). */
export const GLOB_FRIENDLY_ARGUMENTS: ArgumentChecks = argumentChecks({ globFriendly: true });

/**
 * The built-in checks every program's arguments get: paths stay in the worktree, and a word whose
 * value is unknown (or a glob) is not allowed where the program could read it as an option.
 */
export function checkScannedArguments(
  program: string,
  scanned: readonly ScannedArgument[],
  context: ProgramContext,
  options: ArgumentChecks = STRICT_ARGUMENTS,
): Denial | undefined {
  if (options.dataOnly) return undefined;
  for (let position = 0; position < scanned.length; position++) {
    const item = scanned[position]!;
    const word = item.word;
    if (item.role === 'option') {
      if (item.inlineValue !== undefined && item.kind !== 'data') {
        if (word.dynamic) return expansionDenial(program, word.text, 'an option value naming a path');
        const problem = findPathProblem(
          item.inlineValue,
          context.directories,
          pathOptions(word.glob, item.kind === 'write'),
        );
        if (problem) return pathDenial(program, problem, item.kind === 'write');
        // `--file=.env` reads the file like a positional would.
        const secret =
          item.kind === 'path' ? findSecretProblem(item.inlineValue, word.glob === true) : undefined;
        if (secret) return { ruleId: 'builtin:secret-file', reason: `${program}: ${secret}` };
      }
      if (word.glob && !options.globFriendly) {
        return optionGlobDenial(program, word.text);
      }
      continue;
    }
    // A static word's only value is its own (possibleValues without the array).
    const dynamic = word.dynamic;
    if (item.optionCapable && dynamic) {
      const values = word.candidates;
      if (!values)
        return expansionDenial(program, word.text, 'an argument the program may read as an option');
      if (values.some((value) => value.startsWith('-'))) {
        return expansionDenial(program, word.text, 'an argument that may expand to an option');
      }
    }
    if (item.optionCapable && word.globAtStart && !options.globFriendly) {
      return optionGlobDenial(program, word.text);
    }
    const kind = item.kind;
    if (kind === 'data') continue;
    if (!dynamic) {
      const denial = checkPathValue(program, word.value, kind, word.glob, context);
      if (denial) return denial;
      continue;
    }
    const values = word.candidates;
    if (!values) return expansionDenial(program, word.text, 'a path');
    for (const value of values) {
      const denial = checkPathValue(program, value, kind, word.glob, context);
      if (denial) return denial;
    }
  }
  return undefined;
}

/** Whether one possible value of a path argument leaves the worktree or names a secret file. */
function checkPathValue(
  program: string,
  value: string,
  kind: ArgumentKind,
  glob: boolean | undefined,
  context: ProgramContext,
): Denial | undefined {
  const problem = findPathProblem(value, context.directories, pathOptions(glob, kind === 'write'));
  if (problem) return pathDenial(program, problem, kind === 'write');
  const secret = kind === 'path' ? findSecretProblem(value, glob === true) : undefined;
  if (secret) return { ruleId: 'builtin:secret-file', reason: `${program}: ${secret}` };
  return undefined;
}

/** The four ways a path is checked, shared so checking a path allocates nothing. */
const PATH_OPTIONS: readonly PathCheckOptions[] = [
  Object.freeze({ glob: undefined, write: false }),
  Object.freeze({ glob: undefined, write: true }),
  Object.freeze({ glob: true, write: false }),
  Object.freeze({ glob: true, write: true }),
];

function pathOptions(glob: boolean | undefined, write: boolean): PathCheckOptions {
  return PATH_OPTIONS[(glob ? 2 : 0) + (write ? 1 : 0)]!;
}

/** Denial for a word whose value the policy cannot know. */
export function expansionDenial(program: string, text: string, role: string): Denial {
  if (text.includes('`')) {
    return {
      ruleId: 'builtin:expansion',
      reason: `${program}: \`${text}\`: backquotes run commands inside double quotes; use single quotes for text with backquotes ('... \`name\` ...')`,
    };
  }
  return {
    ruleId: 'builtin:expansion',
    reason: `${program}: \`${text}\` depends on expansion and is used as ${role}; write the value literally`,
  };
}

/** Denial for a path outside the worktree (or a write into `.git`). */
export function pathDenial(program: string, problem: string, write: boolean): Denial {
  if (problem.includes('.git ('))
    return { ruleId: 'builtin:git-internals', reason: `${program}: ${problem}` };
  return {
    ruleId: 'builtin:outside-worktree',
    reason: `${program}: ${problem}; ${write ? 'write' : 'read'} only inside the worktree`,
  };
}

function optionGlobDenial(program: string, text: string): Denial {
  return {
    ruleId: 'builtin:option-injection',
    reason: `${program}: the glob \`${text}\` can expand to a file name that ${program} reads as an option; put \`--\` before it or start it with \`./\``,
  };
}
