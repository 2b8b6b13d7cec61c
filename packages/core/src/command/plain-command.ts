import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, isAbsolute, join, resolve } from 'node:path';
import { noPushShimMarker } from '../exec/no-push-env.js';

// Characters bash gives no special meaning to in a word (no quoting, expansion, globbing, tilde,
// comments, redirection or control operators).
const plainWord = /^[A-Za-z0-9_./:@%+,-]+$/;
const plainWordAfterFirst = /^[A-Za-z0-9_./:=@%+,-]+$/;

// Bash builtins and keywords: bash runs these itself, so executing a program of the same name
// would not be the same command.
const shellWords = new Set(
  (
    'alias bg bind break builtin caller case cd command compgen complete compopt continue coproc declare ' +
    'dirs disown do done echo elif else enable esac eval exec exit export false fc fg fi for function getopts ' +
    'hash help history if in jobs kill let local logout mapfile popd printf pushd pwd read readarray readonly ' +
    'return select set shift shopt source suspend test then time times trap true type typeset ulimit umask ' +
    'unalias unset until wait while'
  ).split(' '),
);

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

function findProgram(name: string, cwd: string, env: NodeJS.ProcessEnv): string | undefined {
  if (name.includes('/')) {
    const path = isAbsolute(name) ? name : resolve(cwd, name);
    return executable(path) ? path : undefined;
  }
  for (const directory of (env.PATH ?? '').split(delimiter)) {
    // The push-refusing git wrapper only matters for argv the policy did not see; this argv it
    // did see (and it is no push), so the wrapper's extra /bin/sh start-up is skipped. Processes
    // this one starts still get the wrapper through PATH.
    if (directory === '' || directory.includes(noPushShimMarker)) continue;
    const candidate = join(isAbsolute(directory) ? directory : resolve(cwd, directory), name);
    if (executable(candidate)) return candidate;
  }
  return undefined;
}

/**
 * The argv of a script that is one plain external command, or undefined. For such a script
 * `bash -c <script>` would only look the program up on PATH and replace itself with it, so
 * executing the argv directly runs the same process with the same arguments, without bash's
 * start-up cost. A script qualifies when it is words separated by single spaces, every word made
 * of `A-Za-z0-9_./:@%+,-` (and `=` after the first), the first word is not a bash builtin or
 * keyword, the program is found as an executable file, and `BASH_ENV` is not set (bash would run
 * that file first). The first element of the result is the program's resolved path. Anything
 * else returns undefined and goes through bash.
 */
export function plainCommandArgv(script: string, cwd: string, env: NodeJS.ProcessEnv): string[] | undefined {
  if (env.BASH_ENV) return undefined;
  const words = script.trim().split(' ');
  const [name, ...rest] = words;
  if (name === undefined || !plainWord.test(name) || shellWords.has(name)) return undefined;
  if (!rest.every((word) => plainWordAfterFirst.test(word))) return undefined;
  const program = findProgram(name, cwd, env);
  return program === undefined ? undefined : [program, ...rest];
}
