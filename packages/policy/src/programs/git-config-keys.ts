/**
 * Which `git -c key=value` settings are harmless. Many git settings name programs git will run
 * (`core.fsmonitor`, `core.pager`, `alias.*` with `!`, `diff.<driver>.textconv`, `filter.*`,
 * `credential.helper`, `gpg.program`, `core.sshCommand`, ...) or change where git talks to
 * (`url.*.insteadOf`, `protocol.*`, `remote.*`). An allowlist is the only list that stays safe
 * when git adds settings.
 */

const KEYS = new Set([
  'user.name',
  'user.email',
  'user.signingkey',
  'author.name',
  'author.email',
  'committer.name',
  'committer.email',
  'init.defaultbranch',
  'core.quotepath',
  'core.autocrlf',
  'core.safecrlf',
  'core.eol',
  'core.abbrev',
  'core.ignorecase',
  'core.filemode',
  'core.whitespace',
  'core.commentchar',
  'core.commentstring',
  'core.precomposeunicode',
  'core.checkstat',
  'core.trustctime',
  'core.untrackedcache',
  'core.preloadindex',
  'diff.noprefix',
  'diff.mnemonicprefix',
  'diff.renames',
  'diff.renamelimit',
  'diff.algorithm',
  'diff.relative',
  'diff.context',
  'diff.interhunkcontext',
  'diff.colormoved',
  'diff.colormovedws',
  'diff.statgraphwidth',
  'diff.indentheuristic',
  'diff.suppressblankempty',
  'diff.wserrorhighlight',
  'diff.ignoresubmodules',
  'diff.submodule',
  'merge.conflictstyle',
  'merge.ff',
  'merge.log',
  'merge.renames',
  'merge.renamelimit',
  'merge.stat',
  'merge.verbosity',
  'merge.autostash',
  'pull.ff',
  'fetch.prune',
  'fetch.prunetags',
  'fetch.parallel',
  'fetch.writecommitgraph',
  'fetch.showforcedupdates',
  'fetch.output',
  'commit.gpgsign',
  'commit.verbose',
  'commit.status',
  'commit.cleanup',
  'tag.gpgsign',
  'tag.sort',
  'tag.forcesignannotated',
  'branch.sort',
  'branch.autosetupmerge',
  'branch.autosetuprebase',
  'format.pretty',
  'gc.auto',
  'am.threeway',
  'apply.whitespace',
  'rerere.enabled',
  'rerere.autoupdate',
]);

/** Sections whose two-part keys (`section.key`) are all display or behaviour switches. */
const SECTIONS = new Set([
  'color',
  'advice',
  'column',
  'i18n',
  'status',
  'log',
  'grep',
  'blame',
  'versionsort',
  'index',
]);

/** Returns why `key` may not be set with `git -c`, or undefined when it is harmless. */
export function findGitConfigProblem(key: string): string | undefined {
  const lower = key.toLowerCase();
  const parts = lower.split('.');
  if (parts.length < 2 || parts.some((part) => part === '')) return `\`${key}\` is not a valid config key`;
  if (parts.length === 2 && (KEYS.has(lower) || SECTIONS.has(parts[0]!))) return undefined;
  if (parts.length === 3 && parts[0] === 'color') return undefined;
  return `\`${key}\` is not a known harmless setting (settings like alias.*, core.fsmonitor, core.pager, core.sshCommand, diff.*.textconv, filter.*, credential.* and protocol.* run programs or redirect git)`;
}
