import { describe } from 'vitest';
import { checkCases } from './case-table.js';
import { pathCases, secretCases, variableCases } from './paths-and-secrets.cases.js';

describe('paths outside the worktree', () => {
  checkCases('task-x', pathCases);
});

describe('secrets', () => {
  checkCases('task-x', secretCases);
});

describe('variables', () => {
  checkCases('task-x', variableCases);
});
