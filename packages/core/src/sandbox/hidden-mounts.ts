import { lstatSync, realpathSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import type { SandboxMount } from './bwrap-args.js';

function expandHome(path: string): string {
  if (path === '~') return homedir();
  return path.startsWith('~/') ? join(homedir(), path.slice(2)) : resolve(path);
}

/**
 * Mounts that hide `paths` (with `~` expanded): an empty directory over a directory, `/dev/null`
 * over anything else. A path that does not exist is skipped (there is nothing to hide, and the
 * read-only root keeps it from being created); a symlink hides its target too.
 */
export function hiddenMounts(paths: readonly string[]): SandboxMount[] {
  const mounts: SandboxMount[] = [];
  const seen = new Set<string>();
  const add = (path: string) => {
    if (seen.has(path)) return;
    let isDirectory: boolean;
    try {
      const stats = lstatSync(path);
      if (stats.isSymbolicLink()) return;
      isDirectory = stats.isDirectory();
    } catch {
      return;
    }
    seen.add(path);
    mounts.push({ kind: isDirectory ? 'hide-dir' : 'hide-file', path });
  };
  for (const path of paths) {
    const expanded = expandHome(path);
    let real: string | undefined;
    try {
      real = realpathSync(expanded);
    } catch {
      real = undefined;
    }
    // A symlink cannot be a mount point: hide where it leads (the link then shows an empty target).
    if (real !== undefined) add(real);
    add(expanded);
  }
  return mounts;
}
