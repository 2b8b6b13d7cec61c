import { pathDenial } from '../engine/check-arguments.js';
import { findPathProblem } from '../engine/path-check.js';
import type { Denial, ProgramContext } from '../engine/program-context.js';

/**
 * CPython's `-X` options, a closed table: diagnostics and modes that open no file and import
 * nothing. `pycache_prefix` writes bytecode for every imported module (the standard library's
 * too) under a directory, so it must be inside the worktree; `presite` imports a module first;
 * an option this table does not know is refused.
 */
const PYTHON_X_OPTIONS = new Set([
  'faulthandler',
  'showrefcount',
  'tracemalloc',
  'importtime',
  'dev',
  'utf8',
  'warn_default_encoding',
  'no_debug_ranges',
  'frozen_modules',
  'int_max_str_digits',
  'perf',
  'perf_jit',
  'cpu_count',
  'gil',
  'context_aware_warnings',
  'thread_inherit_context',
  'disable_remote_debug',
]);

export function pythonXOptionDenial(
  program: string,
  value: string,
  context: ProgramContext,
): Denial | undefined {
  const equals = value.indexOf('=');
  const name = equals === -1 ? value : value.slice(0, equals);
  if (name === 'pycache_prefix') {
    const problem =
      equals === -1
        ? undefined
        : findPathProblem(value.slice(equals + 1), context.directories, { write: true });
    return problem ? pathDenial(`${program} -X pycache_prefix`, problem, true) : undefined;
  }
  if (name === 'presite')
    return {
      ruleId: 'builtin:inline-code',
      reason: `${program} -X ${value}: imports a module before the script runs`,
    };
  if (PYTHON_X_OPTIONS.has(name)) return undefined;
  return {
    ruleId: 'builtin:dangerous-option',
    reason: `${program} -X ${name}: not a -X option the policy knows; use one of ${[...PYTHON_X_OPTIONS].slice(0, 6).join(', ')}, ...`,
  };
}
