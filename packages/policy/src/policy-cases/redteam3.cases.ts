import type { PolicyCase } from './case-table.js';

/**
 * A third red-team round: files written through git's `--output`, and options whose value GNU
 * tools read only when attached (`--color=always`), which had hidden the next word (a file) from
 * the path and secret checks. Every deny row was allowed once and shown to work with bash.
 */
export const thirdRoundCases: readonly PolicyCase[] = [
  // git --output writes a file the command chose: running it afterwards is write-then-execute.
  [
    'deny',
    "git log -1 --format='tformat:git push origin HEAD:refs/heads/x' --output=x.sh; bash x.sh",
    'builtin:write-then-execute',
  ],
  [
    'deny',
    'git log -1 --format=tformat:\'{"scripts":{"test":"git push"}}\' --output=package.json; npm test',
    'builtin:write-then-execute',
  ],
  ['allow', 'git diff main --output=review.diff && npm test'],
  ['allow', 'git log -5 --oneline --output=log.txt'],
  // Values read only when attached: the next word is a file, checked as one.
  ['deny', 'grep --color S .env', 'builtin:secret-file'],
  ['deny', 'grep --colour . ../../home/.ssh/id_rsa', 'builtin:outside-worktree'],
  ['deny', 'uniq --group .env', 'builtin:secret-file'],
  ['deny', 'cp --preserve ../../home/.ssh/id_rsa k', 'builtin:outside-worktree'],
  ['deny', 'cp --backup .env x', 'builtin:secret-file'],
  ['deny', 'du --time ../../home', 'builtin:outside-worktree'],
  ['deny', 'date --iso-8601 -r ../../outside/secret.txt', 'builtin:outside-worktree'],
  ['deny', 'column -t .env', 'builtin:secret-file'],
  ['deny', 'od -w .env', 'builtin:secret-file'],
  ['allow', 'grep --color=always -n TODO src/index.ts', 'search-tools'],
  ['allow', 'rg --color never TODO src', 'search-tools'],
  ['allow', 'cp --preserve=mode a.txt b.txt', 'file-edits'],
  ['deny', 'cp --suffix=../../x -b README.md wip.txt', 'builtin:outside-worktree'],
  ['deny', 'mv -b --suffix=/../../../outside/y README.md wip.txt', 'builtin:outside-worktree'],
  ['deny', 'cp -S ../../outside/suf README.md x', 'builtin:outside-worktree'],
  ['allow', 'cp -b --suffix=.bak a.txt b.txt', 'file-edits'],
  ['allow', 'du --time -sh src', 'read-only-tools'],
  ['allow', 'column -t data.tsv', 'read-only-tools'],
  ['allow', 'od -w16 -c data.bin', 'read-only-tools'],
  // git config listings print the user's and system's config too, where tokens live.
  ['deny', 'git config --global --list', 'builtin:environment-dump'],
  ['deny', 'git config --list', 'builtin:environment-dump'],
  ['deny', 'git config --get http.extraheader', 'builtin:environment-dump'],
  ['deny', 'git config --blob HEAD:.env --list', 'builtin:environment-dump'],
  ['allow', 'git config --get user.name', 'git-inspect'],
  ['allow', 'git config -f .gitmodules --list', 'git-inspect'],
];
