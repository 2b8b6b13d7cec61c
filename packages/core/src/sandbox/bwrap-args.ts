/** One mount of a sandbox layout, applied in order (later ones cover earlier ones). */
export interface SandboxMount {
  /** `ro`/`rw`: bind the host path; `hide-dir`: an empty tmpfs; `hide-file`: `/dev/null`. */
  kind: 'ro' | 'rw' | 'hide-dir' | 'hide-file';
  path: string;
}

/** What `bwrapArgs` builds a command line from. */
export interface BwrapLayout {
  /** Applied after the read-only root, `/dev`, `/proc` and the private `/tmp`. */
  mounts: readonly SandboxMount[];
  network: boolean;
  /** The uid and gid inside; never 0, so the process has no capabilities in its namespace. */
  uid: number;
  gid: number;
  /** The scratch home directory created inside (under the private /tmp). */
  home: string;
  /** The working directory inside. */
  cwd: string;
}

/**
 * The bubblewrap arguments (before `--` and the command) for `layout`: every namespace
 * unshared (user, mount, PID, IPC, UTS, cgroup, and network unless `network`), the whole system
 * read-only, a private `/tmp`, the mounts, and `--die-with-parent` plus a PID namespace so that
 * everything the command started ends with it. Pure, for tests and benchmarks.
 */
export function bwrapArgs(layout: BwrapLayout): string[] {
  const args = [
    '--unshare-all',
    ...(layout.network ? ['--share-net'] : []),
    '--unshare-user',
    '--uid',
    String(layout.uid),
    '--gid',
    String(layout.gid),
    '--die-with-parent',
    '--new-session',
    '--ro-bind',
    '/',
    '/',
    '--dev',
    '/dev',
    '--proc',
    '/proc',
    '--tmpfs',
    '/tmp',
    '--dir',
    layout.home,
  ];
  for (const mount of layout.mounts) {
    if (mount.kind === 'ro') args.push('--ro-bind', mount.path, mount.path);
    else if (mount.kind === 'rw') args.push('--bind', mount.path, mount.path);
    else if (mount.kind === 'hide-dir') args.push('--tmpfs', mount.path, '--remount-ro', mount.path);
    else args.push('--ro-bind', '/dev/null', mount.path);
  }
  args.push('--chdir', layout.cwd);
  return args;
}

/** The uid to run as inside: the caller's, or 1000 when the caller is root (so no capabilities). */
export function sandboxUid(): { uid: number; gid: number } {
  const uid = process.getuid?.() ?? 1000;
  const gid = process.getgid?.() ?? 1000;
  return uid === 0 ? { uid: 1000, gid: 1000 } : { uid, gid };
}
