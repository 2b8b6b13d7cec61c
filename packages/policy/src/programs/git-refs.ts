import type { ScannedArgument } from '../engine/option-scan.js';
import type { Denial, ProgramContext } from '../engine/program-context.js';
import { bundleHas, hasOption, namesLong, optionWords, positionalWords } from './git-option-words.js';

/**
 * Every git option that writes a ref, beyond the refspec positions the fetch check reads:
 * - `fetch`/`pull --refmap` maps the remote's branches onto any local ref (`--refmap=+refs/heads/*:refs/heads/*`
 *   force-moves `main`), in any abbreviation; `--update-head-ok` (`-u`) lets fetch move the branch
 *   checked out; `--set-upstream` writes config;
 * - tags: git resolves `refs/tags/<name>` before `refs/heads/<name>`, so a tag named like a branch
 *   (`task-x`, `main`) makes `git merge task-x` merge the tag's commit. Tags are listed and verified
 *   here, never made, moved or deleted;
 * - new branch names that shadow other refs (`origin/main`, `refs/...`, `tags/...`, `HEAD`);
 * - force-moving a branch other than this worktree's own (`branch -f`, `checkout -B`, `switch -C`,
 *   `worktree add -B`): other task branches hold unmerged work.
 */
export function gitRefWriteDenial(
  name: string,
  scanned: readonly ScannedArgument[],
  context: ProgramContext,
): Denial | undefined {
  switch (name) {
    case 'fetch':
    case 'pull':
      return fetchDenial(name, scanned);
    case 'tag':
      return tagDenial(scanned);
    case 'branch':
      return branchDenial(scanned, context);
    case 'checkout':
    case 'switch':
    case 'worktree':
      return createDenial(name, scanned, context);
    default:
      return undefined;
  }
}

function refDenial(reason: string): Denial {
  return { ruleId: 'builtin:git-ref-write', reason };
}

function fetchDenial(name: string, scanned: readonly ScannedArgument[]): Denial | undefined {
  for (const text of optionWords(scanned)) {
    if (namesLong(text, '--refmap')) {
      return refDenial(
        `git ${name} --refmap maps the remote's branches onto local refs and can force-move main and other branches; fetch with the configured refspec (\`git ${name} origin\`)`,
      );
    }
    if (namesLong(text, '--update-head-ok') || (name === 'fetch' && bundleHas(text, 'u', 'oj'))) {
      return refDenial(
        `git ${name} --update-head-ok lets fetch move the branch that is checked out; not allowed`,
      );
    }
    if (namesLong(text, '--set-upstream')) {
      return refDenial(`git ${name} --set-upstream writes the repository config; not allowed`);
    }
  }
  return undefined;
}

/** Options of `git tag` that only list or verify. */
const TAG_READS = [
  '--list',
  '--verify',
  '--contains',
  '--no-contains',
  '--points-at',
  '--merged',
  '--no-merged',
];

function tagDenial(scanned: readonly ScannedArgument[]): Denial | undefined {
  const lists =
    hasOption(scanned, 'l', TAG_READS) ||
    hasOption(scanned, 'v', []) ||
    // `git tag`, `git tag -n`, `git tag --sort=...` list.
    positionalWords(scanned).length === 0;
  const changes = hasOption(scanned, 'd', ['--delete']) || hasOption(scanned, 'f', ['--force']);
  if (lists && !changes) return undefined;
  return refDenial(
    "git tag makes, moves or deletes a tag, and a tag named like a branch shadows it (git reads refs/tags/<name> before refs/heads/<name>, so `git merge <name>` would merge the tag); tags are the user's to make: list them with `git tag -l`",
  );
}

/** First segments of a branch name that make it shadow or look like another ref. */
const SHADOWING = /^(refs|heads|tags|remotes|origin|upstream|HEAD|FETCH_HEAD|ORIG_HEAD|MERGE_HEAD)(\/|$)/;

