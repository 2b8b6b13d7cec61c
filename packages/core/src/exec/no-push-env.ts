/**
 * The environment of every process started for a task makes `git push` fail, without touching
 * the repository's remotes or config files. Two layers:
 *
 * 1. Config from the environment (`GIT_CONFIG_COUNT` / `GIT_CONFIG_KEY_n` / `GIT_CONFIG_VALUE_n`,
 *    appended after any entries the caller already has): `url.<blocked>://blocked/.pushInsteadOf`
 *    with an empty prefix rewrites the push URL of every remote and of every URL or path given to
 *    `git push`, so the push goes to a transport that does not exist; fetch is untouched. The
 *    remote helper shim below turns git's "not a git command" into a readable refusal.
 * 2. A shim directory put first on `PATH`: a `git` wrapper that refuses `push`, `send-pack` and
 *    `http-push` before they start (this covers what layer 1 cannot: remotes with an explicit
 *    `pushurl`, to which git does not apply pushInsteadOf, and `git send-pack <url>`), then runs
 *    the real git for everything else.
 *
 * Known gaps (documented, not closed): calling git by absolute path (`/usr/bin/git push`) against
 * a remote with an explicit `pushurl`, or a command that rewrites its own environment
 * (`env -u GIT_CONFIG_COUNT ...`), and tools other than git (curl to a forge API). The policy
 * engine refuses `git push` in commands the orchestrator runs; codex's `workspace-write` sandbox
 * has no network by default.
 */
import { createHash, randomUUID } from 'node:crypto';
import {
  chmodSync,
  existsSync,
  lstatSync,
  mkdirSync,
  readFileSync,
  renameSync,
  writeFileSync,
} from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { findExecutable } from '../shared/find-executable.js';

/** The URL scheme pushes are rewritten to; it shows up in git's error message. */
export const pushDisabledScheme = 'push-disabled-by-codex-orchestrator';

/** Every shim directory `noPushEnv` puts on PATH has this in its name. */
export const noPushShimMarker = 'codex-orchestrator-no-push-';

/** The config key `noPushEnv` sets (value: empty string, which prefixes every URL). */
export const pushDisabledConfigKey = `url.${pushDisabledScheme}://blocked/.pushInsteadOf`;

const refusal =
  'codex-orchestrator: pushing is disabled for this task. Commit your work locally; ' +
  'the orchestrator merges branches locally and never pushes.';

/** Options of `noPushEnv`. */
export interface NoPushEnvOptions {
  /** Put the `git` wrapper first on PATH (default true; not available on Windows). */
  gitShim?: boolean;
}

/**
 * Returns a copy of `env` (default `process.env`) in which `git push` fails. Idempotent: applying
 * it to its own result changes nothing. The first call per process writes the shim directory
 * (`~/.cache/codex-orchestrator-no-push-<uid>-<hash>`, mode 0700; the temp dir when the cache dir
 * is not writable) when it is missing.
 *
 * @example
 * await execa('git', ['push', 'origin', 'HEAD'], { cwd, env: noPushEnv(), reject: false }); // exit 128
 */
export function noPushEnv(
  env: NodeJS.ProcessEnv = process.env,
  options: NoPushEnvOptions = {},
): NodeJS.ProcessEnv {
  const result: NodeJS.ProcessEnv = { ...env };
  const parsedCount = Number.parseInt(result.GIT_CONFIG_COUNT ?? '0', 10);
  const count = Number.isInteger(parsedCount) && parsedCount > 0 ? parsedCount : 0;
  let present = false;
  for (let index = 0; index < count; index++) {
    if (result[`GIT_CONFIG_KEY_${index}`] === pushDisabledConfigKey) present = true;
  }
  if (!present) {
    result[`GIT_CONFIG_KEY_${count}`] = pushDisabledConfigKey;
    result[`GIT_CONFIG_VALUE_${count}`] = '';
    result.GIT_CONFIG_COUNT = String(count + 1);
  }
  if (options.gitShim !== false && process.platform !== 'win32') {
    const pathKey = Object.keys(result).find((key) => key.toUpperCase() === 'PATH') ?? 'PATH';
    const path = result[pathKey] ?? '';
    const shim = ensureShimDirectory(path);
    if (shim !== undefined && !path.split(delimiter).includes(shim)) {
      result[pathKey] = path === '' ? shim : `${shim}${delimiter}${path}`;
    }
  }
  return result;
}

