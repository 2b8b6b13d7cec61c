import type { Assignment, ParameterExpansionPart, SyntaxNode, Word, WordPart } from 'unbash';
import { forEachChild } from 'unbash';
import { type ArgWord, createArgWord, type DynamicKind } from './arg-word.js';
import { expandBraceText } from './brace-expansion.js';
import { printsWorktreePaths } from './pipeline-output.js';
import type { Denial } from './program-context.js';

/** What reading a variable gives, as far as the script shows. */
export type VariableRead =
  /** Assigned in this script: the values it can hold, or undefined when unknown. */
  | { kind: 'local'; values: readonly string[] | undefined; glob?: boolean }
  /** `$?`, `$PWD`, ...: unknown but harmless to print. */
  | { kind: 'harmless' }
  /** Anything else comes from the orchestrator's environment and may be a secret. */
  | { kind: 'environment' };

/** Callbacks the word evaluator needs from the script walker. */
export interface WordEnvironment {
  readVariable(name: string): VariableRead;
  /** Visits a node nested in a word that may run commands (`$(..)`, `<(..)`, `$((..))`). */
  visitNested(node: SyntaxNode): void;
  /**
   * Checks a word bash evaluates as arithmetic after expanding it: a slice offset or length, or
   * the index of the array `array` (`${a[i]}`). Nested commands are visited separately.
   */
  checkArithmeticWord(word: Word, owner: SyntaxNode, array?: string): void;
  /** `${name:=value}` and `${name=value}` assign `name`. */
  assignFromExpansion(name: string, owner: SyntaxNode): void;
  /** Records the refusal of an expansion that cannot be allowed (`${x@P}`, `${!x}`). */
  refuse(owner: SyntaxNode, denial: Denial): void;
  /** Most words one brace expansion may produce. */
  braceLimit: number;
}

const CANDIDATE_LIMIT = 64;
const BACKSLASH = 92;
const TILDE = 126;

/**
 * Evaluates a word the way bash expands it, as far as that is possible without running anything.
 * Returns one ArgWord, or several when brace expansion splits it. Nested commands are handed to
 * `environment.visitNested` so they are checked too.
 */
export function evaluateWord(word: Word, environment: WordEnvironment): ArgWord[] {
  const simple = plainWord(word);
  if (simple) return [simple];
  const parts = word.parts!;
  const base = createArgWord(word.value, word.text, word.pos, word.end);
  const [only] = parts;
  if (parts.length === 1 && only?.type === 'CommandExpansion' && printsWorktreePaths(only.script)) {
    // `wc -l $(git ls-files)`: the words are file names inside the worktree, like a glob's.
    environment.visitNested(only);
    return [
      {
        ...base,
        dynamic: 'substitution',
        candidates: ['worktree-path'],
        glob: true,
        globAtStart: true,
        fromInput: true,
      },
    ];
  }
  const state = new WordState(environment);
  parts.forEach((part, index) => {
    state.addPart(part, index === 0);
  });
  return state.finish(base);
}

/**
 * The word as one ArgWord when it needs no evaluation (no parts, or only quotes and literals, whose
 * value unbash already computed); undefined when it must go through evaluateWord.
 */
export function plainWord(word: Word): ArgWord | undefined {
  const parts = word.parts;
  if (!parts) {
    const text = word.text;
    const base = createArgWord(word.value, text, word.pos, word.end);
    // One pass over the text finds both characters that matter (most words have neither).
    let tilde = false;
    for (let index = 0; index < text.length; index++) {
      const code = text.charCodeAt(index);
      if (code === BACKSLASH) base.quoted = true;
      else if (code === TILDE) tilde = true;
    }
    if (tilde && bareTilde(text)) base.tilde = true;
    return base;
  }
  if (!isPlainQuoted(parts)) return undefined;
  // The common case: quotes and literals only.
  const base = createArgWord(word.value, word.text, word.pos, word.end);
  base.quoted = true;
  for (let index = 0; index < parts.length; index++) {
    const part = parts[index]!;
    if (part.type !== 'Literal' || !part.text.includes('~')) continue;
    if ((index === 0 && part.text.startsWith('~')) || /[=:]~/.test(part.text)) base.tilde = true;
  }
  return base;
}

function isPlainQuoted(parts: readonly WordPart[]): boolean {
  for (let index = 0; index < parts.length; index++) {
    const part = parts[index]!;
    if (part.type === 'Literal' || part.type === 'SingleQuoted') continue;
    if (part.type !== 'DoubleQuoted') return false;
    const children = part.parts;
    for (let child = 0; child < children.length; child++) {
      if (children[child]!.type !== 'Literal') return false;
    }
  }
  return true;
}

class WordState {
  segments: (readonly string[])[] = [];
  /** Set when a part's value comes from a script-local variable or a process substitution. */
  dynamic: DynamicKind | undefined;
  fromVariable = false;
  flags: Pick<ArgWord, 'glob' | 'globAtStart' | 'brace' | 'ansiC' | 'quoted' | 'tilde'> = {};
  environmentReads: string[] = [];

