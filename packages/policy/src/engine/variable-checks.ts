import type { Word, WordPart } from 'unbash';
import {
  dangerousName,
  variableArguments,
  variableName,
  variableTarget,
} from '../programs/shell-builtins.js';
import { type ArgWord, possibleValues } from './arg-word.js';
import { arithmeticTextNames } from './arithmetic-names.js';
import { expansionDenial } from './check-arguments.js';
import type { Denial } from './program-context.js';
import { arithmeticInjection, dangerousVariable, type ShellVariables } from './shell-variables.js';
import { isDangerousVariable } from './variables.js';

/**
 * The checks of text bash evaluates as arithmetic (`$((..))`, indexes, `let`) and of the
 * variable names builtins take (`read x`, `declare x=1`, `printf -v x`), over the variables one
 * script assigned. Split from the walker (script-run.ts), which calls them.
 */
export class VariableChecks {
  constructor(private readonly variables: ShellVariables) {}

  /**
   * Why text bash evaluates as arithmetic after expanding `parts` (or the plain `value` when there
   * are none) is unsafe: a variable whose value is not a number (it is evaluated again), a literal
   * `$` or backquote (expanded again), a command's output. `raw`: `value` is unquoted source text.
   */
  arithmeticPartsDenial(
    parts: readonly WordPart[] | undefined,
    value: string,
    assigns: boolean,
    raw = false,
  ): Denial | undefined {
    if (!parts) return this.arithmeticTextDenial(value, raw, assigns);
    for (let index = 0; index < parts.length; index++) {
      const denial = this.arithmeticPartDenial(parts[index]!, assigns);
      if (denial) return denial;
    }
    return undefined;
  }

  arithmeticPartDenial(part: WordPart, assigns: boolean): Denial | undefined {
    switch (part.type) {
      case 'Literal':
      case 'SingleQuoted':
      case 'AnsiCQuoted':
        return this.arithmeticTextDenial(part.value, false, assigns);
      case 'DoubleQuoted':
      case 'LocaleString':
        return this.arithmeticPartsDenial(part.parts, '', assigns);
      case 'Glob':
      case 'BraceExpansion':
      case 'ExtendedGlob':
        return part.parts
          ? this.arithmeticPartsDenial(part.parts, '', assigns)
          : this.arithmeticTextDenial(part.text, false, assigns);
      case 'SimpleExpansion':
        return this.variables.arithmeticDenial(part.text.slice(1), false);
      case 'ParameterExpansion': {
        // `${#x}` is a length.
        if (part.prefix === '#' && !part.operation) return undefined;
        const denial = this.variables.arithmeticDenial(part.parameter, false);
        if (denial) return denial;
        // Text of the operation that can end up in the value (`${x:-text}`, `${x/a/text}`).
        const operation = part.operation;
        if (operation?.type === 'Default') {
          return this.arithmeticPartsDenial(operation.operand.parts, operation.operand.value, false);
        }
        if (operation?.type === 'Replace') {
          const replacement = operation.replacement;
          return this.arithmeticPartsDenial(replacement.parts, replacement.value, false);
        }
        return undefined;
      }
      case 'CommandExpansion':
        return substitutionInArithmetic(part.text);
      default:
        // `$((..))` gives a number; `<(..)` a file name.
        return undefined;
    }
  }

  arithmeticTextDenial(text: string, raw: boolean, assigns: boolean): Denial | undefined {
    const names = arithmeticTextNames(text, raw);
    if (!names) {
      return arithmeticInjection(
        `the arithmetic text \`${abbreviate(text)}\` holds \`$\` or a backquote, which bash expands again inside the expression (\`'a[$(cmd)]'\` runs cmd); use plain names and numbers`,
      );
    }
    for (const name of names) {
      if (name.charCodeAt(0) === 36) {
        const denial = this.variables.arithmeticDenial(name.slice(1), false);
        if (denial) return denial;
        continue;
      }
      const denial = this.variables.arithmeticDenial(name, assigns);
      if (denial) return denial;
      // Any arithmetic can assign a bare name: `${x:(HOME=1)}`, `let PATH=0`.
      if (isDangerousVariable(name)) return dangerousVariable(name);
    }
    return undefined;
  }

  /** The index of an array literal element (`[i]=x` of `a=([i]=x)`). */
  elementIndexDenial(element: Word): Denial | undefined {
    const parts = element.parts;
    if (!parts) {
      const close = element.value.indexOf(']=');
      return this.arithmeticTextDenial(
        element.value.slice(1, close === -1 ? undefined : close),
        false,
        false,
      );
    }
    for (let index = 0; index < parts.length; index++) {
      const part = parts[index]!;
      if (part.type !== 'Literal') {
        const denial = this.arithmeticPartDenial(part, false);
        if (denial) return denial;
        continue;
      }
      let text = index === 0 ? part.value.slice(1) : part.value;
      const close = text.indexOf(']=');
      if (close !== -1) text = text.slice(0, close);
      const denial = this.arithmeticTextDenial(text, false, false);
      if (denial || close !== -1) return denial;
    }
    return undefined;
  }

