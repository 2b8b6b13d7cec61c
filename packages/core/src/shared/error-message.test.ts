import { describe, expect, it } from 'vitest';
import { errorMessage } from './error-message.js';

describe('errorMessage', () => {
  it('takes the message of an Error, or its name when the message is empty', () => {
    expect(errorMessage(new Error('disk full'))).toBe('disk full');
    expect(errorMessage(new TypeError(''))).toBe('TypeError');
  });

  it('describes strings, message-bearing objects and other values', () => {
    expect(errorMessage('plain text')).toBe('plain text');
    expect(errorMessage({ message: 'from an object', code: 1 })).toBe('from an object');
    expect(errorMessage(42)).toBe('42');
    expect(errorMessage(undefined)).toBe('undefined');
    expect(errorMessage(null)).toBe('null');
  });

  it('never throws, even when toString does', () => {
    const hostile = {
      toString() {
        throw new Error('no');
      },
    };
    expect(errorMessage(hostile)).toBe('[object Object]');
    expect(errorMessage(Object.create(null))).toBe('[object Object]');
  });
});
