import {
  type ArgumentCheckOptions,
  argumentChecks,
  checkScannedArguments,
} from '../engine/check-arguments.js';
import {
  compileOptionSpec,
  type OptionSpec,
  type ScannedArgument,
  scanArguments,
} from '../engine/option-scan.js';
import { isInertOutputFile } from '../engine/path-check.js';
import type { ProgramCheck, ProgramResult } from '../engine/program-context.js';
import { denyResult, NO_EFFECTS, programResult } from '../engine/program-result.js';

/** A declarative program description: its options, what its arguments are, and its effects. */
export interface ProgramSpec extends OptionSpec, ArgumentCheckOptions {
  /** Options refused outright, with the reason (e.g. `rg --pre` runs a program). */
  deniedOptions?: Readonly<Record<string, string>>;
  /** The program writes content the script chose into its path arguments (`cp`, `tee`). */
  writesContent?: boolean;
  /**
   * The content written is the program's input passed through (`tee`): written only to inert
   * output files (`test.log`), it counts as inert writes rather than content the script chose.
   */
  inertTargets?: boolean;
}

/** Builds a check from a spec: denied options, then paths and expansion in arguments. */
export function specCheck(spec: ProgramSpec): ProgramCheck {
  const options = compileOptionSpec(spec);
  const checks = argumentChecks(spec);
  const deniedOptions = spec.deniedOptions && new Map(Object.entries(spec.deniedOptions));
  const writesContent = spec.writesContent === true;
  const inertTargets = spec.inertTargets === true;
  return (argv, context) => {
    const program = argv[0]?.value ?? '';
    const scanned = scanArguments(argv, options, 1);
    if (deniedOptions) {
      for (const item of scanned) {
        if (item.role !== 'option' || !item.option) continue;
        const reason =
          deniedOptions.get(item.option) ??
          deniedShortOption(item.word.value, deniedOptions, item.inlineValue);
        if (reason)
          return denyResult({
            ruleId: 'builtin:dangerous-option',
            reason: `${program} ${item.option}: ${reason}`,
          });
      }
    }
    const deny = checkScannedArguments(program, scanned, context, checks);
    if (deny) return writesContent ? programResult({ deny, writesContent: true }) : denyResult(deny);
    if (inertTargets) return writtenTargets(scanned);
    return writesContent ? WRITES_CONTENT : NOTHING;
  };
}

/** What writing to the write positionals does: inert writes when every target is a log file. */
function writtenTargets(scanned: readonly ScannedArgument[]): ProgramResult {
  const inert: string[] = [];
  for (const item of scanned) {
    if (item.role !== 'positional' || item.kind !== 'write') continue;
    const word = item.word;
    if (word.dynamic || word.glob || !isInertOutputFile(word.value)) return WRITES_CONTENT;
    inert.push(word.value);
  }
  return inert.length === 0 ? NOTHING : programResult({ inertWrites: inert });
}

/** Shared results (the engine never changes a check's result). */
const NOTHING: ProgramResult = NO_EFFECTS;
const WRITES_CONTENT: ProgramResult = programResult({ writesContent: true });

function deniedShortOption(
  text: string,
  denied: ReadonlyMap<string, string>,
  inlineValue: string | undefined,
): string | undefined {
  if (text.startsWith('--') || inlineValue !== undefined) return undefined;
  for (const char of text.slice(1)) {
    const reason = denied.get(`-${char}`);
    if (reason) return reason;
  }
  return undefined;
}

/** The check for programs without a description: every argument may be a path. */
export const fallbackCheck: ProgramCheck = specCheck({ positionals: 'path' });
