import type { ArithmeticCommandExpansion, ArithmeticWord, SyntaxNode } from 'unbash';
import { forEachChild } from 'unbash';

const IDENTIFIER = /(?<![0-9A-Za-z_#@])[A-Za-z_][A-Za-z0-9_]*/g;
/** `$name`, `$1`: a plain expansion in the raw source of an arithmetic word. */
const DOLLAR_NAME = /\$([A-Za-z_][A-Za-z0-9_]*|[0-9]+)/g;

/**
 * The leaves of an arithmetic expression: its words, and command substitutions standing alone
 * (whose output bash evaluates too); nothing inside a command substitution. Bash evaluates a
 * variable's value as an expression again, so `x='a[$(cmd)]'; echo $((x))` runs `cmd`: the caller
 * checks each leaf.
 */
export function arithmeticLeaves(node: SyntaxNode): (ArithmeticWord | ArithmeticCommandExpansion)[] {
  const words: (ArithmeticWord | ArithmeticCommandExpansion)[] = [];
  const visit = (child: SyntaxNode): void => {
    if (child.type === 'ArithmeticWord' || child.type === 'ArithmeticCommandExpansion') words.push(child);
    if (child.type === 'CommandExpansion' || child.type === 'ArithmeticCommandExpansion') return;
    forEachChild(child, visit);
  };
  visit(node);
  return words;
}

/**
 * Names a literal arithmetic text reads (`a+b[i]` gives a, b, i), or undefined when the text holds
 * `$` or a backquote: bash expands those again inside the expression, so a quoted `'a[$(cmd)]'`
 * runs `cmd`. With `raw` the text is the source of an unquoted arithmetic word, where `$name` and
 * `$1` are plain expansions, listed with their `$` (they read the variable but never assign it),
 * and anything else after `$` is refused.
 */
export function arithmeticTextNames(text: string, raw = false): string[] | undefined {
  const names: string[] = [];
  if (text.includes('`')) return undefined;
  let rest = text;
  if (text.includes('$')) {
    if (!raw) return undefined;
    for (const match of text.matchAll(DOLLAR_NAME)) names.push(match[0]);
    rest = text.replace(DOLLAR_NAME, ' ');
    if (rest.includes('$')) return undefined;
  }
  for (const match of rest.matchAll(IDENTIFIER)) names.push(match[0]);
  return names;
}