const shimDirectories = new Map<string, string | undefined>();

function shellQuote(value: string): string {
  return `'${value.replaceAll("'", `'\\''`)}'`;
}

function gitWrapper(realGit: string): string {
  return `#!/bin/sh
# Written by codex-orchestrator (noPushEnv): refuses the git commands that send commits to a
# remote and runs every other command with the real git.
expect_value=0
for argument in "$@"; do
  if [ "$expect_value" = 1 ]; then expect_value=0; continue; fi
  case "$argument" in
    -C|-c|--git-dir|--work-tree|--namespace|--config-env|--super-prefix|--list-cmds) expect_value=1 ;;
    -*) ;;
    push|send-pack|http-push)
      echo ${shellQuote(`${refusal} (refused: git `)}"$argument"')' >&2
      exit 128 ;;
    *) break ;;
  esac
done
exec ${shellQuote(realGit)} "$@"
`;
}

const remoteHelper = `#!/bin/sh
# Written by codex-orchestrator (noPushEnv): git runs this for push URLs rewritten to ${pushDisabledScheme}://.
echo ${shellQuote(refusal)} >&2
exit 128
`;

function isPrivateDirectory(directory: string): boolean {
  const stats = lstatSync(directory);
  const uid = process.getuid?.();
  return stats.isDirectory() && (uid === undefined || stats.uid === uid) && (stats.mode & 0o022) === 0;
}

function writeIfChanged(file: string, content: string): void {
  if (existsSync(file) && readFileSync(file, 'utf8') === content) return;
  const temporary = `${file}.${process.pid}.${randomUUID()}.tmp`;
  writeFileSync(temporary, content, { mode: 0o700 });
  chmodSync(temporary, 0o700);
  renameSync(temporary, file);
}

/** Writes (once per process and git binary) the shim directory; undefined when git is not on PATH. */
function ensureShimDirectory(path: string): string | undefined {
  const realGit = findExecutable('git', {
    path,
    skipDirectory: (directory) => directory.includes(noPushShimMarker),
  });
  if (realGit === undefined) return undefined;
  const cached = shimDirectories.get(realGit);
  // Re-written when removed meanwhile (a temporary HOME of a test, a cleaned cache).
  if (shimDirectories.has(realGit) && (cached === undefined || existsSync(join(cached, 'git'))))
    return cached;
  const wrapper = gitWrapper(realGit);
  const hash = createHash('sha256').update(wrapper).update(remoteHelper).digest('hex').slice(0, 12);
  const name = `${noPushShimMarker}${process.getuid?.() ?? 'user'}-${hash}`;
  // Not under /tmp first: codex's workspace-write sandbox may write to /tmp, and a shim a sandboxed
  // command could rewrite would later run outside the sandbox (the orchestrator's own git calls).
  const parents = [process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), tmpdir()];
  let result: string | undefined;
  for (const parent of parents) {
    const directory = join(parent, name);
    try {
      mkdirSync(directory, { mode: 0o700, recursive: true });
      if (!isPrivateDirectory(directory)) continue;
      writeIfChanged(join(directory, 'git'), wrapper);
      writeIfChanged(join(directory, `git-remote-${pushDisabledScheme}`), remoteHelper);
      result = directory;
      break;
    } catch {
      // Not writable here: try the next place. Without any, layer 1 (the config) stands alone.
    }
  }
  shimDirectories.set(realGit, result);
  return result;
}