  /**
   * Checks the variable names a builtin's arguments hold (`read x`, `printf -v x`, `unset x`,
   * `declare x=1`, `test -v x`, `let x=1`): no dangerous names, no index bash would evaluate as
   * code (`read 'a[$(cmd)]'`), no names the policy cannot see. Records what they assign.
   */
  checkVariableArguments(argv: readonly ArgWord[]): Denial | undefined {
    const parsed = variableArguments(argv);
    if (!parsed) return undefined;
    if (parsed.denial) return parsed.denial;
    const program = argv[0]!.value;
    const declares = parsed.declares;
    const unsets = program === 'unset';
    for (const word of parsed.assigned) {
      const denial =
        this.nameDenial(program, word, true, declares) ??
        (declares ? this.arrayLiteralDenial(program, word, parsed.attributes) : undefined);
      if (denial) return denial;
    }
    for (const word of parsed.inspected) {
      const denial = this.nameDenial(program, word, false, false);
      if (denial) return denial;
    }
    for (const word of parsed.arithmetic) {
      const values = possibleValues(word);
      if (!values) {
        return arithmeticInjection(
          `${program} \`${word.text}\`: the expression depends on expansion, and bash would evaluate whatever it expands to (it can run commands); write the expression literally`,
        );
      }
      for (const value of values) {
        const denial = this.arithmeticTextDenial(value, false, true);
        if (denial) return denial;
      }
    }
    // Bookkeeping: the names now hold values the policy does not know.
    for (const word of parsed.assigned) {
      const values = possibleValues(word) ?? [word.text];
      for (const value of values) {
        const name = variableName(value, declares);
        if (declares) {
          if (parsed.attributes.includes('A')) this.variables.markAssociative(name);
        } else if (!unsets) this.variables.assign(name, undefined);
      }
    }
    return undefined;
  }

  /**
   * Why a word naming a variable is refused: unknown, a dangerous name (when `assigned`), or an
   * index bash would evaluate as arithmetic that is neither a number nor a plain numeric variable.
   */
  nameDenial(program: string, word: ArgWord, assigned: boolean, declares: boolean): Denial | undefined {
    const values = possibleValues(word);
    if (!values || word.glob) {
      // `declare x=$y`: only the value is unknown.
      if (!(declares && /^[A-Za-z_][A-Za-z0-9_]*\+?=/.test(word.text))) {
        return expansionDenial(program, word.text, 'a variable name');
      }
      return assigned && isDangerousVariable(variableName(word.text, true))
        ? dangerousName(program, variableName(word.text, true))
        : undefined;
    }
    for (const value of values) {
      const target = variableTarget(value, declares);
      const bracket = target.indexOf('[');
      const name = bracket === -1 ? target : target.slice(0, bracket);
      if (assigned && isDangerousVariable(name)) return dangerousName(program, name);
      if (bracket === -1) continue;
      const close = target.lastIndexOf(']');
      const index = target.slice(bracket + 1, close > bracket ? close : undefined).trim();
      if (/^(-?[0-9]+|@|\*)$/.test(index)) continue;
      if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(index)) {
        const denial = this.variables.arithmeticDenial(index, false);
        if (denial) return denial;
        continue;
      }
      if (this.variables.isAssociative(name) && /^[A-Za-z0-9_.-]+$/.test(index)) continue;
      return arithmeticInjection(
        `${program} \`${abbreviate(value)}\`: bash evaluates the index \`[${abbreviate(index)}]\` as arithmetic, which runs any \`$(...)\` it holds; use a literal number or a plain variable holding one`,
      );
    }
    return undefined;
  }

  /**
   * `declare -a x='(..)'` (or any declaration of an existing array) parses a quoted value as an
   * array literal again, running the `$(...)` and arithmetic it holds. Unquoted `x=(..)` is fine:
   * its elements were checked as words.
   */
  arrayLiteralDenial(program: string, word: ArgWord, attributes: string): Denial | undefined {
    if (ARRAY_LITERAL.test(word.text)) return undefined;
    const values = possibleValues(word);
    let literal = false;
    if (!values) literal = true;
    else {
      for (const value of values) {
        const equals = value.indexOf('=');
        if (equals !== -1 && value.charCodeAt(equals + 1) === 40) literal = true;
      }
    }
    if (!literal) return undefined;
    const name = variableName(values ? values[0]! : word.text, true);
    // `export` and `readonly` keep an existing array's value as a string unless told `-a`.
    const existing =
      program !== 'export' && program !== 'readonly' && (this.variables.has(name) || BASH_ARRAYS.has(name));
    if (!/[aA]/.test(attributes) && !existing) return undefined;
    return arithmeticInjection(
      `${program} \`${abbreviate(word.text)}\`: a value that may start with \`(\` is parsed again as an array literal, which runs the \`$(...)\` and index arithmetic it holds; write the array unquoted, like \`${name}=(a b)\``,
    );
  }
}

/** Builtins whose arguments name variables (see checkVariableArguments). */
export const NAMES_VARIABLES: ReadonlySet<string> = new Set([
  'read',
  'mapfile',
  'readarray',
  'printf',
  'unset',
  'getopts',
  'wait',
  'test',
  '[',
  'let',
  'declare',
  'typeset',
  'local',
  'export',
  'readonly',
]);
/** The source of an unquoted array assignment (`x=(a b)`, `x+=(c)`). */
const ARRAY_LITERAL = /^[A-Za-z_][A-Za-z0-9_]*\+?=\(/;
/** Arrays bash itself may have created, which a declaration re-parses like `declare -a`. */
const BASH_ARRAYS = new Set([
  'DIRSTACK',
  'PIPESTATUS',
  'FUNCNAME',
  'GROUPS',
  'COPROC',
  'BASH_REMATCH',
  'BASH_ARGV',
  'BASH_ARGC',
  'BASH_LINENO',
  'BASH_SOURCE',
  'BASH_ALIASES',
  'BASH_CMDS',
  'BASH_VERSINFO',
  'COMP_WORDS',
]);

/** Denial for a command's output used in arithmetic: bash evaluates it as an expression. */
export function substitutionInArithmetic(text: string): Denial {
  return arithmeticInjection(
    `arithmetic uses the output of \`${abbreviate(text)}\`, which bash evaluates as an expression (output like \`a[$(cmd)]\` runs cmd); print the number first and use it as a literal in a later command`,
  );
}

function abbreviate(text: string): string {
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
