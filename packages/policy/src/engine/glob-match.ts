/**
 * A tiny glob matcher for rule patterns and worktree names: `*` matches any run of characters,
 * `?` one character, everything else itself. No brackets, no escapes: rule authors match literal
 * argument values, and a pattern that cannot express `[` is a pattern that cannot surprise.
 */
export type GlobMatcher = (value: string) => boolean;

const cache = new Map<string, GlobMatcher>();

/** Compiles `pattern` once; later calls with the same pattern reuse the matcher. */
export function compileGlob(pattern: string): GlobMatcher {
  const cached = cache.get(pattern);
  if (cached) return cached;
  const star = pattern.includes('*');
  const question = pattern.includes('?');
  let matcher: GlobMatcher;
  if (!star && !question) {
    matcher = (value) => value === pattern;
  } else if (!star) {
    matcher = fixedLengthMatcher(pattern);
  } else if (!question) {
    matcher = starMatcher(pattern.split('*'));
  } else {
    const source = pattern
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '[\\s\\S]*')
      .replace(/\?/g, '[\\s\\S]');
    const regex = new RegExp(`^${source}$`);
    matcher = (value) => regex.test(value);
  }
  cache.set(pattern, matcher);
  return matcher;
}

/** A pattern with `?` but no `*`: same length, and equal except where the pattern has `?`. */
function fixedLengthMatcher(pattern: string): GlobMatcher {
  return (value) => {
    if (value.length !== pattern.length) return false;
    for (let index = 0; index < pattern.length; index++) {
      const code = pattern.charCodeAt(index);
      if (code !== 63 && code !== value.charCodeAt(index)) return false;
    }
    return true;
  };
}

/**
 * A pattern with `*` but no `?`, split at the stars: the first piece starts the value, the last
 * ends it, and the pieces between appear in order in what is left (leftmost matches suffice).
 */
function starMatcher(pieces: readonly string[]): GlobMatcher {
  const first = pieces[0]!;
  const last = pieces[pieces.length - 1]!;
  const middle = pieces.slice(1, -1).filter((piece) => piece !== '');
  let minimum = first.length + last.length;
  for (const piece of middle) minimum += piece.length;
  return (value) => {
    if (value.length < minimum || !value.startsWith(first) || !value.endsWith(last)) return false;
    const limit = value.length - last.length;
    let at = first.length;
    for (let index = 0; index < middle.length; index++) {
      const piece = middle[index]!;
      const found = value.indexOf(piece, at);
      if (found === -1 || found + piece.length > limit) return false;
      at = found + piece.length;
    }
    return true;
  };
}
