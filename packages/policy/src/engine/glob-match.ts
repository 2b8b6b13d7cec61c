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
  let matcher: GlobMatcher;
  if (!pattern.includes('*') && !pattern.includes('?')) {
    matcher = (value) => value === pattern;
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

/** True when `value` matches at least one of `patterns`. */
export function matchesAnyGlob(patterns: readonly string[], value: string): boolean {
  for (const pattern of patterns) if (compileGlob(pattern)(value)) return true;
  return false;
}
