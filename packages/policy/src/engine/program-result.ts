import type { ArgWord } from './arg-word.js';
import type { Denial, ProgramResult } from './program-context.js';

/**
 * Builds a ProgramResult with every field present in one fixed order, so every check's result has
 * the same object shape and the engine's reads of it stay monomorphic. Never freeze the result
 * (freezing changes the shape); checks treat shared results as read-only.
 */
export function programResult(fields: ProgramResult): ProgramResult {
  return {
    deny: fields.deny,
    ruleArgs: fields.ruleArgs,
    inner: fields.inner,
    script: fields.script,
    executesFile: fields.executesFile,
    writesContent: fields.writesContent,
    inertWrites: fields.inertWrites,
    changesDirectory: fields.changesDirectory,
  };
}

/** A result that refuses the command (optionally with the arguments the rules still see). */
export function denyResult(deny: Denial, ruleArgs?: readonly ArgWord[]): ProgramResult {
  return {
    deny,
    ruleArgs,
    inner: undefined,
    script: undefined,
    executesFile: undefined,
    writesContent: undefined,
    inertWrites: undefined,
    changesDirectory: undefined,
  };
}

/** A result with only the arguments the rules match against (a fresh object the caller may extend). */
export function ruleArgsResult(ruleArgs: readonly ArgWord[] | undefined): ProgramResult {
  return {
    deny: undefined,
    ruleArgs,
    inner: undefined,
    script: undefined,
    executesFile: undefined,
    writesContent: undefined,
    inertWrites: undefined,
    changesDirectory: undefined,
  };
}

/** The shared result of a check with nothing to report. Read-only: never change its fields. */
export const NO_EFFECTS: ProgramResult = ruleArgsResult(undefined);
