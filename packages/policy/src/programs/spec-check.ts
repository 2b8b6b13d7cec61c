import { possibleValues } from '../engine/arg-word.js';
import {
  type ArgumentCheckOptions,
  argumentChecks,
  checkScannedArguments,
  expansionDenial,
} from '../engine/check-arguments.js';
import {
  compileOptionSpec,
  type OptionSpec,
  type ScannedArgument,
  scanArguments,
} from '../engine/option-scan.js';
import { findSecretProblem, isInertOutputFile } from '../engine/path-check.js';
import type { Denial, ProgramCheck, ProgramContext, ProgramResult } from '../engine/program-context.js';
import { denyResult, NO_EFFECTS, programResult } from '../engine/program-result.js';

/** A declarative program description: its options, what its arguments are, and its effects. */
export interface ProgramSpec extends OptionSpec, ArgumentCheckOptions {
  /** Options refused outright, with the reason (e.g. `rg --pre` runs a program). */
  deniedOptions?: Readonly<Record<string, string>>;
  /**
   * The program writes content the script chose into its path arguments. `true`: always (`cp`);
   * `false`: never, its writes are directories, timestamps or output compiled from the worktree
   * (`mkdir`, `touch`, `tsc --outDir`); absent: whenever a `write` argument names a file that is not
   * an inert output file (`sort -o t.py`, `uniq in out`, `xxd -r in out`).
   */
  writesContent?: boolean;
  /**
   * The content written is the program's input passed through (`tee`): written only to inert
   * output files (`test.log`), it counts as inert writes rather than content the script chose.
   */
  inertTargets?: boolean;
  /**
   * The program runs code from the worktree (a Makefile, test files, `conftest.py`, a JS config):
   * `true`, or the subcommands that do (`go test`, `cargo build`). What such a program writes is
   * its own output, not content the script chose.
   */
  executesFile?: boolean | readonly string[];
  /** Options whose value is a file of code the program runs (`make -f`): no devices, no stdin. */
  scriptOptions?: readonly string[];
  /**
   * The program reads every positional except the destination (`cp`, `mv`, `ln`): well-known
   * secret files among them are refused like a read. With `-t`/`--target-directory` every
   * positional is a source.
   */
  readsSources?: boolean;
  /** A further check of the scanned arguments (e.g. `make` variable assignments). */
  extraCheck?: (
    scanned: readonly ScannedArgument[],
    program: string,
    context: ProgramContext,
  ) => Denial | undefined;
}

/** Builds a check from a spec: denied options, then paths and expansion in arguments. */
export function specCheck(spec: ProgramSpec): ProgramCheck {
  const options = compileOptionSpec(spec);
  const checks = argumentChecks(spec);
  const deniedOptions = spec.deniedOptions && new Map(Object.entries(spec.deniedOptions));
  const deniedLong = deniedOptions && [...deniedOptions.keys()].filter((name) => name.startsWith('--'));
  const bundles = spec.singleDashLong !== true;
  const writes = spec.writesContent;
  const inertTargets = spec.inertTargets === true;
  const hasWriteArguments =
    Object.values(spec.values ?? {}).includes('write') ||
    (typeof spec.positionals === 'string'
      ? spec.positionals === 'write'
      : spec.positionals?.includes('write'));
  const executes = spec.executesFile;
  const executingSubcommands = Array.isArray(executes) ? new Set<string>(executes) : undefined;
  const scriptOptions = spec.scriptOptions && new Set(spec.scriptOptions);
  const readsSources = spec.readsSources === true;
  const extraCheck = spec.extraCheck;
  return (argv, context) => {
    const program = argv[0]?.value ?? '';
    const scanned = scanArguments(argv, options, 1);
    if (deniedOptions) {
      for (const item of scanned) {
        if (item.role !== 'option' || !item.option) continue;
        const name =
          (deniedOptions.has(item.option) ? item.option : undefined) ??
          (bundles ? deniedShortOption(item.word.value, deniedOptions, item.inlineValue) : undefined) ??
          // getopt_long and argparse accept any unique prefix; a prefix of a denied option is denied
          // whether or not the spec resolves prefixes for value-taking options.
          deniedLongPrefix(item.option, deniedLong!);
        if (name)
          return denyResult({
            ruleId: 'builtin:dangerous-option',
            reason: `${program} ${name === item.option ? name : `${item.word.value} (${name})`}: ${deniedOptions.get(name)}`,
          });
      }
    }
    const extra =
      (scriptOptions && scriptDenial(program, scanned, scriptOptions)) ||
      (executes !== undefined && deviceArgument(program, scanned)) ||
      extraCheck?.(scanned, program, context);
    if (extra) return denyResult(extra);
    const deny =
      checkScannedArguments(program, scanned, context, checks) ??
      (readsSources ? sourceDenial(program, scanned) : undefined);
    if (deny) return writes === true ? programResult({ deny, writesContent: true }) : denyResult(deny);
    if (executes === true) return EXECUTES_FILE;
    if (executingSubcommands && runsSubcommand(scanned, executingSubcommands)) return EXECUTES_FILE;
    if (writes === true) return inertTargets ? writtenTargets(scanned) : WRITES_CONTENT;
    if (writes === false || !hasWriteArguments || executes !== undefined) return NOTHING;
    return writtenTargets(scanned);
  };
}

/** What writing to the `write` arguments does: inert writes when every target is a log file. */
function writtenTargets(scanned: readonly ScannedArgument[]): ProgramResult {
  let inert: string[] | undefined;
  for (const item of scanned) {
    if (item.kind !== 'write') continue;
    let value: string;
    if (item.role === 'option') {
      if (item.inlineValue === undefined) continue;
      value = item.inlineValue;
    } else {
      value = item.word.value;
    }
    const word = item.word;
    if (word.dynamic || word.glob || !isInertOutputFile(value)) return WRITES_CONTENT;
    if (inert === undefined) inert = [value];
    else inert.push(value);
  }
  return inert === undefined ? NOTHING : programResult({ inertWrites: inert });
}

