import type { ArgWord } from './arg-word.js';

/** How an argument is used: read as a path, written as a path, or plain data (messages, patterns). */
export type ArgumentKind = 'path' | 'write' | 'data';

/** Declarative description of a program's command line, enough to find its paths and options. */
export interface OptionSpec {
  /** Options that take a value, with the value's kind. Keys include dashes: `-o`, `--output`. */
  values?: Readonly<Record<string, ArgumentKind>>;
  /**
   * Options whose value is optional and therefore only attached (`--abbrev=7`, `-U5`): alone they
   * take no value, so the next word stays an argument of its own.
   */
  optionalValues?: Readonly<Record<string, ArgumentKind>>;
  /**
   * Long options that take no value. Only needed with `longPrefixes`, so that an abbreviation is
   * resolved against every option the program has (`--merge` stays a flag next to `--merged`).
   */
  flags?: readonly string[];
  /** Kinds of positional arguments: one kind for all, or a list whose last entry repeats. */
  positionals?: ArgumentKind | readonly ArgumentKind[];
  /** Long options accept unique prefixes (`--out` for `--output`), as getopt_long does. */
  longPrefixes?: boolean;
  /** Options are only recognised before the first positional (POSIX order, e.g. `find`, `xargs`). */
  optionsFirst?: boolean;
  /** Go-style flags: `-name=value` and `-name value` are long options, never bundles. */
  singleDashLong?: boolean;
}

/** One argument after scanning, with the role it plays. */
export interface ScannedArgument {
  word: ArgWord;
  role: 'option' | 'value' | 'positional';
  kind: ArgumentKind;
  /** For options and values: the option name (`--output`). */
  option?: string;
  /** For `--name=value` and `-ovalue`: the value part. */
  inlineValue?: string;
  /** Index among positionals. */
  index?: number;
  /** The program could still read this word as an option (no `--` before it, not an option's value). */
  optionCapable: boolean;
}

/** A spec's value-taking options, indexed for fast lookup. */
interface OptionTable {
  kinds: ReadonlyMap<string, ArgumentKind>;
  /** The options of `kinds` whose value is only attached. */
  optional: ReadonlySet<string>;
  /** `-x` options by the char code of `x` (ASCII only). */
  shortKinds: readonly (ArgumentKind | undefined)[];
  /** Whether the `-x` option of shortKinds takes its value only attached. */
  shortOptional: readonly boolean[];
  /** The long (`--`) option names, flags included, for prefix resolution. */
  longNames: readonly string[];
  /**
   * Every long name and every prefix of one (3 characters or more, dashes included) to the option
   * it resolves to, or null when it abbreviates several: resolving is one lookup, not a scan.
   * Built by prefixTable on the first lookup.
   */
  prefixes: Map<string, string | null> | undefined;
}

/**
 * An OptionSpec prepared for scanning: the option table built and every field present, so all
 * compiled specs share one object shape and the scanner's reads of them stay monomorphic. Build it
 * once per spec (at module load or in a check factory), never per command.
 */
export interface CompiledOptionSpec {
  readonly table: OptionTable;
  readonly positionals: ArgumentKind | readonly ArgumentKind[];
  readonly longPrefixes: boolean;
  readonly optionsFirst: boolean;
  readonly singleDashLong: boolean;
}

/** Compiles an OptionSpec for scanArguments. */
export function compileOptionSpec(spec: OptionSpec): CompiledOptionSpec {
  return {
    table: optionTable(spec.values, spec.optionalValues, spec.flags),
    positionals: spec.positionals ?? 'path',
    longPrefixes: spec.longPrefixes === true,
    optionsFirst: spec.optionsFirst === true,
    singleDashLong: spec.singleDashLong === true,
  };
}

