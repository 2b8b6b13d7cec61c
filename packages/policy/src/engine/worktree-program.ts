import { type ArgWord, createArgWord } from './arg-word.js';
import { findPathProblem, type RelativeDirectory } from './path-check.js';

/**
 * A program named by a relative path inside the worktree runs the worktree's own code, with the
 * same trust as the ways the policy already allows to run it:
 * - `./node_modules/.bin/vitest run` is checked as `npx vitest run`;
 * - `.venv/bin/python -m pytest` (also `venv/`, `.tox/<env>/`) as `python -m pytest`;
 * - any other file (`./scripts/test.sh`) as `bash ./scripts/test.sh`: a worktree file run as a
 *   program, refused after the same script wrote a file (write-then-execute).
 * Absolute paths, `~`, paths leaving the worktree and `.git` stay refused (`/usr/bin/git` would
 * skip every check of git).
 */

const NODE_BIN = /(?:^|\/)node_modules\/\.bin\/([A-Za-z0-9@._-]+)$/;
const VENV_BIN = /^(?:\.\/)*(?:\.venv|venv|\.tox\/[A-Za-z0-9._-]+)\/bin\/([A-Za-z0-9._-]+)$/;

/**
 * The argv to check in place of `argv` whose program is the path `argv[0]`, or undefined when the
 * path may not be run (outside the worktree, into `.git`, expansion).
 */
export function worktreeProgramArgv(
  argv: readonly ArgWord[],
  directories: readonly RelativeDirectory[],
  knownProgram: (name: string) => boolean,
): ArgWord[] | undefined {
  const program = argv[0]!;
  if (program.dynamic || program.glob) return undefined;
  const path = program.value;
  if (path.startsWith('/') || path.startsWith('~') || path.endsWith('/')) return undefined;
  if (/(^|\/)\.git(\/|$)/i.test(path)) return undefined;
  if (findPathProblem(path, directories) !== undefined) return undefined;
  const rest = argv.slice(1);
  const node = NODE_BIN.exec(path);
  if (node) {
    return [
      createArgWord('npx', program.text, program.pos, program.end),
      createArgWord(node[1]!, program.text, program.pos, program.end),
      ...rest,
    ];
  }
  const venv = VENV_BIN.exec(path);
  if (venv) {
    // `.venv/bin/activate` is sourced, not run; anything else in bin is a tool by its own name.
    if (venv[1] === 'activate') return undefined;
    return [createArgWord(venv[1]!, program.text, program.pos, program.end), ...rest];
  }
  // `./git push` looks like git: a file named like a program the policy checks is refused.
  const base = path.slice(path.lastIndexOf('/') + 1);
  if (knownProgram(base)) return undefined;
  return [createArgWord('bash', program.text, program.pos, program.end), program, ...rest];
}

/** `source .venv/bin/activate`: the script a virtual environment ships, inside the worktree. */
export function isVenvActivate(path: string, directories: readonly RelativeDirectory[]): boolean {
  return (
    /^(?:\.\/)*(?:\.venv|venv|\.tox\/[A-Za-z0-9._-]+)\/bin\/activate$/.test(path) &&
    findPathProblem(path, directories) === undefined
  );
}
