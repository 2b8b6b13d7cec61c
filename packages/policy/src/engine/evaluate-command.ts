import { parse } from 'unbash';
import type { CommandVerdict, PolicyContext, PolicyDecision } from '../types.js';
import { type Engine, LimitExceeded } from './engine.js';
import { findInputProblem } from './input-limits.js';
import { ScriptRun } from './script-run.js';

const WORKTREE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
/** The last worktree name that passed the check; the orchestrator asks about the same few. */
let lastValidWorktree: string | undefined;

/**
 * Decides one command string in one worktree. Never throws: malformed input, parse errors, limits
 * and internal errors all become a deny with a reason.
 */
export function evaluateCommand(engine: Engine, command: string, context: PolicyContext): PolicyDecision {
  const inputProblem = findInputProblem(command, engine.limits);
  if (inputProblem) {
    return refuse(
      typeof command === 'string' && !/\S/.test(command) ? 'builtin:empty' : 'builtin:input-limit',
      inputProblem,
    );
  }
  const worktree = typeof context === 'object' && context !== null ? context.worktree : undefined;
  if (
    typeof worktree !== 'string' ||
    (worktree !== lastValidWorktree && (!WORKTREE_NAME.test(worktree) || worktree.length > 255))
  ) {
    return refuse(
      'builtin:worktree-name',
      `the worktree must be a plain directory name, got ${JSON.stringify(worktree)}`,
    );
  }
  lastValidWorktree = worktree;
  const run = new ScriptRun(engine, worktree, command);
  try {
    run.run(parse(command));
  } catch (error) {
    if (error instanceof LimitExceeded)
      return refuse('builtin:input-limit', `${error.message}; simplify the command`, run.verdicts);
    if (error instanceof RangeError) {
      return refuse(
        'builtin:input-limit',
        'the command is nested too deeply to analyse; simplify it',
        run.verdicts,
      );
    }
    const message = error instanceof Error ? error.message : String(error);
    return refuse(
      'builtin:internal-error',
      `the policy could not analyse this command (${message})`,
      run.verdicts,
    );
  }
  return summarize(run.verdicts);
}

function summarize(commands: CommandVerdict[]): PolicyDecision {
  if (commands.length === 0) return refuse('builtin:empty', 'the command contains no commands to run');
  for (let index = 0; index < commands.length; index++) {
    const denied = commands[index]!;
    if (denied.decision !== 'deny') continue;
    const decision: PolicyDecision = {
      decision: 'deny',
      reason: denied.text ? `${quote(denied.text)}: ${denied.reason}` : denied.reason,
      commands,
    };
    if (denied.ruleId !== undefined) decision.ruleId = denied.ruleId;
    return decision;
  }
  const first = commands[0]!;
  if (commands.length === 1) {
    const single: PolicyDecision = { decision: 'allow', reason: first.reason, commands };
    if (first.ruleId !== undefined) single.ruleId = first.ruleId;
    return single;
  }
  // Distinct rule ids in order of appearance (a verdict without one still counts as distinct).
  const ruleIds: (string | undefined)[] = [];
  for (let index = 0; index < commands.length; index++) {
    const ruleId = commands[index]!.ruleId;
    if (!ruleIds.includes(ruleId)) ruleIds.push(ruleId);
  }
  let named = '';
  for (const ruleId of ruleIds) if (ruleId) named = named === '' ? ruleId : `${named}, ${ruleId}`;
  const decision: PolicyDecision = {
    decision: 'allow',
    reason: `all ${commands.length} commands are allowed (${named})`,
    commands,
  };
  const only = ruleIds[0];
  if (ruleIds.length === 1 && only !== undefined) decision.ruleId = only;
  return decision;
}

function refuse(ruleId: string, reason: string, commands: CommandVerdict[] = []): PolicyDecision {
  return { decision: 'deny', reason, ruleId, commands };
}

function quote(text: string): string {
  const single = hasOnlySingleSpaces(text) ? text : text.replace(/\s+/g, ' ').trim();
  return `\`${single.length > 80 ? `${single.slice(0, 77)}...` : single}\``;
}

/** True when `text` has no whitespace but single inner spaces (so `\s+` collapsing and trim keep it). */
function hasOnlySingleSpaces(text: string): boolean {
  let previousSpace = true;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code === 32) {
      if (previousSpace) return false;
      previousSpace = true;
    } else if ((code >= 9 && code <= 13) || code > 126) return false;
    else previousSpace = false;
  }
  return !previousSpace;
}
