import type { ArgWord } from './arg-word.js';

/** How an argument is used: read as a path, written as a path, or plain data (messages, patterns). */
export type ArgumentKind = 'path' | 'write' | 'data';

/** Declarative description of a program's command line, enough to find its paths and options. */
export interface OptionSpec {
  /** Options that take a value, with the value's kind. Keys include dashes: `-o`, `--output`. */
  values?: Readonly<Record<string, ArgumentKind>>;
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
  /** `-x` options by the char code of `x` (ASCII only). */
  shortKinds: readonly (ArgumentKind | undefined)[];
  /** The long (`--`) option names, for prefix resolution. */
  longNames: readonly string[];
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
    table: optionTable(spec.values),
    positionals: spec.positionals ?? 'path',
    longPrefixes: spec.longPrefixes === true,
    optionsFirst: spec.optionsFirst === true,
    singleDashLong: spec.singleDashLong === true,
  };
}

function optionTable(values: Readonly<Record<string, ArgumentKind>> | undefined): OptionTable {
  const kinds = new Map<string, ArgumentKind>();
  const shortKinds: (ArgumentKind | undefined)[] = new Array(128).fill(undefined);
  for (const [name, kind] of Object.entries(values ?? {})) {
    kinds.set(name, kind);
    if (name.length === 2 && name.charCodeAt(0) === 45 && name.charCodeAt(1) < 128) {
      shortKinds[name.charCodeAt(1)] = kind;
    }
  }
  const longNames = [...kinds.keys()].filter((name) => name.startsWith('--'));
  return { kinds, shortKinds, longNames };
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
        out.push(
          scanned(word, 'option', kind ?? 'path', resolved ?? name, text.slice(equals + 1), undefined, true),
        );
      } else if (kind) {
        out.push(scanned(word, 'option', 'data', resolved, undefined, undefined, true));
        const next = args[index + 1];
        if (next) {
          out.push(scanned(next, 'value', kind, resolved, undefined, undefined, false));
          index++;
        }
      } else {
        out.push(scanned(word, 'option', 'data', name, undefined, undefined, true));
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

function resolveLong(name: string, table: OptionTable, prefixes: boolean): string | undefined {
  if (table.kinds.has(name)) return name;
  if (!prefixes) return undefined;
  const matches = table.longNames.filter((key) => key.startsWith(name));
  return matches.length === 1 ? matches[0] : undefined;
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
