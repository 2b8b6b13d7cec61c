import { createHash } from 'node:crypto';

/** Longest slug `slugifyTaskName` returns by default. */
export const defaultSlugLength = 40;

// Russian and Ukrainian letters, transliterated, so tasks written in Cyrillic get readable slugs.
const cyrillic: Record<string, string> = {
  а: 'a',
  б: 'b',
  в: 'v',
  г: 'g',
  ґ: 'g',
  д: 'd',
  е: 'e',
  ё: 'e',
  є: 'ye',
  ж: 'zh',
  з: 'z',
  и: 'i',
  і: 'i',
  ї: 'yi',
  й: 'y',
  к: 'k',
  л: 'l',
  м: 'm',
  н: 'n',
  о: 'o',
  п: 'p',
  р: 'r',
  с: 's',
  т: 't',
  у: 'u',
  ф: 'f',
  х: 'kh',
  ц: 'ts',
  ч: 'ch',
  ш: 'sh',
  щ: 'shch',
  ъ: '',
  ы: 'y',
  ь: '',
  э: 'e',
  ю: 'yu',
  я: 'ya',
};

/**
 * Derives a safe slug from free text (hostile input): lower-case ASCII letters, digits and single
 * dashes, no leading or trailing dash, at most `maxLength` characters cut at a word boundary when
 * possible, and never `task-` twice (a leading `task-` in the text is dropped). Accents are
 * removed and Cyrillic is transliterated; text with nothing usable left gets `t-<hash>` (stable for
 * the same text). The result is a valid directory name and git branch name.
 *
 * @example
 * slugifyTaskName('Add users search (API + UI)!'); // "add-users-search-api-ui"
 * slugifyTaskName('Добавить поиск'); // "dobavit-poisk"
 */
export function slugifyTaskName(text: string, options: { maxLength?: number } = {}): string {
  const maxLength = Math.max(8, options.maxLength ?? defaultSlugLength);
  // Transliterate before decomposing: NFKD would turn "й" into "и" plus a combining mark.
  const ascii = [...text.normalize('NFC').toLowerCase()]
    .map((character) => cyrillic[character] ?? character)
    .join('')
    .normalize('NFKD')
    .replace(/\p{M}/gu, '');
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
