import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkWorktreeName } from '../command/worktree-validator.js';
import { slugifyTaskName } from './slugify-task-name.js';
import { worktreeNameFor } from './worktree-manager.js';

describe('slugifyTaskName', () => {
  it.each([
    ['Add users search (API + UI)!', 'add-users-search-api-ui'],
    ['  Réparer le café  ', 'reparer-le-cafe'],
    ['Добавить поиск пользователей', 'dobavit-poisk-polzovateley'],
    ['Straße', 'strasse'],
    ['Łódź', 'lodz'],
    ['Ærøskøbing ﬁle', 'aeroskobing-file'],
    ['../../etc/passwd', 'etc-passwd'],
    ['task-billing optim', 'billing-optim'],
    ['$(rm -rf /); `reboot`', 'rm-rf-reboot'],
    [
      'Refactor the billing module so that invoices are generated lazily and cached',
      'refactor-the-billing-module-so-that',
    ],
  ])('%j -> %j', (text, slug) => {
    expect(slugifyTaskName(text)).toBe(slug);
  });

  it('gives text without usable letters a stable hash slug', () => {
    expect(slugifyTaskName('实现搜索')).toMatch(/^t-[0-9a-f]{8}$/);
    expect(slugifyTaskName('实现搜索')).toBe(slugifyTaskName('实现搜索'));
    expect(slugifyTaskName('实现搜索')).not.toBe(slugifyTaskName('实现登录'));
  });

  it('always yields a valid worktree and branch name for any text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (text) => {
        const slug = slugifyTaskName(text);
        expect(slug).toMatch(/^[a-z0-9]+(?:-[a-z0-9]+)*$/);
        expect(slug.length).toBeLessThanOrEqual(40);
        const name = worktreeNameFor(text);
        expect(name.startsWith('task-')).toBe(true);
        expect(checkWorktreeName(name)).toBeUndefined();
      }),
      { numRuns: 500 },
    );
  });

  it('keeps an existing task name as is', () => {
    expect(worktreeNameFor('task-users-search')).toBe('task-users-search');
    expect(worktreeNameFor('users search')).toBe('task-users-search');
  });
});
