/**
 * The command names a typo of which must never become a paid model run (`orchestrator dmeo`).
 * `worktree` is an alias of `worktrees`; `list` and `prune` are its actions, typed alone by reflex.
 */
export const commandWords = ['run', 'dispatch', 'demo', 'worktrees', 'worktree', 'policy', 'help'] as const;

/**
 * Optimal string alignment distance (Levenshtein plus adjacent transpositions, so `dmeo` is one
 * edit from `demo`). Hand-written: ten lines, and commander keeps its own copy private.
 */
export function editDistance(left: string, right: string): number {
  const rows = left.length + 1;
  const columns = right.length + 1;
  const table: number[][] = Array.from({ length: rows }, (_, row) =>
    Array.from({ length: columns }, (_, column) => (row === 0 ? column : column === 0 ? row : 0)),
  );
  for (let row = 1; row < rows; row += 1) {
    for (let column = 1; column < columns; column += 1) {
      const cost = left[row - 1] === right[column - 1] ? 0 : 1;
      const previous = table[row - 1] as number[];
      const current = table[row] as number[];
      let best = Math.min(
        (previous[column] as number) + 1,
        (current[column - 1] as number) + 1,
        (previous[column - 1] as number) + cost,
      );
      if (
        row > 1 &&
        column > 1 &&
        left[row - 1] === right[column - 2] &&
        left[row - 2] === right[column - 1]
      ) {
        best = Math.min(best, ((table[row - 2] as number[])[column - 2] as number) + 1);
      }
      current[column] = best;
    }
  }
  return (table[rows - 1] as number[])[columns - 1] as number;
}

/**
 * The command `word` is probably a typo of, or undefined. A word counts as a near miss when it is
 * at most one edit away (two for words of six letters or more), or a prefix of a command.
 *
 * @example
 * suggestCommand('dmeo'); // 'demo'
 * suggestCommand('refactor the parser'); // undefined
 */
export function suggestCommand(word: string): string | undefined {
  const candidate = word.trim().toLowerCase();
  if (candidate === '' || /\s/.test(candidate)) return undefined;
  let best: { name: string; distance: number } | undefined;
  for (const name of commandWords) {
    const distance = editDistance(candidate, name);
    const limit = name.length >= 6 ? 2 : 1;
    const isPrefix = candidate.length >= 2 && name.startsWith(candidate);
    if ((distance <= limit || isPrefix) && (best === undefined || distance < best.distance)) {
      best = { name: name === 'worktree' ? 'worktrees' : name, distance };
    }
  }
  return best?.name;
}
