import { describe, expect, it } from 'vitest';
import { findSedProblem } from './sed.js';

describe('findSedProblem', () => {
  it.each([
    '1,20p',
    's/foo/bar/g',
    's|a/b|c/d|',
    '/^#/d',
    '$!N; s/\\n/ /',
    '/start/,/end/{ s/x/y/; p; }',
    'y/abc/xyz/',
    '2i\\ inserted line; with semicolon',
    '10q',
    '= ; l',
  ])('accepts %j', (script) => {
    expect(findSedProblem(script)).toBeUndefined();
  });

  it.each([
    ['s/x/y/e', 'shell'],
    ['1e id', 'shell'],
    ['w /tmp/out', 'writes'],
    ['s/x/y/w out.txt', 'writes'],
    ['r /etc/passwd', 'reads'],
    ['R /etc/passwd', 'reads'],
    ['W out', 'writes'],
    ['s/unterminated', 'unterminated'],
    ['k', 'unknown'],
  ])('refuses %j', (script, reason) => {
    expect(findSedProblem(script)).toContain(reason);
  });
});
