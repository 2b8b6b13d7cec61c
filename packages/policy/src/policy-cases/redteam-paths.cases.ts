import type { PolicyCase } from './case-table.js';

/**
 * Globs and file lists that reach what a literal path check guards: `.git` (writes there run
 * programs), secret files, and the worktree itself. Found by a red team; every deny row was
 * allowed once and shown to work with bash.
 */
export const globPathCases: readonly PolicyCase[] = [
  // A glob that can match .git is .git.
  ['deny', "printf '[core]\\n\\tfsmonitor = evil\\n' >> .gi?/config", 'builtin:git-internals'],
  ['deny', 'echo x > .g*/hooks/post-merge', 'builtin:git-internals'],
  ['deny', 'rm -rf .gi?'],
  ['deny', 'touch .[g]it/index.lock', 'builtin:git-internals'],
  ['allow', 'touch src/*.ts', 'file-edits'],
  ['allow', 'echo x > notes.txt'],
  // Secret files named by a glob.
  ['deny', 'cat .en[v]', 'builtin:secret-file'],
  ['deny', 'cat id_rs?', 'builtin:secret-file'],
  ['deny', 'cat keys/*.pe[m]', 'builtin:secret-file'],
  ['deny', 'tail -n+1 .npmr?', 'builtin:secret-file'],
  ['deny', 'grep -n KEY .env*', 'builtin:secret-file'],
  // A bare wildcard reads a whole directory, like `grep -r` (a documented limit).
  ['allow', 'wc -l src/*', 'read-only-tools'],
  ['allow', 'cat src/*.ts', 'read-only-tools'],
  ['allow', 'grep -n TODO *.md', 'search-tools'],
  ['deny', 'echo "$(< .en?)"', 'builtin:secret-file'],
  ['deny', 'wc -l < id_rs?', 'builtin:secret-file'],
  // `find` selecting secret files by name cannot feed a reader.
  ['deny', 'find . -name .env | xargs cat'],
  ['deny', "find . -name '*.pem' -print0 | xargs -0 cat"],
  ['allow', "find src -name '*.ts' -print0 | xargs -0 wc -l"],
  ['deny', 'find . -name .env -exec cat {} +', 'builtin:secret-file'],
  ['deny', "find . -iname '*.PEM' -execdir head {} \\;", 'builtin:secret-file'],
  ['allow', "find src -name '*.ts' -exec wc -l {} +"],
  ['deny', "find . -regex '.*/\\.env' -print0 | xargs -0 cat --"],
  ['deny', "find . -wholename '*env' -print0 | xargs -0 cat --"],
  ['deny', 'find . -samefile .env -print0 | xargs -0 cat --'],
  ['deny', 'PYTHONPATH=.git python3 lib/m.py', 'builtin:dangerous-variable'],
  // Renaming or copying over an existing branch loses its commits.
  ['deny', 'git branch -M task-z task-y', 'git-discard-work'],
  ['deny', 'git branch -C task-z task-y', 'git-discard-work'],
  ['allow', 'git branch -m task-z task-zz', 'git-local-changes'],
  // Formatters that rewrite their files write them.
  ['deny', 'npx prettier --write .git/config', 'builtin:git-internals'],
  ['deny', 'npx eslint --fix .git/hooks/pre-commit', 'builtin:git-internals'],
  ['allow', 'npx prettier --write src/index.ts'],
  // set -k would let `cmd NAME=value` set NAME in cmd's environment.
  ['deny', 'set -k; git status GIT_DIR=/tmp/x', 'builtin:shell-state'],
  ['deny', 'set -o keyword', 'builtin:shell-state'],
  ['allow', 'set -euo pipefail; npm test'],
];