function optionTable(
  values: Readonly<Record<string, ArgumentKind>> | undefined,
  optionalValues: Readonly<Record<string, ArgumentKind>> | undefined,
  flags: readonly string[] | undefined,
): OptionTable {
  const kinds = new Map<string, ArgumentKind>();
  const optional = new Set<string>();
  const shortKinds: (ArgumentKind | undefined)[] = new Array(128).fill(undefined);
  const shortOptional: boolean[] = new Array(128).fill(false);
  const add = (name: string, kind: ArgumentKind, attachedOnly: boolean) => {
    kinds.set(name, kind);
    if (attachedOnly) optional.add(name);
    else optional.delete(name);
    if (name.length === 2 && name.charCodeAt(0) === 45 && name.charCodeAt(1) < 128) {
      shortKinds[name.charCodeAt(1)] = kind;
      shortOptional[name.charCodeAt(1)] = attachedOnly;
    }
  };
  for (const [name, kind] of Object.entries(optionalValues ?? {})) add(name, kind, true);
  for (const [name, kind] of Object.entries(values ?? {})) add(name, kind, false);
  const longNames = [...new Set([...kinds.keys(), ...(flags ?? [])].filter((name) => name.startsWith('--')))];
  // Built on the first lookup: most tables of a process are never asked, and start-up counts.
  return { kinds, optional, shortKinds, shortOptional, longNames, prefixes: undefined };
}

/** The prefix table of `table` (see OptionTable.prefixes), built once on first use. */
function prefixTable(table: OptionTable): Map<string, string | null> {
  if (table.prefixes !== undefined) return table.prefixes;
  const longNames = table.longNames;
  const prefixes = new Map<string, string | null>();
  for (const name of longNames) prefixes.set(name, name);
  for (const name of longNames) {
    for (let length = 3; length < name.length; length++) {
      const prefix = name.slice(0, length);
      const known = prefixes.get(prefix);
      if (known === undefined) prefixes.set(prefix, name);
      // An exact option name keeps itself; a prefix of two options is ambiguous.
      else if (known !== null && known !== prefix && known !== name) prefixes.set(prefix, null);
    }
  }
  table.prefixes = prefixes;
  return prefixes;
}

/**
 * Splits arguments into options, option values and positionals following `spec`. `start` skips
 * leading words (1 skips the program name without copying the list).
 */
export function scanArguments(
  args: readonly ArgWord[],
  spec: CompiledOptionSpec,
  start = 0,
): ScannedArgument[] {
  const out: ScannedArgument[] = [];
  const table = spec.table;
  let positionalIndex = 0;
  let optionsDone = false;
  for (let index = start; index < args.length; index++) {
    const word = args[index]!;
    const text = word.value;
    if (!optionsDone && !word.dynamic && text === '--') {
      out.push(scanned(word, 'option', 'data', '--', undefined, undefined, true));
      optionsDone = true;
      continue;
    }
    if (optionsDone || word.dynamic || text.charCodeAt(0) !== 45 || text === '-') {
      out.push(
        scanned(
          word,
          'positional',
          positionalKind(spec, positionalIndex),
          undefined,
          undefined,
          positionalIndex,
          !optionsDone,
        ),
      );
      positionalIndex++;
      if (spec.optionsFirst) optionsDone = true;
      continue;
    }
    if (text.charCodeAt(1) === 45 || spec.singleDashLong) {
      const equals = text.indexOf('=');
      let name = equals === -1 ? text : text.slice(0, equals);
      if (spec.singleDashLong && name.startsWith('--')) name = name.slice(1);
      const resolved = resolveLong(name, table, spec.longPrefixes);
      const kind = resolved ? table.kinds.get(resolved) : undefined;
      if (equals !== -1) {
        // An inline value of an option that is not known (or only known as an ambiguous
        // abbreviation) is read as strictly as any option it may stand for.
        const inlineKind =
          kind ?? (resolved === undefined && spec.longPrefixes ? strictestKind(name, table) : 'path');
        out.push(
          scanned(word, 'option', inlineKind, resolved ?? name, text.slice(equals + 1), undefined, true),
        );
      } else if (kind && !table.optional.has(resolved!)) {
        out.push(scanned(word, 'option', 'data', resolved, undefined, undefined, true));
        const next = args[index + 1];
        if (next) {
          out.push(scanned(next, 'value', kind, resolved, undefined, undefined, false));
          index++;
        }
      } else {
        out.push(scanned(word, 'option', 'data', resolved ?? name, undefined, undefined, true));
      }
      continue;
    }
    // A bundle of short options: `-abc`, `-n5`, `-ofile`.
    let consumed = false;
    for (let at = 1; at < text.length; at++) {
      const code = text.charCodeAt(at);
      const kind = code < 128 ? table.shortKinds[code] : table.kinds.get(`-${text[at]}`);
      if (!kind) continue;
      const name = `-${text[at]}`;
      const rest = text.slice(at + 1);
      if (rest !== '') {
        out.push(scanned(word, 'option', kind, name, rest, undefined, true));
      } else if (code < 128 ? table.shortOptional[code] : table.optional.has(name)) {
        out.push(scanned(word, 'option', 'data', name, undefined, undefined, true));
      } else {
        out.push(scanned(word, 'option', 'data', name, undefined, undefined, true));
        const next = args[index + 1];
        if (next) {
          out.push(scanned(next, 'value', kind, name, undefined, undefined, false));
          index++;
        }
      }
      consumed = true;
      break;
    }
    if (!consumed) out.push(scanned(word, 'option', 'data', text, undefined, undefined, true));
  }
  return out;
}

