import { createHash } from 'node:crypto';
import transliterate from '@sindresorhus/transliterate';

/** Longest slug `slugifyTaskName` returns by default. */
export const defaultSlugLength = 40;

/**
 * Derives a safe slug from free text (hostile input): lower-case ASCII letters, digits and single
 * dashes, no leading or trailing dash, at most `maxLength` characters cut at a word boundary when
 * possible, and never `task-` twice (a leading `task-` in the text is dropped). Letters are
 * transliterated by `@sindresorhus/transliterate` ("Straße" → `strasse`, "Łódź" → `lodz`,
 * Cyrillic, Greek...), then any accent left is removed; text with nothing usable left gets
 * `t-<hash>` (stable for the same text). The result is a valid directory name and git branch
 * name: the final character filter is ours, so hostile input cannot get past it.
 *
 * @example
 * slugifyTaskName('Add users search (API + UI)!'); // "add-users-search-api-ui"
 * slugifyTaskName('Добавить поиск'); // "dobavit-poisk"
 * slugifyTaskName('Straße in Łódź'); // "strasse-in-lodz"
 */
export function slugifyTaskName(text: string, options: { maxLength?: number } = {}): string {
  const maxLength = Math.max(8, options.maxLength ?? defaultSlugLength);
  // Transliterate before decomposing: NFKD would turn "й" into "и" plus a combining mark; NFKD
  // after it still folds what the table leaves (ligatures such as "ﬁ").
  const ascii = transliterate(text.normalize('NFC')).toLowerCase().normalize('NFKD').replace(/\p{M}/gu, '');
  let slug = ascii
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .replace(/^(?:task-)+/, '');
  if (slug === 'task') slug = '';
  if (slug.length > maxLength) {
    const cut = slug.slice(0, maxLength + 1);
    const lastDash = cut.lastIndexOf('-');
    slug = (lastDash >= maxLength / 2 ? cut.slice(0, lastDash) : cut.slice(0, maxLength)).replace(/-+$/, '');
  }
  if (slug === '') slug = `t-${createHash('sha256').update(text).digest('hex').slice(0, 8)}`;
  return slug;
}
