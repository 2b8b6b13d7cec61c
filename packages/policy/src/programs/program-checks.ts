import type { ProgramCheck } from '../engine/program-context.js';
import { codex } from './codex.js';
import { find } from './find.js';
import { git } from './git.js';
import { node, perl, php, python, ruby, tsRunner } from './interpreters.js';
import { packageManagerChecks } from './package-managers.js';
import { rm } from './rm.js';
import { sed } from './sed.js';
import { assigningBuiltin, cd, declaration, directoryStack, refusedBuiltin, set } from './shell-builtins.js';
import { evalCheck, foreignShell, shell, sourceCheck } from './shells.js';
import { simpleProgramChecks } from './simple-programs.js';
import { awk, grep, jq, rg } from './text-tools.js';
import { wrapperChecks } from './wrappers.js';

/**
 * Every built-in program check, by program name. A program without an entry still gets the
 * fallback check (all arguments may be paths); whether it may run at all is up to the rules.
 */
export const programChecks: ReadonlyMap<string, ProgramCheck> = new Map<string, ProgramCheck>([
  ...simpleProgramChecks,
  ...wrapperChecks,
  ...packageManagerChecks,
  ['git', git],
  ['codex', codex],
  ['find', find],
  ['sed', sed],
  ['awk', awk],
  ['gawk', awk],
  ['mawk', awk],
  ['jq', jq],
  ['grep', grep],
  ['egrep', grep],
  ['fgrep', grep],
  ['rg', rg],
  ['rm', rm],
  ['node', node],
  ['tsx', tsRunner],
  ['ts-node', tsRunner],
  ['python', python],
  ['python3', python],
  ['perl', perl],
  ['ruby', ruby],
  ['php', php],
  ['bash', shell],
  ['sh', shell],
  ['dash', shell],
  ['zsh', foreignShell],
  ['ksh', foreignShell],
  ['mksh', foreignShell],
  ['fish', foreignShell],
  ['csh', foreignShell],
  ['tcsh', foreignShell],
  ['busybox', foreignShell],
  ['eval', evalCheck],
  ['source', sourceCheck],
  ['.', sourceCheck],
  ['cd', cd],
  ['pushd', directoryStack],
  ['popd', directoryStack],
  ['export', declaration],
  ['declare', declaration],
  ['typeset', declaration],
  ['local', declaration],
  ['readonly', declaration],
  ['set', set],
  ['read', assigningBuiltin],
  ['mapfile', assigningBuiltin],
  ['readarray', assigningBuiltin],
  ['printf', assigningBuiltin],
  ['unset', assigningBuiltin],
  ['alias', refusedBuiltin],
  ['unalias', refusedBuiltin],
  ['trap', refusedBuiltin],
  ['shopt', refusedBuiltin],
  ['enable', refusedBuiltin],
  ['hash', refusedBuiltin],
  ['fc', refusedBuiltin],
  ['bind', refusedBuiltin],
  ['complete', refusedBuiltin],
  ['printenv', refusedBuiltin],
  ['compgen', refusedBuiltin],
]);
