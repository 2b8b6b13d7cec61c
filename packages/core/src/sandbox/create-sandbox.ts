import { existsSync, realpathSync } from 'node:fs';
import { startProcess } from '../process/start-process.js';
import { findGitDirs, type GitDirs } from '../worker/git-writable-dirs.js';
import { bwrapArgs, sandboxUid } from './bwrap-args.js';
import { findBwrap } from './find-bwrap.js';
import { hiddenMounts } from './hidden-mounts.js';
import { mountPlan } from './mount-plan.js';
import { sandboxEnv } from './sandbox-env.js';
import { SandboxUnavailableError } from './sandbox-error.js';
import { defaultHiddenPaths, type SandboxSetting } from './sandbox-options.js';

/** One command to confine. */
export interface SandboxCommand {
  /** What to run (inside the sandbox). */
  argv: readonly string[];
  /** The worktree: the command's working directory and its only writable place. */
  worktree: string;
  /** Working directory when not the worktree root (must be inside it). */
  cwd?: string;
  /**
   * Access to the worktree's git dirs: `read` for everything but git commands that write
   * (tests, builds, the smoke test, the setup hook); `write` for those (`git commit` in a task
   * worktree). `config` and `hooks` of the git dirs stay read-only either way.
   */
  git: 'read' | 'write';
  /** Other paths the command may read that could lie under `/tmp` (e.g. the base dir). */
  readable?: readonly string[];
  /** The environment to filter (see `sandboxEnv`). */
  env: NodeJS.ProcessEnv;
  /** Variables set on top, never filtered (e.g. `ROOT`, `WORKTREE` of a setup hook). */
  set?: Record<string, string>;
}

/** The command line and environment that run a `SandboxCommand`. */
export interface ConfinedCommand {
  argv: string[];
  /** Start it with `startProcess({ infoFd: true })`: its end then waits for the whole namespace. */
  infoFd: boolean;
  env: NodeJS.ProcessEnv;
  cwd: string;
}

/** Confinement of the processes started in worktrees. */
export interface Sandbox {
  /** False only for the explicit opt-out `sandbox: 'off'`. */
  readonly enabled: boolean;
  /** Resolves when the sandbox can start here; else rejects with `SandboxUnavailableError`. */
  check(): Promise<void>;
  /** The argv/env/cwd that run `command` confined (unchanged when disabled). Rejects like `check`. */
  confine(command: SandboxCommand): Promise<ConfinedCommand>;
  /**
   * The argv that runs codex (`argv`) in a mount namespace hiding the secret paths from codex and
   * every command it runs, with the host's network (codex must reach its model provider) and
   * filesystem otherwise as they are (codex's own sandbox confines its writes), in a PID
   * namespace that dies with the orchestrator. `visible` paths (codex's `CODEX_HOME`) stay.
   */
  confineCodex(argv: readonly string[], visible?: readonly string[]): Promise<string[]>;
}

/** What the orchestrator adds to a sandbox beyond the user's settings. */
export interface SandboxContext {
  /** Paths hidden on top of the configured ones: the orchestrator's audit log, journal, config. */
  hiddenPaths?: readonly string[];
}

const scratchHome = '/tmp/home';

function real(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}

/**
 * Creates the sandbox of a run (bubblewrap on Linux). `'off'` returns a pass-through that
 * confines nothing (the explicit opt-out); otherwise `check` probes once whether bubblewrap can
 * start here, and every `confine` refuses when it cannot (fail closed).
 *
 * @example
 * const sandbox = createSandbox({ network: 'off' });
 * await sandbox.check(); // SandboxUnavailableError names the reason and the opt-out
 * const { argv, env, cwd } = await sandbox.confine({ argv: ['npm', 'test'], worktree, git: 'read', env: process.env });
 */
