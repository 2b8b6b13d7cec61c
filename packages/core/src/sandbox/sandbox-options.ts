/** Settings of the confinement every worktree process runs in (see the core README's threat model). */
export interface SandboxOptions {
  /**
   * Network inside the sandbox: `'off'` (default) leaves only a private loopback (tests that
   * start local servers work, nothing else is reachable, the host's loopback included); `'on'`
   * shares the host's network, e.g. for a setup hook that runs `npm ci`.
   */
  network?: 'on' | 'off';
  /**
   * Paths made invisible (an empty directory or an empty file in their place), added to
   * `defaultHiddenPaths`. `~` is expanded to the user's home.
   */
  hiddenPaths?: readonly string[];
  /** Names of environment variables passed through on top of `sandboxEnvAllowlist`. */
  env?: readonly string[];
  /** The bubblewrap binary (default: `bwrap` on PATH, else the one the `@openai/codex` package ships). */
  bwrapPath?: string;
}

/**
 * The `sandbox` option: confinement settings (default `{}`: on, network off), or `'off'`, the
 * explicit opt-out that runs worktree code with the user's full rights (the CLI flag
 * `--unsafe-no-sandbox`). A run with `'off'` says so in its report, its events and every audit line.
 */
export type SandboxSetting = SandboxOptions | 'off';

/** Secret locations hidden from every sandboxed process and from codex (`~` = the home directory). */
export const defaultHiddenPaths: readonly string[] = [
  '~/.ssh',
  '~/.gnupg',
  '~/.aws',
  '~/.azure',
  '~/.config/gcloud',
  '~/.config/gh',
  '~/.codex',
  '~/.netrc',
  '~/.npmrc',
  '~/.pypirc',
  '~/.git-credentials',
  '~/.config/git/credentials',
  '~/.docker',
  '~/.kube',
  '~/.config/codex-orchestrator',
  // Sockets stay connectable on a read-only mount: the Docker daemon (root on the host) and the
  // user's session bus.
  '/var/run/docker.sock',
  '/run/docker.sock',
  '/run/user',
];

/** Environment variables a sandboxed command gets from the orchestrator's environment. */
export const sandboxEnvAllowlist: readonly string[] = [
  'PATH',
  'LANG',
  'LANGUAGE',
  'TERM',
  'CI',
  'TZ',
  'NO_COLOR',
];
