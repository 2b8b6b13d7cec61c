import { describe } from 'vitest';
import { checkCases } from './case-table.js';
import { wrapperCases } from './wrappers.cases.js';

describe('wrappers are unwrapped and the wrapped command is checked', () => {
  checkCases('task-x', wrapperCases);
});