  constructor(private readonly environment: WordEnvironment) {}

  addPart(part: WordPart, first: boolean): void {
    switch (part.type) {
      case 'Literal': {
        this.segments.push([part.value]);
        const text = part.text;
        if (text.includes('\\')) this.flags.quoted = true;
        if (text.includes('~') && ((first && text.startsWith('~')) || /[=:]~/.test(text))) {
          this.flags.tilde = true;
        }
        return;
      }
      case 'SingleQuoted':
        this.flags.quoted = true;
        this.segments.push([part.value]);
        return;
      case 'AnsiCQuoted':
        this.flags.quoted = true;
        this.flags.ansiC = true;
        this.segments.push([part.value]);
        return;
      case 'DoubleQuoted':
      case 'LocaleString':
        this.flags.quoted = true;
        if (part.type === 'LocaleString') this.flags.ansiC = true;
        for (const child of part.parts) {
          if (child.type === 'Literal') this.segments.push([child.value]);
          else this.addExpansion(child, true);
        }
        return;
      case 'Glob':
        this.flags.glob = true;
        if (first) this.flags.globAtStart = true;
        this.segments.push([part.text]);
        this.scan(part);
        return;
      case 'ExtendedGlob':
        this.flags.glob = true;
        this.markUnknown('extglob');
        this.scan(part);
        return;
      case 'BraceExpansion': {
        this.flags.brace = true;
        const plain = !part.parts || part.parts.every((child) => child.type === 'Literal');
        const expanded = plain ? expandBraceText(part.text, this.environment.braceLimit) : undefined;
        if (!expanded) {
          this.markUnknown('brace');
          this.scan(part);
          return;
        }
        this.segments.push(expanded);
        return;
      }
      default:
        this.addExpansion(part, false);
    }
  }

  addExpansion(part: WordPart, quoted: boolean): void {
    switch (part.type) {
      case 'SimpleExpansion':
        this.addVariable(part.text.slice(1), quoted);
        return;
      case 'ParameterExpansion':
        if (part.operation || part.index || part.prefix) {
          this.readName(part.parameter);
          checkParameterExpansion(part, this.environment);
          this.markUnknown('variable');
          this.scan(part);
          return;
        }
        this.addVariable(part.parameter, quoted);
        return;
      case 'ProcessSubstitution':
        this.environment.visitNested(part);
        this.fromVariable = true;
        this.dynamic ??= 'substitution';
        this.segments.push(['/dev/fd/63']);
        return;
      case 'CommandExpansion':
        this.environment.visitNested(part);
        this.markUnknown('substitution');
        return;
      case 'ArithmeticExpansion':
        this.environment.visitNested(part);
        this.markUnknown('arithmetic');
        return;
      default:
        this.scan(part);
        this.markUnknown('unknown');
    }
  }

