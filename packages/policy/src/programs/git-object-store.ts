import type { ScannedArgument } from '../engine/option-scan.js';
import type { Denial } from '../engine/program-context.js';
import { bundleHas, hasOption, namesLong, optionWords, positionalWords } from './git-option-words.js';

/**
 * What may enter git's object store and index. Secrets live in ignored files (`.env`, keys); a
 * command that stores them (`stash -u/-a`, `add -f`, `hash-object -w`) lets a later `git show`
 * print them past the path checks, and `git grep` options that search ignored or untracked files
 * print them directly. The index also carries modes: `git add --chmod=+x` makes a file executable
 * on the next checkout without `chmod` (a hook under a tracked `core.hooksPath`).
 */
export function gitObjectStoreDenial(name: string, scanned: readonly ScannedArgument[]): Denial | undefined {
  switch (name) {
    case 'stash': {
      const action = positionalWords(scanned)[0]?.word.value;
      if (action !== undefined && action !== 'push' && action !== 'save') return undefined;
      return hasOption(scanned, 'u', ['--include-untracked'], 'm') || hasOption(scanned, 'a', ['--all'], 'm')
        ? storeDenial(
            'git stash -u/-a stores untracked and ignored files (.env, keys) in the object store, where `git stash show -p` prints them; stash tracked changes only',
          )
        : undefined;
    }
    case 'add': {
      if (hasOption(scanned, 'f', ['--force'])) {
        return storeDenial(
          'git add -f adds ignored files (.env, keys) that `git show` then prints; add the files you need that are not ignored',
        );
      }
      for (const text of optionWords(scanned)) {
        if (!namesLong(text, '--chmod')) continue;
        const value = text.includes('=') ? text.slice(text.indexOf('=') + 1) : '+x';
        if (value !== '-x') {
          return {
            ruleId: 'builtin:executable',
            reason: `git add --chmod=${value} makes a file executable on the next checkout without chmod (a hook git would run); only --chmod=-x is allowed`,
          };
        }
      }
      return undefined;
    }
    case 'grep':
      for (const text of optionWords(scanned)) {
        if (
          namesLong(text, '--untracked') ||
          namesLong(text, '--no-exclude-standard') ||
          namesLong(text, '--no-index')
        ) {
          return storeDenial(
            `git grep ${text.split('=')[0]} searches untracked or ignored files (.env, keys); search tracked files (\`git grep\`) or name files with grep/rg`,
          );
        }
      }
      return undefined;
    case 'hash-object':
      return optionWords(scanned).some((text) => bundleHas(text, 'w'))
        ? storeDenial('git hash-object -w stores a file in the object store, where `git cat-file` prints it')
        : undefined;
    default:
      return undefined;
  }
}

function storeDenial(reason: string): Denial {
  return { ruleId: 'builtin:secret-file', reason };
}
