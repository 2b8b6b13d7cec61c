import type { ScannedArgument } from '../engine/option-scan.js';
import type { Denial } from '../engine/program-context.js';
import { findGitConfigProblem } from './git-config-keys.js';
import { bundleHas, namesLong, optionWords, positionalWords } from './git-option-words.js';

/**
 * Every way git prints configuration values or remote URLs, treated like `git config --list`:
 * the user's and system's config hold tokens (`http.extraHeader`, `url.<token>.insteadOf`, remote
 * URLs with credentials). Reading config is allowed key by key for keys on an allowlist (the
 * harmless `-c` keys, and a few that describe branches and the repository); `git var -l`,
 * `ls-remote --get-url`, `ls-remote` without a remote (it prints `From <url>`), and the URL forms
 * of `git remote` are refused.
 */
export function gitPrinterDenial(name: string, scanned: readonly ScannedArgument[]): Denial | undefined {
  switch (name) {
    case 'var':
      return optionWords(scanned).some((text) => bundleHas(text, 'l'))
        ? printerDenial('git var -l lists every config value and identity variable')
        : undefined;
    case 'ls-remote': {
      if (optionWords(scanned).some((text) => namesLong(text, '--get-url'))) {
        return printerDenial('git ls-remote --get-url prints the remote URL');
      }
      return positionalWords(scanned).length === 0
        ? printerDenial(
            'git ls-remote without a remote prints the remote URL (`From <url>`); name the remote: `git ls-remote origin`',
          )
        : undefined;
    }
    case 'remote': {
      const action = positionalWords(scanned)[0]?.word.value;
      const verbose = optionWords(scanned).some(
        (text) => bundleHas(text, 'v') || namesLong(text, '--verbose'),
      );
      return verbose || action === 'get-url' || action === 'show'
        ? printerDenial(`git remote ${action ?? '-v'} prints remote URLs`)
        : undefined;
    }
    case 'config':
      return configReadDenial(scanned);
    default:
      return undefined;
  }
}

function printerDenial(what: string): Denial {
  return {
    ruleId: 'builtin:environment-dump',
    reason: `${what}, which can hold tokens from the user's config; read one ordinary key with \`git config --get <key>\` (user.*, core.*, branch.<name>.*)`,
  };
}

/** Keys that describe branches and the repository, readable though `-c` may not set them. */
const READABLE =
  /^(branch\.[^.]+\.(remote|merge|rebase)|core\.(bare|repositoryformatversion|logallrefupdates|sparsecheckout|hookspath|worktree)|remote\.[^.]+\.fetch|extensions\.[a-z]+)$/i;

/** Actions and options of `git config` that read values. */
const READ_OPTIONS = ['--get', '--get-all', '--get-color', '--get-colorbool'];

/**
 * `git config --get KEY`, `git config KEY`, `git config get KEY`: every key read must be on the
 * allowlist. A named file (`-f .gitmodules`) is the path checks' business.
 */
function configReadDenial(scanned: readonly ScannedArgument[]): Denial | undefined {
  const words = optionWords(scanned);
  if (words.some((text) => /^(-f|--fil|--file|--blob)(=|$)|^-f./.test(text))) return undefined;
  const operands = positionalWords(scanned).map((item) => item.word.value);
  const action = operands[0];
  const subcommandForm = action === 'get';
  if (subcommandForm && words.some((text) => namesLong(text, '--regexp') || namesLong(text, '--url'))) {
    return printerDenial('git config get --regexp/--url reads many keys or URL-matched ones');
  }
  const reads = subcommandForm || words.some((text) => READ_OPTIONS.some((option) => text === option));
  // `git config KEY` (one operand) reads it; writes are refused by the config check.
  const keys = subcommandForm
    ? operands.slice(1, 2)
    : reads || operands.length === 1
      ? operands.slice(0, 1)
      : [];
  for (const key of keys) {
    if (findGitConfigProblem(key) === undefined || READABLE.test(key)) continue;
    return printerDenial(`git config: \`${key}\` is not a key the policy lets a command print`);
  }
  return undefined;
}