/** A ScannedArgument with every field present, so all share one object shape. */
function scanned(
  word: ArgWord,
  role: ScannedArgument['role'],
  kind: ArgumentKind,
  option: string | undefined,
  inlineValue: string | undefined,
  index: number | undefined,
  optionCapable: boolean,
): ScannedArgument {
  return { word, role, kind, option, inlineValue, index, optionCapable };
}

function positionalKind(spec: CompiledOptionSpec, index: number): ArgumentKind {
  const positionals = spec.positionals;
  if (typeof positionals === 'string') return positionals;
  return positionals[Math.min(index, positionals.length - 1)] ?? 'path';
}

/**
 * The option `name` stands for: itself when the table knows it, else (with `prefixes`) the one
 * long option it abbreviates. A known flag resolves to itself, but has no kind.
 */
function resolveLong(name: string, table: OptionTable, prefixes: boolean): string | undefined {
  // The prefix table maps every long name to itself, so one lookup serves exact names too.
  if (prefixes && name.length >= 3) {
    const hit = prefixTable(table).get(name);
    if (hit !== undefined) return hit === null ? undefined : hit;
  }
  return table.kinds.has(name) ? name : undefined;
}

const KIND_STRICTNESS: Readonly<Record<ArgumentKind, number>> = { data: 0, path: 1, write: 2 };

/** For an ambiguous abbreviation: the strictest kind of the options it may stand for (`path` if none). */
function strictestKind(name: string, table: OptionTable): ArgumentKind {
  let kind: ArgumentKind = 'path';
  for (const key of table.longNames) {
    if (!key.startsWith(name)) continue;
    const candidate = table.kinds.get(key);
    if (candidate && KIND_STRICTNESS[candidate] > KIND_STRICTNESS[kind]) kind = candidate;
  }
  return kind;
}

/**
 * Long options refused by a program, matched the way getopt_long, git's parse-options and npm's
 * nopt read them: `--name`, `--name=value`, and any abbreviation (`--upl` is `--upload-pack`). An
 * ambiguous abbreviation is an error in those parsers, so matching it too only refuses a command
 * that would fail anyway. Build one at module load with compileDeniedOptions.
 */
