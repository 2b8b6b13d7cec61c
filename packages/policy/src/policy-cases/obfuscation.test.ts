import { describe } from 'vitest';
import { checkCases } from './case-table.js';
import { obfuscationCases } from './obfuscation.cases.js';

describe('quoting, escaping and expansion cannot disguise a command', () => {
  checkCases('task-x', obfuscationCases);
});
