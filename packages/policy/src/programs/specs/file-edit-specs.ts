import { expansionDenial } from '../../engine/check-arguments.js';
import type { ScannedArgument } from '../../engine/option-scan.js';
import type { Denial } from '../../engine/program-context.js';
import type { ProgramSpec } from '../spec-check.js';

const SYMLINK =
  'makes symbolic links, whose relative targets leave the worktree once the link is moved; copy the files';

/**
 * `cp -b --suffix=/../../x a b`: the backup is named destination + suffix, so a suffix with `/`
 * names a path (through a directory like `b..` the script can create) that may leave the worktree.
 */
function backupSuffixPath(scanned: readonly ScannedArgument[], program: string): Denial | undefined {
  for (const item of scanned) {
    if (item.option !== '-S' && item.option !== '--suffix') continue;
    const value = item.role === 'value' ? item.word.value : item.inlineValue;
    if (item.role === 'value' && item.word.dynamic) {
      return expansionDenial(program, item.word.text, 'a backup suffix');
    }
    if (value?.includes('/')) {
      return {
        ruleId: 'builtin:outside-worktree',
        reason: `${program} ${item.option} ${value}: a backup suffix with \`/\` names a path, which can leave the worktree; use a plain suffix like \`.bak\``,
      };
    }
  }
  return undefined;
}

/** File edits (`cp`, `mv`, `tee`, `mkdir`, `ln`, `chmod`): what they write, and the ways to make links they refuse. */
export const fileEditSpecs: Readonly<Record<string, ProgramSpec>> = {
  tee: { positionals: 'write', writesContent: true, inertTargets: true },
  mkdir: {
    values: { '-m': 'data', '--mode': 'data' },
    positionals: 'write',
    writesContent: false,
    globFriendly: true,
  },
  touch: {
    values: { '-d': 'data', '--date': 'data', '-t': 'data', '-r': 'path', '--reference': 'path' },
    positionals: 'write',
    writesContent: false,
    globFriendly: true,
  },
  cp: {
    extraCheck: backupSuffixPath,
    // A relative symbolic link points inside the worktree where it is made and outside after a
    // `mv` to another depth: links are refused however cp would make them.
    deniedOptions: {
      '-s': SYMLINK,
      '--symbolic-link': SYMLINK,
    },
    values: {
      '-t': 'write',
      '--target-directory': 'write',
      '-S': 'data',
      '--suffix': 'data',
      '--sparse': 'data',
    },
    // Their values are read only attached (`--preserve=mode`); `--backup .env` is a file.
    optionalValues: { '--backup': 'data', '--reflink': 'data', '--preserve': 'data' },
    positionals: 'write',
    writesContent: true,
    readsSources: true,
    longPrefixes: true,
  },
  mv: {
    extraCheck: backupSuffixPath,
    values: {
      '-t': 'write',
      '--target-directory': 'write',
      '-S': 'data',
      '--suffix': 'data',
    },
    optionalValues: { '--backup': 'data' },
    positionals: 'write',
    writesContent: true,
    readsSources: true,
    longPrefixes: true,
  },
  rmdir: { positionals: 'write', writesContent: false, globFriendly: true },
  ln: {
    deniedOptions: { '-s': SYMLINK, '--symbolic': SYMLINK },
    values: { '-t': 'write', '--target-directory': 'write', '-S': 'data', '--suffix': 'data' },
    positionals: 'write',
    // The link's content is its target (`ln -s /dev/stdin t.sh` makes t.sh read stdin).
    writesContent: true,
    readsSources: true,
    longPrefixes: true,
  },
  chmod: { values: { '--reference': 'path' }, positionals: ['data', 'write'], writesContent: false },
};