  addVariable(name: string, quoted: boolean): void {
    const read = this.readName(name);
    if (read.kind !== 'local' || !read.values) {
      this.markUnknown('variable');
      return;
    }
    this.fromVariable = true;
    this.dynamic ??= 'variable';
    if (read.glob) {
      // The variable holds file names matching these patterns (`for f in src/*.ts`).
      this.flags.glob = true;
      if (this.segments.length === 0 && read.values.some((value) => /^[*?[]/.test(value))) {
        this.flags.globAtStart = true;
      }
    }
    if (quoted) {
      this.segments.push(read.values);
      return;
    }
    // Unquoted: bash splits the value into words and globs each; check every piece.
    const pieces: string[] = [];
    for (const value of read.values) {
      if (/[*?[]/.test(value)) this.flags.glob = true;
      pieces.push(...value.split(/[ \t\n]+/).filter((piece) => piece !== ''));
    }
    this.segments.push(pieces.length > 0 ? pieces : ['']);
  }

  readName(name: string): VariableRead {
    const read = this.environment.readVariable(name);
    if (read.kind === 'environment') this.environmentReads.push(name);
    return read;
  }

  markUnknown(kind: DynamicKind): void {
    this.unknownKind ??= kind;
  }

  unknownKind: DynamicKind | undefined;

  /** Finds nested commands and variable reads anywhere under `node`. */
  scan(node: SyntaxNode): void {
    forEachChild(node, (child) => {
      switch (child.type) {
        case 'CommandExpansion':
        case 'ProcessSubstitution':
        case 'ArithmeticCommandExpansion':
        case 'ArithmeticExpansion':
          this.environment.visitNested(child);
          return;
        case 'SimpleExpansion':
          this.readName(child.text.slice(1));
          return;
        case 'ParameterExpansion':
          this.readName(child.parameter);
          if (child.operation || child.index || child.prefix)
            checkParameterExpansion(child, this.environment);
          this.scan(child);
          return;
        default:
          this.scan(child);
      }
    });
  }

  finish(base: ArgWord): ArgWord[] {
    const word = Object.assign(base, this.flags);
    if (this.environmentReads.length > 0) word.environmentReads = this.environmentReads;
    if (this.unknownKind) {
      word.dynamic = this.unknownKind;
      return [word];
    }
    const values = product(this.segments);
    if (this.fromVariable) {
      word.dynamic = this.dynamic ?? 'variable';
      if (values) word.candidates = values;
      return [word];
    }
    // `word` is this evaluation's own object, so the common single-value case updates it in place.
    if (!values) {
      word.dynamic = 'brace';
      return [word];
    }
    if (values.length === 1) {
      word.value = values[0] ?? '';
      return [word];
    }
    return values.map((value) => ({ ...word, value }));
  }
}

/**
 * `${x@op}` transformations that only quote, describe or re-case the value. `@P` expands the value
 * like a prompt string, which runs the `$(..)` it holds, so it (and anything unknown) is refused.
 */
const SAFE_TRANSFORMS = new Set(['Q', 'E', 'U', 'u', 'L', 'a', 'A', 'K', 'k']);
const PLAIN_NAME = /^([A-Za-z_][A-Za-z0-9_]*|[0-9]+)$/;

/**
 * Checks what a `${...}` expansion with an index, prefix or operation does besides reading its
 * parameter: indirection (`${!x}`), prompt expansion (`${x@P}`), assigning (`${x:=v}`), and the
 * arithmetic bash evaluates in array indexes and slices (`${a[i]}`, `${x:off:len}`). Problems are
 * reported through `environment`; nested commands are left to the caller's scan.
 */
export function checkParameterExpansion(part: ParameterExpansionPart, environment: WordEnvironment): void {
  const operation = part.operation;
  const index = part.index;
  const whole = index !== undefined && (index.text === '@' || index.text === '*');
  if (
    part.prefix === '!' &&
    operation?.type !== 'Names' &&
    !whole &&
    !harmlessIndirection(part, environment)
  ) {
    environment.refuse(part, {
      ruleId: 'builtin:environment-read',
      reason: `\`${part.text}\` reads the variable whose name \`${part.parameter}\` holds, which the policy cannot vouch for (it may hold a secret, or be an array element whose index runs commands); expand the variable by its own name`,
    });
  }
  if (index && !whole) environment.checkArithmeticWord(index, part, part.parameter);
  if (!operation) return;
  switch (operation.type) {
    case 'Transform': {
      const operand = operation.operand;
      if (operand.parts || !SAFE_TRANSFORMS.has(operand.value)) {
        environment.refuse(part, {
          ruleId: 'builtin:shell-state',
          reason: `\`${part.text}\` expands the value again like a prompt string, which runs any \`$(...)\` it holds and reads any variable it names; use "\${${part.parameter}}" or \`\${${part.parameter}@Q}\``,
        });
      }
      return;
    }
    case 'Default':
      if (operation.operator === '=' || operation.operator === ':=') {
        if (part.prefix === '!') {
          environment.refuse(part, {
            ruleId: 'builtin:dangerous-variable',
            reason: `\`${part.text}\` assigns the variable whose name \`${part.parameter}\` holds, which may be PATH or another variable that changes what programs run; assign the variable by its own name`,
          });
        } else environment.assignFromExpansion(part.parameter, part);
      }
      return;
    case 'Slice':
      environment.checkArithmeticWord(operation.offset, part);
      if (operation.length) environment.checkArithmeticWord(operation.length, part);
      return;
    default:
  }
}

/**
 * `${!#}` (the last argument), or `${!x}` where `x` holds only plain names of script-local or
 * harmless variables (`x=HOME; echo ${!x}`).
 */
function harmlessIndirection(part: ParameterExpansionPart, environment: WordEnvironment): boolean {
  if (part.index) return false;
  if (part.parameter === '#') return true;
  const read = environment.readVariable(part.parameter);
  if (read.kind !== 'local' || !read.values || read.glob) return false;
  return read.values.every(
    (value) => PLAIN_NAME.test(value) && environment.readVariable(value).kind !== 'environment',
  );
}

function product(segments: readonly (readonly string[])[]): string[] | undefined {
  let out = [''];
  for (const segment of segments) {
    if (segment.length === 1) {
      const only = segment[0] ?? '';
      out = out.map((prefix) => prefix + only);
      continue;
    }
    const next: string[] = [];
    for (const prefix of out) for (const value of segment) next.push(prefix + value);
    if (next.length > CANDIDATE_LIMIT) return undefined;
    out = next;
  }
  return out;
}

function bareTilde(text: string): boolean {
  return text.charCodeAt(0) === 126 || (text.includes('~') && /[=:]~/.test(text));
}

/** An `export NAME=value` style argument as an ArgWord (`NAME=value` when the value is known). */
export function assignmentWord(assignment: Assignment, values: readonly string[] | undefined): ArgWord {
  const word = createArgWord(assignment.text, assignment.text, assignment.pos, assignment.end);
  if (values?.length === 1) word.value = `${assignment.name}${assignment.append ? '+' : ''}=${values[0]}`;
  else {
    word.dynamic = 'variable';
    if (values) word.candidates = values.map((value) => `${assignment.name}=${value}`);
  }
  return word;
}
