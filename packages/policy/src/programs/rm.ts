import { possibleValues } from '../engine/arg-word.js';
import {
  checkScannedArguments,
  GLOB_FRIENDLY_ARGUMENTS,
  STRICT_ARGUMENTS,
} from '../engine/check-arguments.js';
import { compileOptionSpec, scanArguments } from '../engine/option-scan.js';
import { isWorktreeRoot } from '../engine/path-check.js';
import type { ProgramCheck, ProgramResult } from '../engine/program-context.js';
import { denyResult, NO_EFFECTS } from '../engine/program-result.js';

/**
 * `rm`: single paths inside the worktree may go; the worktree itself (`rm -rf .`), everything in it
 * (`rm -rf *`), anything outside, `.git`, and recursive removal of paths `xargs`/`find -exec`
 * supply are refused.
 */
export const rm: ProgramCheck = (argv, context) => {
  const scanned = scanArguments(argv, WRITE_OPERANDS, 1);
  const options = scanned.filter((item) => item.role === 'option').map((item) => item.word.value);
  if (options.includes('--no-preserve-root')) return destructive('--no-preserve-root removes /');
  const recursive = options.some((option) => option === '--recursive' || /^-[a-zA-Z]*[rR]/.test(option));
  for (const item of scanned) {
    if (item.role !== 'positional') continue;
    const word = item.word;
    if (word.fromInput && recursive)
      return destructive('recursive removal of paths read from a pipe or find');
    for (const value of possibleValues(word) ?? []) {
      if (isWorktreeRoot(value, context.directories))
        return destructive(`\`${word.text}\` is the whole worktree`);
      const last =
        value
          .split('/')
          .filter((segment) => segment !== '')
          .pop() ?? '';
      if (word.glob && /^[.]?[*?]+$/.test(last))
        return destructive(`\`${word.text}\` matches everything in a directory`);
    }
  }
  const denial = checkScannedArguments(
    'rm',
    scanned,
    context,
    recursive ? STRICT_ARGUMENTS : GLOB_FRIENDLY_ARGUMENTS,
  );
  return denial ? denyResult(denial) : NO_EFFECTS;
};

const WRITE_OPERANDS = compileOptionSpec({ positionals: 'write' });

function destructive(reason: string): ProgramResult {
  return denyResult({
    ruleId: 'builtin:destructive-rm',
    reason: `rm: ${reason}; remove specific paths instead`,
  });
}