/** Whether the first positional (the subcommand; `+toolchain` skipped) is one that runs code. */
function runsSubcommand(scanned: readonly ScannedArgument[], subcommands: ReadonlySet<string>): boolean {
  for (const item of scanned) {
    if (item.role !== 'positional') continue;
    if (item.word.dynamic) return true;
    if (item.word.value.startsWith('+')) continue;
    return subcommands.has(item.word.value);
  }
  return false;
}

/** Shared results (the engine never changes a check's result). */
const NOTHING: ProgramResult = NO_EFFECTS;
const WRITES_CONTENT: ProgramResult = programResult({ writesContent: true });
const EXECUTES_FILE: ProgramResult = programResult({ executesFile: true });

/**
 * The denied option in a bundle of short options (`-pn`, `-npCdir`). With an attached value
 * (`-pCdir`) only the letters before the value are options.
 */
function deniedShortOption(
  text: string,
  denied: ReadonlyMap<string, string>,
  inlineValue: string | undefined,
): string | undefined {
  if (text.startsWith('--')) return undefined;
  const end = inlineValue === undefined ? text.length : text.length - inlineValue.length;
  for (let at = 1; at < end; at++) {
    const name = `-${text[at]}`;
    if (denied.has(name)) return name;
  }
  return undefined;
}

/** getopt_long accepts any unambiguous abbreviation: `--print-data` is `--print-data-base`. */
function deniedLongPrefix(name: string, deniedLong: readonly string[]): string | undefined {
  if (!name.startsWith('--') || name.length < 3) return undefined;
  for (const full of deniedLong) if (full.startsWith(name)) return full;
  return undefined;
}

/**
 * True when `value` names a device or process file: bash's `/dev/stdin`, `/dev/fd/N` (here-strings,
 * pipes, process substitutions), `/dev/tcp/...`, `/proc/self/fd/N`. Read as code, its content is
 * data the policy never sees. `/dev/null` is empty and fine.
 */
export function isDevicePath(value: string): boolean {
  return (value.startsWith('/dev/') && value !== '/dev/null') || value.startsWith('/proc/');
}

/** The denial for code read from stdin, a device or a process substitution. */
export function stdinScriptDenial(program: string, what: string, text: string): Denial {
  return {
    ruleId: 'builtin:stdin-script',
    reason: `${program}: the ${what} \`${text}\` is stdin, a device or a process substitution, whose content the policy cannot check; put the code in a file in the worktree and run that`,
  };
}

/** A denial when any value `word` may take is a device (or `-` where `dash` reads stdin). */
export function deviceDenial(
  program: string,
  word: ScannedArgument['word'],
  what: string,
  dash = false,
): Denial | undefined {
  const values = possibleValues(word);
  if (!values) return undefined;
  for (const value of values) {
    if (isDevicePath(value) || (dash && value === '-')) return stdinScriptDenial(program, what, word.text);
  }
  return undefined;
}

/** `make -f /dev/stdin`, `make -f -`, `make -f <(...)`: a makefile the policy cannot see. */
function scriptDenial(
  program: string,
  scanned: readonly ScannedArgument[],
  scriptOptions: ReadonlySet<string>,
): Denial | undefined {
  for (const item of scanned) {
    if (item.option === undefined || !scriptOptions.has(item.option)) continue;
    if (item.role === 'value') {
      const denial = deviceDenial(program, item.word, 'file', true);
      if (denial) return denial;
    } else if (item.role === 'option' && item.inlineValue !== undefined) {
      if (item.word.dynamic) return expansionDenial(program, item.word.text, 'a file of code');
      const value = item.inlineValue;
      if (isDevicePath(value) || value === '-') return stdinScriptDenial(program, 'file', item.word.text);
    }
  }
  return undefined;
}

/**
 * A program that runs worktree code reads its configs, plugins and test files as code:
 * `mocha -r /dev/stdin`, `tox -c /dev/stdin`, `pylint --rcfile=/dev/stdin` (an init-hook) run
 * whatever stdin holds.
 */
function deviceArgument(program: string, scanned: readonly ScannedArgument[]): Denial | undefined {
  for (const item of scanned) {
    if (item.kind !== 'path') continue;
    if (item.role === 'option') {
      const value = item.inlineValue;
      if (value !== undefined && isDevicePath(value))
        return stdinScriptDenial(program, 'file', item.word.text);
      continue;
    }
    const denial = deviceDenial(program, item.word, 'file');
    if (denial) return denial;
  }
  return undefined;
}

/** `cp .env notes.txt`: the sources are read, so secret files among them are refused. */
function sourceDenial(program: string, scanned: readonly ScannedArgument[]): Denial | undefined {
  let targetGiven = false;
  let last: ScannedArgument | undefined;
  for (const item of scanned) {
    if (item.role === 'positional') last = item;
    else if (item.option === '-t' || item.option === '--target-directory') targetGiven = true;
  }
  for (const item of scanned) {
    if (item.role !== 'positional' || (item === last && !targetGiven)) continue;
    const values = possibleValues(item.word);
    if (!values) continue;
    for (const value of values) {
      const secret = findSecretProblem(value, item.word.glob === true);
      if (secret) return { ruleId: 'builtin:secret-file', reason: `${program}: ${secret}` };
    }
  }
  return undefined;
}

/** The check for programs without a description: every argument may be a path. */
export const fallbackCheck: ProgramCheck = specCheck({ positionals: 'path' });
