/** Why a word's value is not known before bash runs it. */
export type DynamicKind = 'variable' | 'substitution' | 'arithmetic' | 'extglob' | 'brace' | 'unknown';

/**
 * One argument as the engine sees it after quote removal. When `dynamic` is set, `value` is the
 * source text and `candidates` (when present) lists every value a script-local variable can give.
 */
export interface ArgWord {
  /** The value bash would pass (quotes removed) when static; otherwise the source text. */
  value: string;
  /** Source text of the word. */
  text: string;
  pos: number;
  end: number;
  dynamic?: DynamicKind;
  /** Possible values when the word depends only on script-local variables with known values. */
  candidates?: string[];
  /** Unquoted glob characters: bash replaces the word with matching file names. */
  glob?: boolean;
  /** The glob pattern starts with a wildcard, so a matching file name may start with `-`. */
  globAtStart?: boolean;
  /** Produced by brace expansion. */
  brace?: boolean;
  /** ANSI-C (`$'..'`) or locale (`$".."`) quoting. */
  ansiC?: boolean;
  /** Contains any quoting or escaping at all (`g''it`, `\git`). */
  quoted?: boolean;
  /** Unquoted `~` that bash would expand to a home directory. */
  tilde?: boolean;
  /** Stands for paths `xargs` or `find -exec` insert: inside the worktree, but unknown. */
  fromInput?: boolean;
  /** Environment variables the word reads that are neither script-local nor harmless. */
  environmentReads?: string[];
}

/** Every value the word can take, or undefined when that cannot be known. */
export function possibleValues(word: ArgWord): readonly string[] | undefined {
  if (!word.dynamic) return [word.value];
  return word.candidates;
}

/** True when the word's value involves expansion of any kind (variables, globs, braces, `$'..'`). */
export function dependsOnExpansion(word: ArgWord): boolean {
  return Boolean(word.dynamic || word.glob || word.brace || word.ansiC);
}

/**
 * Creates an ArgWord with every field present, so all words share one object shape (this keeps
 * the engine's hot paths monomorphic). Optional fields start out undefined.
 */
export function createArgWord(value: string, text: string, pos: number, end: number): ArgWord {
  return {
    value,
    text,
    pos,
    end,
    dynamic: undefined,
    candidates: undefined,
    glob: undefined,
    globAtStart: undefined,
    brace: undefined,
    ansiC: undefined,
    quoted: undefined,
    tilde: undefined,
    fromInput: undefined,
    environmentReads: undefined,
  };
}
