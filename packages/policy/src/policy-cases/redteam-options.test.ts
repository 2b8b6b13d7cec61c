import { describe, expect, it } from 'vitest';
import { createPolicy } from '../create-policy.js';
import { abbreviates, compileDeniedOptions, deniedLongOption } from '../engine/option-scan.js';
import { checkCases } from './case-table.js';
import { mainOptionSpellingCases, optionSpellingCases } from './redteam-options.cases.js';

describe('option spellings: abbreviations, arity, attached values, pathspec magic, xargs names', () => {
  checkCases('task-x', optionSpellingCases);
  checkCases('main', mainOptionSpellingCases);
});

describe('rule matching reads abbreviated long options where that leans to deny', () => {
  const policy = createPolicy({
    version: 1,
    rules: [
      { id: 'make-allowed', decision: 'allow', match: { program: 'make', noArg: ['--eval*'] } },
      { id: 'no-always-make', decision: 'deny', match: { program: 'make', prefix: ['--always-make'] } },
      { id: 'no-keep-going', decision: 'deny', match: { program: 'make', anyArg: ['--keep-going'] } },
      { id: 'tar-list', decision: 'allow', match: { program: 'tar', anyArg: ['--list'] } },
    ],
  });
  checkCases(
    'task-x',
    [
      ['deny', 'make --always-m', 'no-always-make'],
      ['deny', 'make --alw=1 all', 'no-always-make'],
      ['deny', 'make all --keep', 'no-keep-going'],
      ['deny', 'make all --keep-going=yes', 'no-keep-going'],
      ['deny', 'make all --ev'],
      ['deny', 'tar --li -f x.tar'],
      ['allow', 'make all', 'make-allowed'],
      ['allow', 'make all --keep-gone', 'make-allowed'],
      ['allow', 'tar --list -f x.tar', 'tar-list'],
    ],
    policy,
  );
});

describe('deniedLongOption and abbreviates', () => {
  const denied = compileDeniedOptions({ '--globalconfig': 'x', '--upload-pack': 'y', '-c': 'z' }, [
    '--global',
  ]);
  it.each([
    ['--upload-pack', '--upload-pack'],
    ['--upl', '--upload-pack'],
    ['--u=sh', '--upload-pack'],
    ['--upload-pack=sh', '--upload-pack'],
    ['--globalc', '--globalconfig'],
    ['--global', undefined],
    ['--upload-packs', undefined],
    ['--', undefined],
    ['--=x', undefined],
    ['-c', undefined],
    ['-u', undefined],
  ])('%s -> %s', (word, expected) => {
    expect(deniedLongOption(word, denied)).toBe(expected);
  });
  it('matches a long option, its abbreviations and its = forms only', () => {
    expect(abbreviates('--forc', '--force')).toBe(true);
    expect(abbreviates('--force=1', '--force')).toBe(true);
    expect(abbreviates('--f', '--force')).toBe(true);
    expect(abbreviates('--forced', '--force')).toBe(false);
    expect(abbreviates('--no-force', '--force')).toBe(false);
    expect(abbreviates('-f', '--force')).toBe(false);
    expect(abbreviates('--', '--force')).toBe(false);
  });
});