function shadowingName(value: string): Denial | undefined {
  if (!SHADOWING.test(value) && !/^@|\.\.|@\{/.test(value)) return undefined;
  return refDenial(
    `the branch name \`${value}\` shadows another ref (a remote-tracking branch, a tag, HEAD): git would resolve it to the wrong commit; name the branch plainly (\`task-...\`)`,
  );
}

/** `git branch`: names it would create; force-moves of another branch. */
function branchDenial(scanned: readonly ScannedArgument[], context: ProgramContext): Denial | undefined {
  const words = optionWords(scanned);
  const listing = words.some(
    (text) =>
      bundleHas(text, 'l') ||
      bundleHas(text, 'a') ||
      bundleHas(text, 'r') ||
      bundleHas(text, 'v') ||
      namesLong(text, '--list') ||
      namesLong(text, '--all') ||
      namesLong(text, '--remotes') ||
      namesLong(text, '--contains') ||
      namesLong(text, '--merged') ||
      namesLong(text, '--no-merged') ||
      namesLong(text, '--points-at') ||
      namesLong(text, '--show-current') ||
      namesLong(text, '--edit-description') ||
      namesLong(text, '--unset-upstream') ||
      namesLong(text, '--set-upstream-to') ||
      bundleHas(text, 'u'),
  );
  const deletes = words.some(
    (text) => bundleHas(text, 'd') || bundleHas(text, 'D') || namesLong(text, '--delete'),
  );
  if (listing || deletes) return undefined;
  const operands = positionalWords(scanned).map((item) => item.word.value);
  const renames = words.some(
    (text) =>
      bundleHas(text, 'm') ||
      bundleHas(text, 'M') ||
      bundleHas(text, 'c') ||
      bundleHas(text, 'C') ||
      namesLong(text, '--move') ||
      namesLong(text, '--copy'),
  );
  const created = renames ? operands[operands.length - 1] : operands[0];
  if (created !== undefined) {
    const shadow = shadowingName(created);
    if (shadow) return shadow;
  }
  const forced = words.some((text) => bundleHas(text, 'f') || namesLong(text, '--force'));
  if (forced && !renames && created !== undefined && created !== context.worktree) {
    return refDenial(
      `git branch -f ${created}: force-moving a branch other than this worktree's own can drop the commits it holds (other tasks' work); create a new branch instead`,
    );
  }
  return undefined;
}

/** `checkout -b/-B`, `switch -c/-C`, `worktree add -b/-B`: the new branch's name. */
function createDenial(
  name: string,
  scanned: readonly ScannedArgument[],
  context: ProgramContext,
): Denial | undefined {
  const creates = name === 'switch' ? 'c' : 'b';
  const resets = name === 'switch' ? 'C' : 'B';
  const longCreate = name === 'switch' ? '--create' : undefined;
  const longReset = name === 'switch' ? '--force-create' : undefined;
  for (let index = 0; index < scanned.length; index++) {
    const item = scanned[index]!;
    if (item.role !== 'option') continue;
    const text = item.word.value;
    let value: string | undefined;
    let reset = false;
    if (text.startsWith('--')) {
      const equals = text.indexOf('=');
      // git prefers an exact option: `--force` is not an abbreviation of `--force-create`.
      if (text === '--force') continue;
      const isReset = longReset !== undefined && namesLong(text, longReset);
      const isCreate = longCreate !== undefined && !isReset && namesLong(text, longCreate);
      if (!isReset && !isCreate) continue;
      reset = isReset;
      value = equals === -1 ? scanned[index + 1]?.word.value : text.slice(equals + 1);
    } else {
      for (let at = 1; at < text.length; at++) {
        const letter = text[at]!;
        if (letter !== creates && letter !== resets) continue;
        reset = letter === resets;
        const attached = text.slice(at + 1);
        value = attached !== '' ? attached : scanned[index + 1]?.word.value;
        break;
      }
    }
    if (value === undefined) continue;
    const shadow = shadowingName(value);
    if (shadow) return shadow;
    if (reset && value !== context.worktree) {
      return refDenial(
        `git ${name} -${resets} ${value}: resetting a branch other than this worktree's own can drop the commits it holds (other tasks' work); use -${creates} with a new name`,
      );
    }
  }
  return undefined;
}
