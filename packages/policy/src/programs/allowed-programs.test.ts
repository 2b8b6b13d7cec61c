import { describe, expect, it } from 'vitest';
import { defaultPolicyConfig, JS_TOOL_NAMES } from '../config/default-policy-config.js';
import { createPolicy } from '../create-policy.js';
import { programChecks } from './program-checks.js';

/**
 * Issue 12 class 8, by construction: every program the default policy allows has a built-in check
 * of its own (an option table, as git has, or a narrowing), and an option the table does not know
 * is treated conservatively: its attached value is checked as a path. Programs whose arguments
 * are never files or programs are listed here by name, with the reason; a newly allowed program
 * that is in no list and lets an unknown option name a path outside the worktree fails this test.
 */

/** Shell builtins: checked by shell-builtins.ts (variables, directories), not by option tables. */
const SHELL_BUILTINS = [
  ':',
  '[',
  'break',
  'cd',
  'continue',
  'declare',
  'exit',
  'getopts',
  'let',
  'local',
  'mapfile',
  'read',
  'readarray',
  'readonly',
  'return',
  'set',
  'shift',
  'test',
  'type',
  'typeset',
  'unset',
  'wait',
];

/** Programs whose arguments are only text or numbers: they open no file and run no program. */
const DATA_ONLY = [
  'basename',
  'dirname',
  'echo',
  'expr',
  'false',
  'id',
  'printf',
  'pwd',
  'seq',
  'sleep',
  'tr',
  'true',
  'uname',
  'which',
  'whoami',
  // date's file option (-f/--file) is in its table and path-checked; other words are formats.
  'date',
];

/** Programs that exit on an option they do not know (GNU find's predicates, jq's options). */
const REJECT_UNKNOWN_OPTIONS = ['find', 'jq'];

function allowedPrograms(): string[] {
  const names = new Set<string>(JS_TOOL_NAMES);
  for (const rule of defaultPolicyConfig.rules) {
    if (rule.decision !== 'allow') continue;
    for (const match of Array.isArray(rule.match) ? rule.match : [rule.match]) {
      for (const program of Array.isArray(match.program) ? match.program : [match.program])
        names.add(program);
    }
  }
  return [...names].sort();
}

describe('class 8: every allowed program has a table', () => {
  const policy = createPolicy();
  const allowed = allowedPrograms();
  const listed = new Set([...SHELL_BUILTINS, ...DATA_ONLY, ...REJECT_UNKNOWN_OPTIONS]);

  it('finds the allowed programs (the inventory is not empty)', () => {
    expect(allowed).toEqual(
      expect.arrayContaining(['git', 'npm', 'pytest', 'py.test', 'make', 'vitest', 'tox']),
    );
  });

  it.each(allowed)('%s has a built-in check of its own', (program) => {
    expect(programChecks.has(program), `${program} is allowed by a default rule but has no check`).toBe(true);
  });

  it.each(allowed.filter((program) => !listed.has(program)))(
    '%s refuses an unknown option naming a path outside the worktree',
    (program) => {
      const decision = policy.evaluate(`${program} --zz-unknown-option=../outside`, { worktree: 'task-x' });
      expect(decision.decision, decision.reason).toBe('deny');
    },
  );

  it('lists only programs the default policy allows', () => {
    for (const program of listed) expect(allowed, program).toContain(program);
  });
});
