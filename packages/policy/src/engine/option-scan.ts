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

/** Splits arguments into options, option values and positionals following `spec`. */
export function scanArguments(args: readonly ArgWord[], spec: OptionSpec): ScannedArgument[] {
  const out: ScannedArgument[] = [];
  const values = spec.values ?? {};
  let positionalIndex = 0;
  let optionsDone = false;
  for (let index = 0; index < args.length; index++) {
    const word = args[index]!;
    const text = word.value;
    if (!optionsDone && !word.dynamic && text === '--') {
      out.push({ word, role: 'option', kind: 'data', option: '--', optionCapable: true });
      optionsDone = true;
      continue;
    }
    if (optionsDone || word.dynamic || !text.startsWith('-') || text === '-') {
      out.push({
        word,
        role: 'positional',
        kind: positionalKind(spec, positionalIndex),
        index: positionalIndex,
        optionCapable: !optionsDone,
      });
      positionalIndex++;
      if (spec.optionsFirst) optionsDone = true;
      continue;
    }
    if (text.startsWith('--') || spec.singleDashLong) {
      const equals = text.indexOf('=');
      let name = equals === -1 ? text : text.slice(0, equals);
      if (spec.singleDashLong && name.startsWith('--')) name = name.slice(1);
      const resolved = resolveLong(name, values, spec.longPrefixes);
      const kind = resolved ? values[resolved] : undefined;
      if (equals !== -1) {
        out.push({
          word,
          role: 'option',
          kind: kind ?? 'path',
          option: resolved ?? name,
          inlineValue: text.slice(equals + 1),
          optionCapable: true,
        });
      } else if (kind) {
        out.push({ word, role: 'option', kind: 'data', option: resolved, optionCapable: true });
        const next = args[index + 1];
        if (next) {
          out.push({ word: next, role: 'value', kind, option: resolved, optionCapable: false });
          index++;
        }
      } else {
        out.push({ word, role: 'option', kind: 'data', option: name, optionCapable: true });
      }
      continue;
    }
    // A bundle of short options: `-abc`, `-n5`, `-ofile`.
    let consumed = false;
    for (let at = 1; at < text.length; at++) {
      const name = `-${text[at]}`;
      const kind = values[name];
      if (!kind) continue;
      const rest = text.slice(at + 1);
      if (rest !== '') {
        out.push({ word, role: 'option', kind, option: name, inlineValue: rest, optionCapable: true });
      } else {
        out.push({ word, role: 'option', kind: 'data', option: name, optionCapable: true });
        const next = args[index + 1];
        if (next) {
          out.push({ word: next, role: 'value', kind, option: name, optionCapable: false });
          index++;
        }
      }
      consumed = true;
      break;
    }
    if (!consumed) out.push({ word, role: 'option', kind: 'data', option: text, optionCapable: true });
  }
  return out;
}

function positionalKind(spec: OptionSpec, index: number): ArgumentKind {
  const positionals = spec.positionals ?? 'path';
  if (typeof positionals === 'string') return positionals;
  return positionals[Math.min(index, positionals.length - 1)] ?? 'path';
}

function resolveLong(
  name: string,
  values: Readonly<Record<string, ArgumentKind>>,
  prefixes: boolean | undefined,
): string | undefined {
  if (name in values) return name;
  if (!prefixes) return undefined;
  const matches = Object.keys(values).filter((key) => key.startsWith(name) && key.startsWith('--'));
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
