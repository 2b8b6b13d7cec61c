/**
 * Bash brace expansion of a plain-text brace part (`{a,b}`, `{1..3}`, `{a,{b,c}}`). Returns
 * undefined when the text is not a brace expansion bash would perform, or when it would produce
 * more than `limit` words (the caller denies those: a policy cannot reason about a million words).
 */
export function expandBraceText(text: string, limit: number): string[] | undefined {
  const results = expand(text, limit);
  if (!results || results.length > limit) return undefined;
  return results;
}

function expand(text: string, limit: number): string[] | undefined {
  const open = findOpen(text);
  if (open === -1) return [text];
  const close = findClose(text, open);
  if (close === -1) return [text];
  const prefix = text.slice(0, open);
  const body = text.slice(open + 1, close);
  const suffix = text.slice(close + 1);
  const alternatives = splitTopLevel(body);
  let middles: string[] | undefined;
  if (alternatives.length > 1) {
    middles = [];
    for (const alternative of alternatives) {
      const expanded = expand(alternative, limit);
      if (!expanded) return undefined;
      middles.push(...expanded);
      if (middles.length > limit) return undefined;
    }
  } else {
    middles = sequence(body, limit);
    if (!middles) {
      // `{a}` is not an expansion; keep the braces and expand what follows.
      const rest = expand(suffix, limit);
      return rest?.map((tail) => `${prefix}{${body}}${tail}`);
    }
  }
  const tails = expand(suffix, limit);
  if (!tails) return undefined;
  const out: string[] = [];
  for (const middle of middles) {
    for (const tail of tails) {
      out.push(prefix + middle + tail);
      if (out.length > limit) return undefined;
    }
  }
  return out;
}

function findOpen(text: string): number {
  for (let index = 0; index < text.length; index++) {
    if (text[index] === '{' && findClose(text, index) !== -1) return index;
  }
  return -1;
}

function findClose(text: string, open: number): number {
  let depth = 0;
  for (let index = open; index < text.length; index++) {
    const char = text[index];
    if (char === '{') depth++;
    else if (char === '}') {
      depth--;
      if (depth === 0) return index;
    }
  }
  return -1;
}

function splitTopLevel(body: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let index = 0; index < body.length; index++) {
    const char = body[index];
    if (char === '{') depth++;
    else if (char === '}') depth--;
    else if (char === ',' && depth === 0) {
      parts.push(body.slice(start, index));
      start = index + 1;
    }
  }
  parts.push(body.slice(start));
  return parts;
}

function sequence(body: string, limit: number): string[] | undefined {
  const match = /^(-?\d+|[A-Za-z])\.\.(-?\d+|[A-Za-z])(?:\.\.(-?\d+))?$/.exec(body);
  if (!match) return undefined;
  const [, from = '', to = '', stepText] = match;
  const step = Math.abs(Number(stepText ?? '1')) || 1;
  const numeric = /\d/.test(from);
  if (numeric !== /\d/.test(to)) return undefined;
  const start = numeric ? Number(from) : from.charCodeAt(0);
  const stop = numeric ? Number(to) : to.charCodeAt(0);
  if (Math.abs(stop - start) / step + 1 > limit) return [...Array(limit + 1).keys()].map(String);
  const out: string[] = [];
  const direction = stop >= start ? 1 : -1;
  for (let value = start; direction > 0 ? value <= stop : value >= stop; value += direction * step) {
    out.push(numeric ? String(value) : String.fromCharCode(value));
  }
  return out;
}
