import { describe, expect, it } from 'vitest';
import { parseMergeCommand } from './parse-merge-command.js';

const parse = (command: string) => parseMergeCommand(command.split(' '));

describe('parseMergeCommand', () => {
  it('reads the accepted forms', () => {
    expect(parse('git merge task-a')).toEqual({ kind: 'merge', branch: 'task-a' });
    expect(parse('git merge --no-ff --no-edit task-a')).toEqual({ kind: 'merge', branch: 'task-a' });
    expect(parseMergeCommand(['git', 'merge', '--no-ff', '-m', 'Merge a', 'task-a'])).toEqual({
      kind: 'merge',
      branch: 'task-a',
      message: 'Merge a',
    });
    expect(parse('git merge --message=hi task-a')).toEqual({
      kind: 'merge',
      branch: 'task-a',
      message: 'hi',
    });
    expect(parse('git merge --abort')).toEqual({ kind: 'abort' });
  });

  it('refuses everything else with a reason', () => {
    expect(parse('git merge')).toMatchObject({ kind: 'invalid', reason: 'no branch given' });
    expect(parse('git merge --squash task-a')).toMatchObject({
      kind: 'invalid',
      reason: expect.stringContaining('--squash'),
    });
    expect(parse('git merge -s ours task-a')).toMatchObject({
      kind: 'invalid',
      reason: expect.stringContaining('-s'),
    });
    expect(parse('git merge -Xtheirs task-a')).toMatchObject({ kind: 'invalid' });
    expect(parse('git merge task-a task-b')).toMatchObject({
      kind: 'invalid',
      reason: expect.stringContaining('one branch at a time'),
    });
    expect(parse('git merge --abort task-a')).toMatchObject({ kind: 'invalid' });
    expect(parse('git merge -m')).toMatchObject({ kind: 'invalid', reason: '-m needs a message' });
  });
});