export interface DeniedOptions {
  /** Every refused option (long and short), with its reason. */
  readonly reasons: ReadonlyMap<string, string>;
  /** The refused long options, for abbreviation matching. */
  readonly longs: readonly string[];
  /**
   * Options of the program that are exact names in their own right although they abbreviate a
   * refused one (npm `--global` next to `--globalconfig`): the parser takes an exact name as is.
   */
  readonly exact: ReadonlySet<string>;
  /** Every proper prefix (3 characters or more) of a refused long option, to the first it abbreviates. */
  readonly prefixes: ReadonlyMap<string, string>;
}

/** Compiles a table of refused options; `exact` lists the program's own names that look like abbreviations. */
export function compileDeniedOptions(
  reasons: Readonly<Record<string, string>>,
  exact: readonly string[] = [],
): DeniedOptions {
  const map = new Map(Object.entries(reasons));
  const longs = [...map.keys()].filter((name) => name.startsWith('--') && name.length > 2);
  const prefixes = new Map<string, string>();
  for (const option of longs) {
    for (let length = 3; length < option.length; length++) {
      const prefix = option.slice(0, length);
      if (!prefixes.has(prefix)) prefixes.set(prefix, option);
    }
  }
  return { reasons: map, longs, exact: new Set(exact), prefixes };
}

/**
 * The refused long option that `word` (`--abc` or `--abc=value`) names or abbreviates, or undefined.
 * Short options are the caller's business (bundles differ between programs).
 */
export function deniedLongOption(word: string, denied: DeniedOptions): string | undefined {
  if (word.length < 3 || word.charCodeAt(0) !== 45 || word.charCodeAt(1) !== 45) return undefined;
  const equals = word.indexOf('=');
  const length = equals === -1 ? word.length : equals;
  if (length < 3) return undefined;
  const name = equals === -1 ? word : word.slice(0, equals);
  if (denied.reasons.has(name)) return name;
  const option = denied.prefixes.get(name);
  if (option === undefined) return undefined;
  return denied.exact.has(name) ? undefined : option;
}

/** Whether `word` (`--abc` or `--abc=value`) is the long option `option` or an abbreviation of it. */
export function abbreviates(word: string, option: string): boolean {
  if (word.length < 3 || word.charCodeAt(0) !== 45 || word.charCodeAt(1) !== 45) return false;
  const equals = word.indexOf('=');
  const length = equals === -1 ? word.length : equals;
  if (length < 3 || length > option.length) return false;
  for (let index = 2; index < length; index++) {
    if (word.charCodeAt(index) !== option.charCodeAt(index)) return false;
  }
  return true;
}

/** Every option name present (`-abc` yields `-a`, `-b`, `-c`; `--x=1` yields `--x`). */
export function optionNames(scanned: readonly ScannedArgument[]): string[] {
  const names: string[] = [];
  for (const item of scanned) {
    if (item.role !== 'option' || !item.option) continue;
    const text = item.word.value;
    if (!text.startsWith('--') && text.length > 2 && item.inlineValue === undefined) {
      for (const char of text.slice(1)) names.push(`-${char}`);
    } else names.push(item.option);
  }
  return names;
}

/**
 * For a program with a closed option table: the option in `word` that is not in `known` (short
 * names `-x` and long names `--xyz`, value-taking ones included), or undefined when all are known.
 * A long option may be abbreviated when `prefixes` (getopt_long). In a short bundle the letters
 * after one in `valueLetters` are its value.
 */
export function unknownOption(
  word: string,
  known: ReadonlySet<string>,
  valueLetters: string,
  prefixes = true,
): string | undefined {
  if (word.startsWith('--')) {
    const equals = word.indexOf('=');
    const name = equals === -1 ? word : word.slice(0, equals);
    if (known.has(name)) return undefined;
    if (prefixes && name.length > 2)
      for (const option of known) if (option.startsWith(name)) return undefined;
    return name;
  }
  for (let at = 1; at < word.length; at++) {
    const letter = word[at]!;
    if (!known.has(`-${letter}`)) return `-${letter}`;
    if (valueLetters.includes(letter)) return undefined;
  }
  return undefined;
}
