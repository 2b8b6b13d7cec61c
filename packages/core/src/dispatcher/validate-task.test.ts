import { describe, expect, it } from 'vitest';
import { maxTaskIdLength, maxTaskTextLength, validateTask } from './validate-task.js';

describe('validateTask', () => {
  it.each([
    [null, 'not an object'],
    ['a task', 'not an object'],
    [{ text: 'x', source: 's' }, 'no string "id"'],
    [{ id: '', text: 'x', source: 's' }, 'no string "id"'],
    [
      { id: 'x'.repeat(maxTaskIdLength + 1), text: 'x', source: 's' },
      `its id is longer than ${maxTaskIdLength} characters`,
    ],
    [{ id: 'a', source: 's' }, 'no "text" to work on'],
    [{ id: 'a', text: '  \n', source: 's' }, 'no "text" to work on'],
    [
      { id: 'a', text: 'x'.repeat(maxTaskTextLength + 1), source: 's' },
      `its text is longer than ${maxTaskTextLength} characters`,
    ],
    [{ id: 'a', text: 'x' }, 'no string "source"'],
    [{ id: 'a', text: 'x', source: 's', baseDir: 3 }, '"baseDir" is not a string'],
    [{ id: 'a', text: 'x', source: 's', metadata: 'chat' }, '"metadata" is not an object'],
    [{ id: 'a', text: 'x', source: 's', metadata: null }, '"metadata" is not an object'],
  ])('%j: %s', (value, reason) => {
    expect(validateTask(value)).toBe(reason);
  });

  it('accepts a task, with extra fields left alone', () => {
    expect(
      validateTask({ id: 'a', text: 'x', source: 's', metadata: { chatId: 1 }, extra: true }),
    ).toBeUndefined();
  });
});
