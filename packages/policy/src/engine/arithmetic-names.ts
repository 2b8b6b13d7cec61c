import type { SyntaxNode } from 'unbash';
import { forEachChild } from 'unbash';

const IDENTIFIER = /(?<![0-9A-Za-z_#@])[A-Za-z_][A-Za-z0-9_]*/g;

/**
 * Names an arithmetic expression reads. Bash evaluates a variable's value as an expression again,
 * so `x='a[$(cmd)]'; echo $((x))` runs `cmd`: the caller checks each name's value.
 */
export function arithmeticNames(node: SyntaxNode): string[] {
  const names: string[] = [];
  const visit = (child: SyntaxNode): void => {
    if (child.type === 'ArithmeticWord') {
      const parts = child.parts;
      if (!parts) collect(child.value, names);
      else for (const part of parts) if (part.type === 'Literal') collect(part.value, names);
    }
    if (child.type === 'CommandExpansion' || child.type === 'ArithmeticCommandExpansion') return;
    forEachChild(child, visit);
  };
  visit(node);
  return names;
}

/** Names read by a plain arithmetic text (`let x+=1`, `[[ a -eq b ]]` operands, array indices). */
export function arithmeticTextNames(text: string): string[] {
  const names: string[] = [];
  collect(text, names);
  return names;
}

function collect(text: string, names: string[]): void {
  for (const match of text.matchAll(IDENTIFIER)) names.push(match[0]);
}