export function createSandbox(setting: SandboxSetting = {}, context: SandboxContext = {}): Sandbox {
  if (setting === 'off') {
    return {
      enabled: false,
      check: async () => undefined,
      confine: async (command) => ({
        argv: [...command.argv],
        env: { ...command.env, ...command.set },
        cwd: command.cwd ?? command.worktree,
        infoFd: false,
      }),
      confineCodex: async (argv) => [...argv],
    };
  }
  const settings = setting;
  // Looked up at each start: a journal or audit log created after the sandbox is hidden too.
  const hidden = () =>
    hiddenMounts([...defaultHiddenPaths, ...(settings.hiddenPaths ?? []), ...(context.hiddenPaths ?? [])]);
  const ids = sandboxUid();
  const gitDirCache = new Map<string, Promise<GitDirs | undefined>>();
  let probe: Promise<string> | undefined;

  async function probeOnce(): Promise<string> {
    if (process.platform !== 'linux') {
      throw new SandboxUnavailableError(`it needs Linux (bubblewrap); this is ${process.platform}`);
    }
    const bwrap = findBwrap(settings.bwrapPath);
    if (bwrap === undefined) {
      throw new SandboxUnavailableError(
        settings.bwrapPath === undefined
          ? 'bubblewrap (bwrap) was not found on PATH nor in the @openai/codex package; install it (apt-get install bubblewrap)'
          : `the bwrap binary ${JSON.stringify(settings.bwrapPath)} does not exist or is not executable`,
      );
    }
    const args = bwrapArgs({ mounts: hidden(), network: false, ...ids, home: scratchHome, cwd: '/' });
    const child = startProcess({
      file: bwrap,
      args: [...args, '--', 'true'],
      cwd: '/',
      env: {},
      timeoutMs: 10_000,
    });
    let stderr = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      stderr += chunk;
    });
    child.stdout.resume();
    const outcome = await child.done;
    if (outcome.exitCode !== 0) {
      const line = (stderr.trim().split('\n')[0] ?? '').slice(0, 200);
      throw new SandboxUnavailableError(
        `${bwrap} failed (${outcome.spawnError ?? (line || `exit ${outcome.exitCode}`)}); unprivileged user namespaces may be disabled`,
      );
    }
    return bwrap;
  }

  function check(): Promise<string> {
    probe ??= probeOnce();
    return probe;
  }

  async function confine(command: SandboxCommand): Promise<ConfinedCommand> {
    const bwrap = await check();
    const worktree = real(command.worktree);
    let dirs = gitDirCache.get(worktree);
    if (dirs === undefined) {
      dirs = findGitDirs(worktree);
      gitDirCache.set(worktree, dirs);
    }
    const mounts = mountPlan({
      readable: (command.readable ?? []).filter(existsSync).map(real),
      worktree,
      gitDirs: await dirs,
      git: command.git,
      hidden: hidden(),
    });
    const cwd = command.cwd === undefined ? worktree : real(command.cwd);
    const args = bwrapArgs({ mounts, network: settings.network === 'on', ...ids, home: scratchHome, cwd });
    const env = sandboxEnv(command.env, settings.env ?? [], {
      HOME: scratchHome,
      TMPDIR: '/tmp',
      ...command.set,
    });
    return { argv: [bwrap, '--info-fd', '3', ...args, '--', ...command.argv], env, cwd, infoFd: true };
  }

  async function confineCodex(argv: readonly string[], visible: readonly string[] = []): Promise<string[]> {
    const bwrap = await check();
    const keep = new Set(visible.flatMap((path) => [path, real(path)]));
    const mounts = hidden().filter((mount) => !keep.has(mount.path));
    const args = ['--unshare-user', '--uid', String(ids.uid), '--gid', String(ids.gid), '--unshare-pid'];
    args.push('--die-with-parent', '--dev-bind', '/', '/', '--proc', '/proc');
    for (const mount of mounts) {
      if (mount.kind === 'hide-dir') args.push('--tmpfs', mount.path, '--remount-ro', mount.path);
      else args.push('--ro-bind', '/dev/null', mount.path);
    }
    return [bwrap, ...args, '--', ...argv];
  }

  return {
    enabled: true,
    check: async () => {
      await check();
    },
    confine,
    confineCodex,
  };
}

/** True for a `Sandbox` object (as opposed to a `SandboxSetting`). */
export function isSandbox(value: unknown): value is Sandbox {
  return typeof value === 'object' && value !== null && 'confine' in value && 'check' in value;
}
